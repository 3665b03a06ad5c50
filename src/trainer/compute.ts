/**
 * Where a job's tensor work runs: on this thread (localCompute), or split across this thread
 * and worker-thread replicas of the model (parallel/pool.ts). The loop only sees this interface.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ActivationContext } from './activations/types';
import { disposeBatch, makeBatch } from './batches';
import type { Dataset } from './data/types';
import { evaluate, evaluateTrainRows, type Evaluation, type EvaluationProbe } from './evaluate';
import type { LossFn } from './losses';
import type { Model } from './models';
import { forwardUnitSums } from './probes';
import { trainStep, type StepOptions, type StepResult, type StepWants } from './step';

/** Probe statistics read back from the device (see probes.ts). */
export interface ProbeStats { sums: Float32Array; rows: number[]; ms: number }

export interface Compute {
  /** Threads doing the work: 1, or this thread plus its replicas. */
  readonly threads: number;
  /** One optimizer step over training rows order[from, from + count). */
  step(order: ArrayLike<number>, from: number, count: number, o: StepOptions, want: StepWants): Promise<StepResult>;
  /** The test split, in inference mode; `between` runs between batches. */
  evaluate(ctx: ActivationContext, between: () => Promise<void>, probe?: EvaluationProbe): Promise<Evaluation>;
  /** Training rows [0, count), unmasked, in inference mode (the clean training loss). */
  evaluateTrain(ctx: ActivationContext, count: number, between: () => Promise<void>): Promise<Evaluation>;
  /** Probe statistics from a training-mode pass of their own over the first `samples` test rows. */
  probePass(ctx: ActivationContext, samples: number, tau: number): Promise<ProbeStats>;
  close(): Promise<void>;
}

export interface ComputeParts { model: Model; optimizer: tf.Optimizer; lossFn: LossFn; ds: Dataset }

export function localCompute({ model, optimizer, lossFn, ds }: ComputeParts): Compute {
  return {
    threads: 1,
    async step(order, from, count, o, want) {
      const batch = makeBatch(ds, 'train', from, count, order);
      try {
        return trainStep(model, optimizer, lossFn, batch, o, want);
      } finally {
        disposeBatch(batch);
      }
    },
    evaluate: (ctx, between, probe) => evaluate(model, ds, 'test', lossFn, ctx, between, probe),
    evaluateTrain: (ctx, count, between) => evaluateTrainRows(model, ds, lossFn, ctx, count, between),
    probePass: (ctx, samples, tau) => ownProbePass(model, ds, 0, samples, ctx, tau),
    async close() {},
  };
}

/** forwardUnitSums over test rows [from, from + count), read back. */
export async function ownProbePass(model: Model, ds: Dataset, from: number, count: number, ctx: ActivationContext, tau: number): Promise<ProbeStats> {
  const t0 = performance.now();
  const batch = makeBatch(ds, 'test', from, count);
  try {
    const { sums, rows } = forwardUnitSums(model, batch.x, ctx, tau);
    const values = (await sums.data()) as Float32Array;
    sums.dispose();
    return { sums: values, rows, ms: performance.now() - t0 };
  } finally {
    disposeBatch(batch);
  }
}
