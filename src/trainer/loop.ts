/**
 * One job, start to end: backend → data → model → (probe, epochs of steps, evaluation, probe)
 * → exactly one jobEnd. Every failure path ends in a jobEnd too; the caller never sees a throw.
 *
 * Numbering: step events carry the global step index (from 0) and the 1-based epoch it belongs
 * to; epoch events and a completed/cancelled jobEnd carry the number of steps done; a diverged
 * jobEnd carries the index of the step whose loss was not finite or past the divergence factor. Epoch `seconds` is the
 * epoch's wall time (training + test evaluation); `samplesPerSec` counts training time only.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { JobSpec, Schedule } from '../core/config';
import { CLEAN_TRAIN_SAMPLES } from '../core/defaults';
import { PROTOCOL_VERSION, type EpochEvent, type JobEndEvent, type JobStatus, type TrainerEvent } from '../core/protocol';
import { deriveSeed, mulberry32, permutation } from '../core/random';
import { scheduleAt } from '../core/schedules';
import { allowsReplicas, usefulThreads } from '../core/threads';
import { initBackend } from './backend';
import { deviceFault, gpuMemoryMB, throwIfDeviceFault } from './backends/webgpu';
import { localCompute, type Compute, type ProbeStats } from './compute';
import { loadDataset } from './data';
import type { Dataset } from './data/types';
import { lossFunction, type LossFn } from './losses';
import { createModel, type Model } from './models';
import { createOptimizer } from './optimizers';
import { DivergenceWatch } from './divergence';
import { drivingSchedule, trainsStochastically } from '../core/activations';
import { learnedParams } from './models/learned';
import { startReplicaPool } from './parallel/pool';
import { layerProbes } from './probes';

export interface JobControl {
  cancelled(): boolean;
  /** Threads the job may use (data-parallel replicas on wasm, see parallel/pool.ts); default 1. */
  threads?: number;
}

/** The split is shared by every job of a config so that arms see the same train/test data. */
export const DATA_SPLIT_SEED = deriveSeed(0, 'data-split');

/** Yield to the event loop (IPC messages, signals) at least this often while training. */
const YIELD_MS = 50;

class Stop extends Error {
  constructor(readonly status: Exclude<JobStatus, 'completed' | 'failed'>, message: string) {
    super(message);
  }
}

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A fresh 32-bit seed per training step, independent across steps. */
export function stepSeed(noiseSeed: number, step: number): number {
  return deriveSeed(noiseSeed, `step${step}`);
}

/** What a running job holds: its setup, its place (for the jobEnd) and what must be freed. */
interface Run {
  job: JobSpec;
  emit: (e: TrainerEvent) => void;
  control: JobControl;
  base: () => { v: typeof PROTOCOL_VERSION; t: number; jobId: string };
  /** 1-based epoch in progress, global steps done. */
  epochNow: number;
  stepNow: number;
  model?: Model;
  optimizer?: tf.Optimizer;
  compute?: Compute;
  /** The epoch-0 statistics, held until step 0's gradient gives the norms. */
  initialProbe?: ProbeStats;
}

/** The parts of a job that stay fixed while it trains. */
interface Setup {
  ds: Dataset;
  model: Model;
  work: Compute;
  epochs: number;
  batchSize: number;
  stepsPerEpoch: number;
  /** The schedule driving the activation's σ (from the registry), if any. */
  schedule: Schedule | undefined;
  sigmaAt(epoch: number, step: number): number | undefined;
  probes: Probing;
  divergence: DivergenceWatch;
}

/** Probes (see probes.ts): when they are due and how their statistics are taken and sent. */
interface Probing {
  tau: number;
  samples: number;
  /** The activation trains stochastically: the test evaluation's pass cannot double as the probe's. */
  ownPass: boolean;
  due(epoch: number): boolean;
  pass(sigma: number): Promise<ProbeStats>;
  /** Reads the norms and emits the probe; `ms` is the probe's own compute time. */
  send(epoch: number, stats: ProbeStats, norms: tf.Tensor1D, ms: number): Promise<void>;
}

