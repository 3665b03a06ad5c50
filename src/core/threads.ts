/**
 * How many threads a job trains on: the scheduler shares the cores among the trainers that run
 * at once, and the trainer uses data-parallel replicas (src/trainer/parallel) only where they pay.
 * Pure, so the run-time estimate (estimate.ts) follows the same rules as the runner and trainer.
 */
import type { ModelSpec } from './config';

/** The cores shared among the trainers that run at once. */
export function threadsPerJob(cores: number, parallel: number, jobs: number): number {
  return Math.max(1, Math.floor(cores / Math.max(1, Math.min(parallel, jobs))));
}

/**
 * Below this many forward multiply-adds a step, replicas cost more than they save: measured
 * here (2 cores, wasm), the MNIST CNN (1.2 M a sample) trains 1.7× faster on 2 threads at
 * batch 128 and 1.5× at 64, while the MLP 784-256-128-10 (0.24 M a sample, 30 M a step) is
 * slower on 2: its 2–4 ms steps are dominated by per-kernel overhead, which sharding doubles.
 */
export const MIN_PARALLEL_MACS = 5e7;
/** Fewest rows a shard gets. */
export const MIN_SHARD_ROWS = 16;

/** Threads worth using: on wasm only (the native backend has its own thread pool). */
export function usefulThreads(threads: number, backend: string, batchSize: number, macsPerSample: number): number {
  if (backend !== 'wasm' || batchSize * macsPerSample < MIN_PARALLEL_MACS) return 1;
  return Math.max(1, Math.min(Math.floor(threads), Math.floor(batchSize / MIN_SHARD_ROWS)));
}

/**
 * Whether a model may train data-parallel. BatchNorm (`model.norm: "batch"`) may not: it
 * normalises every layer by the statistics of the whole batch, and a replica sees only its
 * shard. Matching one thread would take an all-reduce of each layer's statistics in the middle of
 * every forward and backward pass, where the pool (src/trainer/parallel) hands each replica one
 * whole gradient task per step; per-shard statistics instead would make what is trained depend
 * on the thread count. So such jobs train on one thread.
 */
export function allowsReplicas(model: Pick<ModelSpec, 'norm'>): boolean {
  return model.norm === undefined || model.norm === 'none';
}

/** Backends that train on a GPU (BackendInfo.name): one job owns the device (src/runner/scheduler.ts). */
export const GPU_BACKENDS: readonly string[] = ['webgpu', 'tensorflow-gpu'];
/** GPU jobs the scheduler runs at once; CPU jobs fill the other slots. */
export const GPU_JOBS_AT_ONCE = 1;
