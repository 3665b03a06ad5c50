/**
 * Rough run-time estimates from throughput measured on the offline wasm backend with our SIMD
 * kernels (one core per trainer; docs/PERFORMANCE.md): MLP 784-256-128-10 ~15,000 training
 * samples/s, CNN c16-c32-d128 ~3,000, N-ReLU on the CNN ~0.55× (noise generation), ~2 s to start
 * a trainer and load data. Always an estimate.
 */
import type { JobSpec, ModelSpec } from './config';
import { CATALOG } from './catalog';

const STARTUP_S = 2;
/** Per optimizer step, beyond the arithmetic (kernel launches, JS). */
const STEP_OVERHEAD_S = 0.002;
/** Per epoch: the dead-unit probe (~20 ms MLP, ~200 ms CNN) and events. */
const EPOCH_OVERHEAD_S = { mlp: 0.03, cnn: 0.3 } as const;
/** Multiply-accumulates per second in training (forward + backward), calibrated on the figures above. */
/** Training samples/s of the reference models (MLP 784-256-128-10, CNN c16-c32-d128) on one core. */
export const REFERENCE_SAMPLES_PER_S = { mlp: 15_000, cnn: 3_000 } as const;
const MLP_MACS_PER_S = REFERENCE_SAMPLES_PER_S.mlp * (784 * 256 + 256 * 128 + 128 * 10);
const CNN_MACS_PER_S = REFERENCE_SAMPLES_PER_S.cnn * (28 * 28 * 9 * 16 + 14 * 14 * 9 * 16 * 32 + 7 * 7 * 32 * 128 + 128 * 10);
/** Evaluation is forward only: about a third of a training step per sample. */
const EVAL_FRACTION = 1 / 3;

/** The default number of trainers run at once in estimates (the machine has 2 cores). */
export const DEFAULT_PARALLEL = 2;

/** Multiply-accumulates of one forward pass for one sample. */
export function modelMacs(model: ModelSpec, inputDim: number, outputs: number): number {
  if (model.type === 'mlp') {
    let macs = 0;
    let fan = inputDim;
    for (const h of [...model.hidden, outputs]) { macs += fan * h; fan = h; }
    return macs;
  }
  // 3×3 'same' convolutions on a square image, each followed by 2×2 max-pooling.
  let side = Math.round(Math.sqrt(inputDim));
  let channels = 1;
  let macs = 0;
  for (const f of model.conv) {
    macs += side * side * 9 * channels * f;
    channels = f;
    side = Math.floor(side / 2);
  }
  let fan = side * side * channels;
  for (const h of [...model.dense, outputs]) { macs += fan * h; fan = h; }
  return macs;
}

function inputShape(job: JobSpec): { inputDim: number; outputs: number } {
  return job.data.dataset === 'teacher' ? { inputDim: job.data.d, outputs: 1 } : { inputDim: 784, outputs: 10 };
}

/** Estimated wall-clock seconds of one job on the wasm backend. */
export function estimateJobSeconds(job: JobSpec): number {
  const { inputDim, outputs } = inputShape(job);
  const macs = modelMacs(job.model, inputDim, outputs);
  const rate = job.model.type === 'cnn' ? CNN_MACS_PER_S : MLP_MACS_PER_S;
  const noisy = CATALOG[job.activation.type].stochastic ? (job.model.type === 'cnn' ? 1 / 0.55 : 1.25) : 1;
  const { trainSize, testSize } = job.data;
  const steps = Math.ceil(trainSize / Math.max(1, job.training.batchSize));
  const perEpoch = (trainSize * macs * noisy) / rate + steps * STEP_OVERHEAD_S + (testSize * macs * EVAL_FRACTION) / rate + EPOCH_OVERHEAD_S[job.model.type];
  return STARTUP_S + job.training.epochs * perEpoch;
}

/** Estimated wall-clock seconds of all jobs, `parallel` at a time, in order (greedy list scheduling). */
export function estimateRunSeconds(jobs: JobSpec[], parallel: number = DEFAULT_PARALLEL): number {
  const workers = new Array<number>(Math.max(1, Math.floor(parallel))).fill(0);
  for (const job of jobs) {
    let i = 0;
    for (let k = 1; k < workers.length; k++) if (workers[k] < workers[i]) i = k;
    workers[i] += estimateJobSeconds(job);
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