/** One epoch's training, for its epoch event and probe. */
interface EpochResult {
  lossSum: number;
  correct: tf.Scalar;
  trainMs: number;
  /** σ of the epoch's last step (0 without a schedule). */
  sigma: number;
  /** The last step's gradient norms when a probe is due after this epoch. */
  norms?: tf.Tensor1D;
  normsMs: number;
}

export async function runJob(job: JobSpec, emit: (e: TrainerEvent) => void, control: JobControl): Promise<void> {
  const started = performance.now();
  const run: Run = { job, emit, control, base: () => ({ v: PROTOCOL_VERSION, t: Date.now(), jobId: job.jobId }), epochNow: 0, stepNow: 0 };
  const end = (status: JobStatus, message?: string): void => {
    const e: JobEndEvent = { ...run.base(), type: 'jobEnd', status, epoch: run.epochNow, step: run.stepNow, seconds: (performance.now() - started) / 1000 };
    if (message !== undefined) e.message = message;
    emit(e);
  };
  try {
    const setup = await prepare(run);
    run.initialProbe = await setup.probes.pass(setup.sigmaAt(0, 0) ?? 0);
    await train(run, setup);
    end('completed');
  } catch (err) {
    if (err instanceof Stop) end(err.status, err.message);
    else end('failed', deviceFault(err) ?? errorMessage(err));
  } finally {
    await run.compute?.close().catch(() => {});
    run.optimizer?.dispose();
    run.model?.dispose();
  }
}

function checkCancel(run: Run): void {
  if (run.control.cancelled()) throw new Stop('cancelled', 'cancelled by request');
}

/** Backend → data → model and optimizer → compute (replicas where useful) → jobStart. */
async function prepare(run: Run): Promise<Setup> {
  const { job, emit } = run;
  const backend = await initBackend(job.backend);
  checkCancel(run);
  const ds = await loadDataset(job.data, DATA_SPLIT_SEED);
  checkCancel(run);
  const lossFn = lossFunction(job.training.loss, ds.kind);
  const model = run.model = createModel(job.model, ds.inputShape, ds.outputs, job.activation, deriveSeed(job.seed, 'init'));
  const optimizer = run.optimizer = createOptimizer(job.training);
  const { epochs } = job.training;
  const batchSize = Math.max(1, Math.min(job.training.batchSize, ds.trainSize));
  const stepsPerEpoch = Math.ceil(ds.trainSize / batchSize);
  const totalSteps = epochs * stepsPerEpoch;
  const schedule = drivingSchedule(job.activation);
  const sigmaAt = (epoch: number, step: number): number | undefined =>
    schedule ? scheduleAt(schedule, epoch, step, epochs, totalSteps) : undefined;
  const useful = usefulThreads(run.control.threads ?? 1, backend.name, batchSize, model.macsPerSample);
  const threads = allowsReplicas(job.model) ? useful : 1;
  if (useful > threads) emit({ ...run.base(), type: 'log', level: 'info', message: `training on one thread: BatchNorm needs every batch's statistics in one place (${useful} threads were available)` });
  run.compute = localCompute({ model, optimizer, lossFn, ds });
  if (threads > 1) {
    try {
      run.compute = await startReplicaPool({ model, optimizer, lossFn, ds, job, batchSize, replicas: threads - 1 });
    } catch (err) {
      emit({ ...run.base(), type: 'log', level: 'warn', message: `training on one thread: worker threads did not start (${errorMessage(err)})` });
    }
    checkCancel(run);
  }
  const work = run.compute;
  emit({ ...run.base(), type: 'jobStart', backend, threads: work.threads, parameters: model.paramCount, stepsPerEpoch, epochs, trainSize: ds.trainSize, testSize: ds.testSize });
  return { ds, model, work, epochs, batchSize, stepsPerEpoch, schedule, sigmaAt, probes: probing(run, ds, model, work, epochs), divergence: new DivergenceWatch(job) };
}

/**
 * Statistics of a training-mode pass over the probe batch — the test evaluation's own pass when
 * the activation is deterministic — and the gradient norms of the step just taken (before
 * training: of step 0's gradient, measured before it is applied).
 */
