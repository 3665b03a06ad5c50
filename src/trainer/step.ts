/**
 * A training step, split in two so that data-parallel replicas (parallel/) can compute the
 * gradient of their share of a batch and the main thread can apply the combined one.
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '../core/random';
import type { Batch } from './batches';
import { countCorrect } from './evaluate';
import type { LossFn } from './losses';
import { maskInputs } from './masking';
import type { Model } from './models';
import { gradientNorms } from './probes';

export interface StepOptions { sigma: number; seed: number; kappa: number }
export interface StepWants { correct?: boolean; gradNorms?: boolean }

export interface StepResult {
  /** The batch loss (the caller reads and disposes it). */
  loss: tf.Scalar;
  /** Correct predictions (classification), kept on the device so accuracy costs no read per step. */
  correct?: tf.Scalar;
  /** ‖∂loss/∂W‖₂ per hidden layer (see probes.ts), and the ms it took. */
  gradNorms?: tf.Tensor1D;
  gradNormsMs: number;
}

export interface BatchGradients { loss: tf.Scalar; grads: tf.NamedTensorMap; correct?: tf.Scalar }

/** The gradient of the batch's mean loss w.r.t. every variable (what optimizer.minimize computes). */
export function batchGradients(model: Model, lossFn: LossFn, batch: Batch, o: StepOptions, wantCorrect: boolean): BatchGradients {
  let correct: tf.Scalar | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const x = o.kappa > 0 ? maskInputs(batch.x, o.kappa, deriveSeed(o.seed, 'mask')) : batch.x;
    const { output } = model.forward(x, { training: true, sigma: o.sigma, seed: o.seed, batchStatistics: true });
    if (wantCorrect) correct = tf.keep(countCorrect(output, batch.y));
    return lossFn(output, batch.y);
  }, model.trainable);
  return { loss: value, grads, ...(correct ? { correct } : {}) };
}

/** Applies `grads` (disposing them), with the probe's norms taken first when wanted. */
export function applyGradients(model: Model, optimizer: tf.Optimizer, grads: tf.NamedTensorMap, wantNorms: boolean): Pick<StepResult, 'gradNorms' | 'gradNormsMs'> {
  let gradNorms: tf.Tensor1D | undefined;
  let gradNormsMs = 0;
  try {
    if (wantNorms) {
      const t0 = performance.now();
      gradNorms = tf.tidy(() => gradientNorms(model, grads));
      gradNormsMs = performance.now() - t0;
    }
    optimizer.applyGradients(grads);
  } finally {
    tf.dispose(grads);
  }
  return { gradNormsMs, ...(gradNorms ? { gradNorms } : {}) };
}

/** One optimizer step on one thread. */
export function trainStep(model: Model, optimizer: tf.Optimizer, lossFn: LossFn, batch: Batch, o: StepOptions, want: StepWants = {}): StepResult {
  const g = batchGradients(model, lossFn, batch, o, Boolean(want.correct));
  return { loss: g.loss, ...(g.correct ? { correct: g.correct } : {}), ...applyGradients(model, optimizer, g.grads, Boolean(want.gradNorms)) };
}
