/**
 * Rough run-time estimates for the offline default (wasm with our SIMD kernels), calibrated on the
 * real trainer's figures in docs/PERFORMANCE.md (2026-11-22, 2 cores): training samples/s on one
 * thread of MLP 784-256-128-10 ~30,000 and of CNN c16-c32-d128 ~3,500; a job alone on 2 cores
 * trains the CNN data-parallel, ~1.4× faster (threads.ts decides when); N-ReLU's noise ~0.85× on
 * the CNN; ~1 s to start a trainer and load data. Always an estimate.
 */
import type { JobSpec, ModelSpec } from './config';
import { CATALOG } from './catalog';
import { imageShape, inputSize } from './datasets';
import { allowsReplicas, threadsPerJob, usefulThreads } from './threads';

const STARTUP_S = 1;
/** Per optimizer step, beyond the arithmetic (kernel launches, JS); part of the reference rates. */
const STEP_OVERHEAD_S = 0.001;
/** The batch size the reference rates were measured at. */
const REFERENCE_BATCH = 128;
/** Per epoch: the dead-unit probe and events. */
const EPOCH_OVERHEAD_S = { mlp: 0.02, cnn: 0.1 } as const;
/** Training samples/s of the reference models (MLP 784-256-128-10, CNN c16-c32-d128) on one thread. */
export const REFERENCE_SAMPLES_PER_S = { mlp: 30_000, cnn: 3_500 } as const;
/** Speed of a data-parallel job per extra thread, relative to one (2 threads: ~1.4×). */
const GAIN_PER_EXTRA_THREAD = 0.4;
/** How much longer a stochastic activation's steps take than ReLU's (its noise), per model type. */
const NOISE_SLOWDOWN = { mlp: 1.1, cnn: 1.2 } as const;
/**
 * How much longer a BatchNorm model's (`norm: "batch"`) steps take, per model type, measured on the
 * reference models at batch 128, one thread, wasm, with and without, interleaved (2 shared, loaded
 * cores, 2026-12-04): `bench/step.ts --norm batch` per CPU-second CNN 1.29–1.37×, MLP 1.13–1.32×;
 * median wall step CNN 1.42–1.52×, MLP 1.13–1.9×. Such jobs also train on one thread (threads.ts).
 */
const NORM_SLOWDOWN = { mlp: 1.2, cnn: 1.4 } as const;
/** Multiply-adds a second of a model's forward count in training, the per-step overhead taken out. */
const macRate = (samplesPerS: number, macs: number): number => macs / (1 / samplesPerS - STEP_OVERHEAD_S / REFERENCE_BATCH);
const MLP_MACS_PER_S = macRate(REFERENCE_SAMPLES_PER_S.mlp, 784 * 256 + 256 * 128 + 128 * 10);
const CNN_MACS_PER_S = macRate(REFERENCE_SAMPLES_PER_S.cnn, 28 * 28 * 9 * 16 + 14 * 14 * 9 * 16 * 32 + 7 * 7 * 32 * 128 + 128 * 10);
/** Evaluation is forward only: about a third of a training step per sample. */
const EVAL_FRACTION = 1 / 3;

/** The default number of trainers run at once, and of cores, in estimates (the machine has 2). */
export const DEFAULT_PARALLEL = 2;
export const DEFAULT_CORES = 2;

/** Multiply-accumulates of one forward pass for one sample (a CNN's input: a square image of `channels`). */
export function modelMacs(model: ModelSpec, inputDim: number, outputs: number, channels = 1): number {
  if (model.type === 'mlp') {
    let macs = 0;
    let fan = inputDim;
    for (const h of [...model.hidden, outputs]) { macs += fan * h; fan = h; }
    return macs;
  }
  // 3×3 'same' convolutions on a square image, each followed by 2×2 max-pooling.
  let side = Math.round(Math.sqrt(inputDim / channels));
  let c = channels;
  let macs = 0;
  for (const f of model.conv) {
    macs += side * side * 9 * c * f;
    c = f;
    side = Math.floor(side / 2);
  }
  let fan = side * side * c;
  for (const h of [...model.dense, outputs]) { macs += fan * h; fan = h; }
  return macs;
}

function inputShape(job: JobSpec): { inputDim: number; outputs: number; channels: number } {
  if (job.data.dataset === 'teacher') return { inputDim: job.data.d, outputs: 1, channels: 1 };
  return { inputDim: inputSize(job.data.dataset), outputs: 10, channels: imageShape(job.data.dataset)?.channels ?? 1 };
}

/** Estimated wall-clock seconds of one job on the wasm backend, given the threads it may use. */
export function estimateJobSeconds(job: JobSpec, threads = 1): number {
  const { inputDim, outputs, channels } = inputShape(job);
  const macs = modelMacs(job.model, inputDim, outputs, channels);
  const used = allowsReplicas(job.model) ? usefulThreads(threads, 'wasm', job.training.batchSize, macs) : 1;
  const rate = (job.model.type === 'cnn' ? CNN_MACS_PER_S : MLP_MACS_PER_S) * (1 + GAIN_PER_EXTRA_THREAD * (used - 1));
  const noisy = (CATALOG[job.activation.type].stochastic ? NOISE_SLOWDOWN[job.model.type] : 1) * (job.model.norm === 'batch' ? NORM_SLOWDOWN[job.model.type] : 1);
  const { trainSize, testSize } = job.data;
  const steps = Math.ceil(trainSize / Math.max(1, job.training.batchSize));
  const perEpoch = (trainSize * macs * noisy) / rate + steps * STEP_OVERHEAD_S + (testSize * macs * EVAL_FRACTION) / rate + EPOCH_OVERHEAD_S[job.model.type];
  return STARTUP_S + job.training.epochs * perEpoch;
}

/**
 * Estimated wall-clock seconds of all jobs, `parallel` at a time, in order (greedy list
 * scheduling), each with the threads the runner gives it on `cores` (threads.ts).
 */
export function estimateRunSeconds(jobs: JobSpec[], parallel: number = DEFAULT_PARALLEL, cores: number = DEFAULT_CORES): number {
  const workers = new Array<number>(Math.max(1, Math.floor(parallel))).fill(0);
  const threads = threadsPerJob(cores, workers.length, jobs.length);
  for (const job of jobs) {
    let i = 0;
    for (let k = 1; k < workers.length; k++) if (workers[k] < workers[i]) i = k;
    workers[i] += estimateJobSeconds(job, threads);
  }
  return Math.max(...workers);
}

/** "~45 s", "~12 min", "~2 h 10 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `~${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `~${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `~${h} h ${m} min` : `~${h} h`;
}
