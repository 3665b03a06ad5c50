/** Loss and accuracy over a whole split, batched, in inference mode. */
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationContext } from './activations/types';
import { disposeBatch, makeBatch } from './batches';
import type { Dataset } from './data/types';
import type { LossFn } from './losses';
import type { Model } from './models';
import { unitSums } from './probes';

/** Large enough to amortise per-call overhead, small enough for a CNN's activations. */
export const EVAL_BATCH = 1000;

export interface Evaluation {
  loss: number;
  accuracy?: number;
  /** With `probe`: the probe statistics of the first `probe.samples` rows (see probes.ts). */
  probe?: { sums: Float32Array; rows: number[]; ms: number };
}

/**
 * Probe statistics taken from the evaluation's own forward pass over the split's first
 * `samples` rows — valid as the probe's only when inference equals training mode (a
 * deterministic activation), which the caller decides.
 */
export interface EvaluationProbe { samples: number; tau: number }

/** Number of rows whose argmax equals the label (a scalar; no gradient needed). */
export function countCorrect(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'float32')));
}

export interface EvaluationSums { lossSum: number; correct: number; probe?: Evaluation['probe'] }

/**
 * Σ loss and # correct over rows [from, to) of a split; with `probe`, its statistics over the
 * first `probe.samples` rows from `from`. `between` runs after each batch (the loop yields to
 * the event loop and checks for a cancel there).
 */
export async function evaluateSums(
  model: Model, ds: Dataset, split: 'train' | 'test', lossFn: LossFn, ctx: ActivationContext,
  from: number, to: number, between?: () => Promise<void>, probe?: EvaluationProbe,
): Promise<EvaluationSums> {
  const classify = ds.kind === 'classification';
  const probeRows = probe ? Math.max(1, Math.min(probe.samples, to - from)) : 0;
  let lossSum = 0;
  let correct = 0;
  let probed: Evaluation['probe'];
  // With a probe, the first batch is exactly the probe's rows, so no slicing is needed.
  for (let at = from; at < to;) {
    const withProbe = at === from && probe !== undefined;
    const size = withProbe ? probeRows : Math.min(EVAL_BATCH, to - at);
    const batch = makeBatch(ds, split, at, size);
    let probeMs = 0;
    let rows: number[] = [];
    const stats = tf.tidy(() => {
      const { output, hidden } = model.forward(batch.x, { ...ctx, training: false }, withProbe);
      const loss = tf.mul(lossFn(output, batch.y), batch.size);
      const parts = classify ? [tf.reshape(loss, [1]), tf.reshape(countCorrect(output, batch.y), [1])] : [tf.reshape(loss, [1])];
      if (withProbe) {
        // wasm kernels run when called, so this times the probe's own share of the pass.
        const t0 = performance.now();
        const u = unitSums(model, hidden, probe.tau);
        rows = u.rows;
        parts.push(u.sums);
        probeMs = performance.now() - t0;
      }
      return tf.concat(parts);
    });
    disposeBatch(batch);
    const values = (await stats.data()) as Float32Array;
    stats.dispose();
    lossSum += values[0]!;
    correct += classify ? values[1]! : 0;
    if (withProbe) probed = { sums: values.slice(classify ? 2 : 1), rows, ms: probeMs };
    at += size;
    await between?.();
  }
  return { lossSum, correct, ...(probed ? { probe: probed } : {}) };
}

/** Loss and accuracy over a whole split (see evaluateSums). */
export async function evaluate(
  model: Model, ds: Dataset, split: 'train' | 'test', lossFn: LossFn, ctx: ActivationContext,
  between?: () => Promise<void>, probe?: EvaluationProbe,
): Promise<Evaluation> {
  const n = split === 'train' ? ds.trainSize : ds.testSize;
  const sums = await evaluateSums(model, ds, split, lossFn, ctx, 0, n, between, probe);
  return finishEvaluation(ds, n, sums);
}

export function finishEvaluation(ds: Dataset, n: number, sums: EvaluationSums): Evaluation {
  const result: Evaluation = ds.kind === 'classification' ? { loss: sums.lossSum / n, accuracy: sums.correct / n } : { loss: sums.lossSum / n };
  if (sums.probe) result.probe = sums.probe;
  return result;
}

/** Loss and accuracy over training rows [0, count) as they are (no input mask). */
export async function evaluateTrainRows(
  model: Model, ds: Dataset, lossFn: LossFn, ctx: ActivationContext, count: number, between?: () => Promise<void>,
): Promise<Evaluation> {
  const n = Math.max(1, Math.min(count, ds.trainSize));
  return finishEvaluation(ds, n, await evaluateSums(model, ds, 'train', lossFn, ctx, 0, n, between));
}
