/**
 * One job, start to end: backend → data → model → (probe, epochs of steps, evaluation, probe)
 * → exactly one jobEnd. Every failure path ends in a jobEnd too; the caller never sees a throw.
 *
 * Numbering: step events carry the global step index (from 0) and the 1-based epoch it belongs
 * to; epoch events and a completed/cancelled jobEnd carry the number of steps done; a diverged
 * jobEnd carries the index of the step whose loss was not finite. Epoch `seconds` is the
 * epoch's wall time (training + test evaluation); `samplesPerSec` counts training time only.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { JobSpec } from '../core/config';
import { PROTOCOL_VERSION, type JobEndEvent, type JobStatus, type TrainerEvent } from '../core/protocol';
import { deriveSeed, mulberry32, permutation } from '../core/random';
import { scheduleAt } from '../core/schedules';
import { usefulThreads } from '../core/threads';
import { initBackend } from './backend';
import { localCompute, type Compute, type ProbeStats } from './compute';
import { loadDataset } from './data';
import { lossFunction, type LossFn } from './losses';
import { createModel, type Model } from './models';
import { createOptimizer } from './optimizers';
import { drivingSchedule, trainsStochastically } from '../core/activations';
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

export async function runJob(job: JobSpec, emit: (e: TrainerEvent) => void, control: JobControl): Promise<void> {
  const started = performance.now();
  const jobId = job.jobId;
  const base = () => ({ v: PROTOCOL_VERSION, t: Date.now(), jobId });
  // Where the job stands, for the jobEnd: 1-based epoch in progress, global steps done.
  let epochNow = 0;
  let stepNow = 0;
  let model: Model | undefined;
  let optimizer: tf.Optimizer | undefined;
  let compute: Compute | undefined;
  /** The epoch-0 statistics, held until step 0's gradient gives the norms. */
  let initialProbe: ProbeStats | undefined;
  const end = (status: JobStatus, message?: string): void => {
    const e: JobEndEvent = { ...base(), type: 'jobEnd', status, epoch: epochNow, step: stepNow, seconds: (performance.now() - started) / 1000 };
    if (message !== undefined) e.message = message;
    emit(e);
  };
  const checkCancel = (): void => {
    if (control.cancelled()) throw new Stop('cancelled', 'cancelled by request');
  };

  try {
    const backend = await initBackend(job.backend);
    checkCancel();
    const ds = await loadDataset(job.data, DATA_SPLIT_SEED);
    checkCancel();
    const lossFn = lossFunction(job.training.loss, ds.kind);
    model = createModel(job.model, ds.inputShape, ds.outputs, job.activation, deriveSeed(job.seed, 'init'));
    optimizer = createOptimizer(job.training);
    const { epochs } = job.training;
    const batchSize = Math.max(1, Math.min(job.training.batchSize, ds.trainSize));
    const stepsPerEpoch = Math.ceil(ds.trainSize / batchSize);
    const totalSteps = epochs * stepsPerEpoch;
    const schedule = drivingSchedule(job.activation);
    const sigmaAt = (epoch: number, step: number): number | undefined =>
      schedule ? scheduleAt(schedule, epoch, step, epochs, totalSteps) : undefined;
    const threads = usefulThreads(control.threads ?? 1, backend.name, batchSize, model.macsPerSample);
    compute = localCompute({ model, optimizer, lossFn, ds });
    if (threads > 1) {
      try {
        compute = await startReplicaPool({ model, optimizer, lossFn, ds, job, batchSize, replicas: threads - 1 });
      } catch (err) {
        emit({ ...base(), type: 'log', level: 'warn', message: `training on one thread: worker threads did not start (${errorMessage(err)})` });
      }
      checkCancel();
    }
    emit({ ...base(), type: 'jobStart', backend, threads: compute.threads, parameters: model.paramCount, stepsPerEpoch, epochs, trainSize: ds.trainSize, testSize: ds.testSize });
    const work = compute;

    // Probes (see probes.ts): statistics of a training-mode pass over the probe batch — the test
    // evaluation's own pass when the activation is deterministic — and the gradient norms of the
    // step just taken (before training: of step 0's gradient, measured before it is applied).
    const tau = job.probes.deadThreshold;
    const probeSamples = Math.max(1, Math.min(job.probes.samples, ds.testSize));
    const ownProbePass = trainsStochastically(job.activation);
    const probeSeed = deriveSeed(job.seed, 'probe');
    const probeDue = (epoch: number): boolean => epoch % job.probes.every === 0 || epoch === epochs;
    const probePass = (sigma: number): Promise<ProbeStats> => work.probePass({ training: true, sigma, seed: probeSeed }, probeSamples, tau);
    /** Reads the norms and emits the probe; `ms` is the probe's own compute time. */
    const emitProbe = async (epoch: number, stats: ProbeStats, norms: tf.Tensor1D, ms: number): Promise<void> => {
      const t0 = performance.now();
      const normValues = (await norms.data()) as Float32Array;
      const layers = layerProbes(model!, stats.sums, stats.rows, normValues, tau);
      emit({ ...base(), type: 'probe', epoch, layers, ms: ms + performance.now() - t0 });
    };
    initialProbe = await probePass(sigmaAt(0, 0) ?? 0);

    const orderRng = mulberry32(deriveSeed(job.seed, 'order'));
    const noiseSeed = deriveSeed(job.seed, 'noise');
    const evalSeed = deriveSeed(job.seed, 'eval');
    const kappa = job.data.kappa;
    const classify = ds.kind === 'classification';

    for (let e = 0; e < epochs; e++) {
      epochNow = e + 1;
      const epochStart = performance.now();
      const order = permutation(ds.trainSize, orderRng);
      let lossSum = 0;
      let correct: tf.Scalar = tf.scalar(0);
      let trainMs = 0;
      let lastEmit = -Infinity;
      let lastYield = performance.now();
      let sigma = 0;
      let norms: tf.Tensor1D | undefined;
      let normsMs = 0;
      try {
        for (let s = 0; s < stepsPerEpoch; s++) {
          checkCancel();
          const stepStart = performance.now();
          const step = e * stepsPerEpoch + s;
          const from = s * batchSize;
          const stepSigma = sigmaAt(e, step);
          sigma = stepSigma ?? 0;
          const wantNorms = step === 0 || (s === stepsPerEpoch - 1 && probeDue(e + 1));
          const result = await work.step(order, from, Math.min(batchSize, ds.trainSize - from), { sigma, seed: stepSeed(noiseSeed, step), kappa }, { correct: classify, gradNorms: wantNorms });
          const lossT = result.loss;
          if (result.correct) {
            const sum = tf.add(correct, result.correct) as tf.Scalar;
            tf.dispose([correct, result.correct]);
            correct = sum;
          }
          if (result.gradNorms) {
            if (initialProbe) {
              const stats = initialProbe;
              initialProbe = undefined;
              await emitProbe(0, stats, result.gradNorms, stats.ms + result.gradNormsMs);
            }
            // With one step an epoch, step 0's gradient also ends epoch 1.
            if (s === stepsPerEpoch - 1) {
              norms = result.gradNorms;
              normsMs = result.gradNormsMs;
            } else {
              result.gradNorms.dispose();
            }
          }
          const loss = (await lossT.data())[0]!;
          lossT.dispose();
          stepNow = step + 1;
          trainMs += performance.now() - stepStart;
          const now = performance.now();
          if (!Number.isFinite(loss)) {
            stepNow = step;
            emit({ ...base(), type: 'step', epoch: e + 1, step, loss, ...(stepSigma === undefined ? {} : { sigma: stepSigma }) });
            throw new Stop('diverged', `loss is ${loss} at epoch ${e + 1}, step ${step}; try a smaller learning rate`);
          }
          lossSum += loss;
          if (s === 0 || s === stepsPerEpoch - 1 || now - lastEmit >= job.probes.stepEventMs) {
            lastEmit = now;
            emit({ ...base(), type: 'step', epoch: e + 1, step, loss, ...(stepSigma === undefined ? {} : { sigma: stepSigma }) });
          }
          if (now - lastYield >= YIELD_MS) {
            await nextTick();
            lastYield = performance.now();
          }
        }
        const trainAccuracy = classify ? (await correct.data())[0]! / ds.trainSize : undefined;
        const probeNow = probeDue(e + 1) && norms !== undefined;
        const test = await work.evaluate({ training: false, sigma, seed: deriveSeed(evalSeed, `epoch${e + 1}`) }, async () => {
          await nextTick();
          checkCancel();
        }, probeNow && !ownProbePass ? { samples: probeSamples, tau } : undefined);
        const epochSigma = schedule ? sigma : undefined;
        emit({
          ...base(), type: 'epoch', epoch: e + 1, step: stepNow,
          trainLoss: lossSum / stepsPerEpoch, testLoss: test.loss,
          ...(trainAccuracy === undefined ? {} : { trainAccuracy }),
          ...(test.accuracy === undefined ? {} : { testAccuracy: test.accuracy }),
          ...(epochSigma === undefined ? {} : { sigma: epochSigma }),
          seconds: (performance.now() - epochStart) / 1000,
          samplesPerSec: ds.trainSize / Math.max(trainMs / 1000, 1e-9),
        });
        if (probeNow) {
          checkCancel();
          const stats = test.probe ?? await probePass(sigma);
          await emitProbe(e + 1, stats, norms!, normsMs + stats.ms);
        }
      } finally {
        correct.dispose();
        norms?.dispose();
      }
      checkCancel();
      await nextTick();
    }
    end('completed');
  } catch (err) {
    if (err instanceof Stop) end(err.status, err.message);
    else end('failed', errorMessage(err));
  } finally {
    await compute?.close().catch(() => {});
    optimizer?.dispose();
    model?.dispose();
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