function probing(run: Run, ds: Dataset, model: Model, work: Compute, epochs: number): Probing {
  const { job } = run;
  const tau = job.probes.deadThreshold;
  const samples = Math.max(1, Math.min(job.probes.samples, ds.testSize));
  const seed = deriveSeed(job.seed, 'probe');
  return {
    tau, samples,
    ownPass: trainsStochastically(job.activation),
    due: (epoch) => epoch % job.probes.every === 0 || epoch === epochs,
    pass: (sigma) => work.probePass({ training: true, sigma, seed }, samples, tau),
    async send(epoch, stats, norms, ms) {
      const t0 = performance.now();
      const normValues = (await norms.data()) as Float32Array;
      const layers = layerProbes(model, stats.sums, stats.rows, normValues, tau);
      run.emit({ ...run.base(), type: 'probe', epoch, layers, ms: ms + performance.now() - t0 });
    },
  };
}

/** The epochs: train, evaluate, emit the epoch event and, when due, the probe. */
async function train(run: Run, setup: Setup): Promise<void> {
  const { job } = run;
  const orderRng = mulberry32(deriveSeed(job.seed, 'order'));
  const noiseSeed = deriveSeed(job.seed, 'noise');
  const evalSeed = deriveSeed(job.seed, 'eval');
  for (let e = 0; e < setup.epochs; e++) {
    run.epochNow = e + 1;
    const epochStart = performance.now();
    const order = permutation(setup.ds.trainSize, orderRng);
    const r: EpochResult = { lossSum: 0, correct: tf.scalar(0), trainMs: 0, sigma: 0, normsMs: 0 };
    try {
      await trainEpoch(run, setup, e, order, noiseSeed, r);
      await finishEpoch(run, setup, e, epochStart, deriveSeed(evalSeed, `epoch${e + 1}`), r);
    } finally {
      r.correct.dispose();
      r.norms?.dispose();
    }
    checkCancel(run);
    await nextTick();
  }
}

/** One epoch of optimizer steps; accumulates into `r`. */
async function trainEpoch(run: Run, setup: Setup, e: number, order: Uint32Array | number[], noiseSeed: number, r: EpochResult): Promise<void> {
  const { job } = run;
  const { ds, batchSize, stepsPerEpoch, work } = setup;
  const classify = ds.kind === 'classification';
  let lastEmit = -Infinity;
  let lastYield = performance.now();
  for (let s = 0; s < stepsPerEpoch; s++) {
    checkCancel(run);
    const stepStart = performance.now();
    const step = e * stepsPerEpoch + s;
    const from = s * batchSize;
    const stepSigma = setup.sigmaAt(e, step);
    r.sigma = stepSigma ?? 0;
    const wantNorms = step === 0 || (s === stepsPerEpoch - 1 && setup.probes.due(e + 1));
    const result = await work.step(order, from, Math.min(batchSize, ds.trainSize - from), { sigma: r.sigma, seed: stepSeed(noiseSeed, step), kappa: job.data.kappa }, { correct: classify, gradNorms: wantNorms });
    const lossT = result.loss;
    if (result.correct) {
      const sum = tf.add(r.correct, result.correct) as tf.Scalar;
      tf.dispose([r.correct, result.correct]);
      r.correct = sum;
    }
    if (result.gradNorms) await takeNorms(run, setup, s, result.gradNorms, result.gradNormsMs, r);
    const loss = (await lossT.data())[0]!;
    lossT.dispose();
    throwIfDeviceFault();
    run.stepNow = step + 1;
    r.trainMs += performance.now() - stepStart;
    const now = performance.now();
    const stepEvent = { ...run.base(), type: 'step' as const, epoch: e + 1, step, loss, ...(stepSigma === undefined ? {} : { sigma: stepSigma }) };
    const diverged = await setup.divergence.check(loss, e + 1, step, setup.model);
    if (diverged !== undefined) {
      run.stepNow = step;
      run.emit(stepEvent);
      throw new Stop('diverged', diverged);
    }
    r.lossSum += loss;
    if (s === 0 || s === stepsPerEpoch - 1 || now - lastEmit >= job.probes.stepEventMs) {
      lastEmit = now;
      run.emit(stepEvent);
    }
    if (now - lastYield >= YIELD_MS) {
      await nextTick();
      lastYield = performance.now();
    }
  }
}

