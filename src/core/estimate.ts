/**
 * Rough run-time estimates for the offline default (wasm with our SIMD kernels), calibrated on the
 * real trainer's figures in docs/PERFORMANCE.md (2026-11-22, 2 cores): training samples/s on one
 * thread of MLP 784-256-128-10 ~30,000 and of CNN c16-c32-d128 ~3,500; a job alone on 2 cores
 * trains the CNN data-parallel, ~1.4× faster (threads.ts decides when); N-ReLU's noise ~0.85× on
 * the CNN; ~1 s to start a trainer and load data. Always an estimate.
 */
import type { DataSpec, JobSpec, ModelSpec } from './config';
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

/**
 * How this machine's measured speed compares with the estimate: the range, over recent jobs,
 * of measured ÷ estimated training time (2 = twice as slow as the reference figures).
 */
export interface SpeedCalibration { low: number; high: number; jobs: number }

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

/** Inputs per sample, model outputs and image channels of a job's data (also used by estimateMemory.ts). */
export function inputShape(data: DataSpec): { inputDim: number; outputs: number; channels: number } {
  if (data.dataset === 'teacher') return { inputDim: data.d, outputs: 1, channels: 1 };
  return { inputDim: inputSize(data.dataset), outputs: 10, channels: imageShape(data.dataset)?.channels ?? 1 };
}

/** The rate and per-sample work of one job on the wasm backend, given the threads it may use. */
function jobRate(job: JobSpec, threads: number): { macs: number; rate: number; noisy: number } {
  const { inputDim, outputs, channels } = inputShape(job.data);
  const macs = modelMacs(job.model, inputDim, outputs, channels);
  // BatchNorm jobs train on one thread (src/core/threads.ts, allowsReplicas).
  const used = allowsReplicas(job.model) ? usefulThreads(threads, 'wasm', job.training.batchSize, macs) : 1;
  const rate = (job.model.type === 'cnn' ? CNN_MACS_PER_S : MLP_MACS_PER_S) * (1 + GAIN_PER_EXTRA_THREAD * (used - 1));
  const noisy = (CATALOG[job.activation.type].stochastic ? NOISE_SLOWDOWN[job.model.type] : 1) * (job.model.norm === 'batch' ? NORM_SLOWDOWN[job.model.type] : 1);
  return { macs, rate, noisy };
}

/** Estimated seconds of one epoch's optimizer steps (what an epoch event's samplesPerSec measures). */
export function estimateTrainSeconds(job: JobSpec, threads = 1): number {
  const { macs, rate, noisy } = jobRate(job, threads);
  const { trainSize } = job.data;
  return (trainSize * macs * noisy) / rate + Math.ceil(trainSize / Math.max(1, job.training.batchSize)) * STEP_OVERHEAD_S;
}

/** Estimated wall-clock seconds of one job on the wasm backend, given the threads it may use. */
export function estimateJobSeconds(job: JobSpec, threads = 1): number {
  const { macs, rate } = jobRate(job, threads);
  const perEpoch = estimateTrainSeconds(job, threads) + (job.data.testSize * macs * EVAL_FRACTION) / rate + EPOCH_OVERHEAD_S[job.model.type];
  return STARTUP_S + job.training.epochs * perEpoch;
}

/** A recorded arm's measured training speed: its job spec, samples/s over its jobs, the threads it had. */
export interface MeasuredSpeed { job: JobSpec; samplesPerSec: { mean: number; min: number; max: number; n: number }; threads: number }

/** The calibration per model type: an MLP's speed says little about a CNN's. */
export type SpeedCalibrations = Partial<Record<ModelSpec['type'], SpeedCalibration>>;

/**
 * Runs smaller than this many training samples are left out: their steps are too short for the
 * fixed costs the reference rates include to be representative (a test's 300-sample jobs ran
 * 6× slower than the estimate).
 */
export const MIN_CALIBRATION_SAMPLES = 1000;

/**
 * This machine against the estimate, from recorded runs: per arm, measured ÷ estimated training
 * time (its mean speed); the range over arms of one model type, or one arm's slowest and fastest
 * job when it is alone. Undefined where no usable record exists.
 */
export function calibrateSpeed(measured: readonly MeasuredSpeed[]): SpeedCalibrations {
  const out: SpeedCalibrations = {};
  for (const type of ['mlp', 'cnn'] as const) {
    const arms = measured.filter((m) => m.job.model.type === type && m.job.data.trainSize >= MIN_CALIBRATION_SAMPLES
      && m.samplesPerSec.min > 0 && m.samplesPerSec.max >= m.samplesPerSec.min && m.samplesPerSec.mean > 0 && m.samplesPerSec.n > 0);
    if (!arms.length) continue;
    const estimated = (m: MeasuredSpeed): number => m.job.data.trainSize / estimateTrainSeconds(m.job, m.threads);
    const ratios = arms.length === 1
      ? [estimated(arms[0]!) / arms[0]!.samplesPerSec.max, estimated(arms[0]!) / arms[0]!.samplesPerSec.min]
      : arms.map((m) => estimated(m) / m.samplesPerSec.mean);
    out[type] = { low: Math.min(...ratios), high: Math.max(...ratios), jobs: arms.reduce((n, m) => n + m.samplesPerSec.n, 0) };
  }
  return out;
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