/** A step's gradient norms: step 0's complete the epoch-0 probe; an epoch's last step's are kept for its probe. */
async function takeNorms(run: Run, setup: Setup, s: number, gradNorms: tf.Tensor1D, gradNormsMs: number, r: EpochResult): Promise<void> {
  if (run.initialProbe) {
    const stats = run.initialProbe;
    run.initialProbe = undefined;
    await setup.probes.send(0, stats, gradNorms, stats.ms + gradNormsMs);
  }
  // With one step an epoch, step 0's gradient also ends epoch 1.
  if (s === setup.stepsPerEpoch - 1) {
    r.norms = gradNorms;
    r.normsMs = gradNormsMs;
  } else {
    gradNorms.dispose();
  }
}

/** The test evaluation (doubling as the probe pass when it can), the epoch event, the probe. */
async function finishEpoch(run: Run, setup: Setup, e: number, epochStart: number, evalSeed: number, r: EpochResult): Promise<void> {
  const { ds, probes, work } = setup;
  const classify = ds.kind === 'classification';
  const trainAccuracy = classify ? (await r.correct.data())[0]! / ds.trainSize : undefined;
  const probeNow = probes.due(e + 1) && r.norms !== undefined;
  const test = await work.evaluate({ training: false, sigma: r.sigma, seed: evalSeed }, async () => {
    await nextTick();
    checkCancel(run);
  }, probeNow && !probes.ownPass ? { samples: probes.samples, tau: probes.tau } : undefined);
  const clean = await cleanTrain(run, setup, r.sigma, evalSeed);
  const epochSigma = setup.schedule ? r.sigma : undefined;
  const params = await learnedParams(setup.model);
  const gpuMemory = gpuMemoryMB();
  run.emit({
    ...run.base(), type: 'epoch', epoch: e + 1, step: run.stepNow,
    trainLoss: r.lossSum / setup.stepsPerEpoch, testLoss: test.loss,
    ...(trainAccuracy === undefined ? {} : { trainAccuracy }),
    ...(test.accuracy === undefined ? {} : { testAccuracy: test.accuracy }),
    ...clean,
    ...(epochSigma === undefined ? {} : { sigma: epochSigma }),
    ...(params === undefined ? {} : { params }),
    seconds: (performance.now() - epochStart) / 1000,
    samplesPerSec: ds.trainSize / Math.max(r.trainMs / 1000, 1e-9),
    ...(gpuMemory === undefined ? {} : { gpuMemoryMB: gpuMemory }),
  });
  if (probeNow) {
    checkCancel(run);
    const stats = test.probe ?? await probes.pass(r.sigma);
    await probes.send(e + 1, stats, r.norms!, r.normsMs + stats.ms);
  }
}

/**
 * With input masks, the training loss with the mask off (arXiv 2602.17423 plots this one): the
 * first CLEAN_TRAIN_SAMPLES rows of the shuffled training split, in inference mode. Nothing
 * without masks, where the epoch's training loss already is the clean one.
 */
async function cleanTrain(run: Run, setup: Setup, sigma: number, evalSeed: number): Promise<Pick<EpochEvent, 'cleanTrainLoss' | 'cleanTrainAccuracy'>> {
  if (!(run.job.data.kappa > 0)) return {};
  const between = async (): Promise<void> => {
    await nextTick();
    checkCancel(run);
  };
  const clean = await setup.work.evaluateTrain({ training: false, sigma, seed: deriveSeed(evalSeed, 'clean') }, CLEAN_TRAIN_SAMPLES, between);
  return { cleanTrainLoss: clean.loss, ...(clean.accuracy === undefined ? {} : { cleanTrainAccuracy: clean.accuracy }) };
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
