/**
 * A model replica on a worker thread (see pool.ts): it waits on its lane's control block, runs
 * one task at a time on its share of the rows with the main thread's latest weights, and writes
 * the result into shared memory. Loaded as its own file under tsx, and as part of
 * dist/trainer.js (which starts a replica instead of a trainer when it runs in a worker).
 */
import * as tf from '@tensorflow/tfjs-core';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { JobSpec } from '../../core/config';
import { isObj } from '../../core/guards';
import { initBackend } from '../backend';
import { disposeBatch, makeBatch } from '../batches';
import { ownProbePass } from '../compute';
import type { Dataset } from '../data/types';
import { evaluateSums } from '../evaluate';
import { lossFunction } from '../losses';
import { createModel, type Model } from '../models';
import { batchGradients } from '../step';
import { readInto } from './heap';
import { CTL, NUM, TASK, type LaneBuffers } from './layout';

export const REPLICA_MARK = 'actlab-replica';

export interface ReplicaInit {
  mark: typeof REPLICA_MARK;
  job: JobSpec;
  /** Shared-memory arrays: the same rows the main thread reads. */
  ds: Dataset;
  /** All variables, flattened in model.variables order (shared). */
  params: Float32Array;
  lane: LaneBuffers;
}

export type ReplicaMessage = { type: 'ready' } | { type: 'failed'; message: string };

export function isReplicaInit(x: unknown): x is ReplicaInit {
  return isObj(x) && x.mark === REPLICA_MARK;
}

/**
 * Fresh tensors, never a write over a variable's memory in place: tfjs-wasm's XNNPACK
 * convolution keeps a packed copy of each filter, keyed by its tensor, so an in-place write
 * reaches dataSync but not the convolution (a replica then trained on stale filters).
 */
function loadWeights(model: Model, params: Float32Array): void {
  let at = 0;
  for (const v of model.variables) {
    const t = tf.tensor(params.subarray(at, at + v.size), v.shape, 'float32');
    v.assign(t);
    t.dispose(); // the variable holds the data now
    at += v.size;
  }
}

function writeError(lane: LaneBuffers, err: unknown): void {
  const text = new TextEncoder().encode(err instanceof Error ? err.message || err.name : String(err)).slice(0, lane.error.length);
  lane.error.set(text);
  lane.control[CTL.errorLength] = text.length;
  lane.control[CTL.status] = 1;
}

async function runTask(model: Model, init: ReplicaInit, kind: number): Promise<void> {
  const { lane, ds } = init;
  const c = lane.control;
  const n = lane.numbers;
  const lossFn = lossFunction(init.job.training.loss, ds.kind);
  const from = c[CTL.from]!;
  const count = c[CTL.count]!;
  if (kind === TASK.gradients) {
    const batch = makeBatch(ds, 'train', 0, count, lane.indices);
    try {
      const g = batchGradients(model, lossFn, batch, { sigma: n[NUM.sigma]!, seed: n[NUM.seed]!, kappa: n[NUM.kappa]! }, ds.kind === 'classification');
      let at = 0;
      for (const v of model.trainable) {
        readInto(g.grads[v.name]!, lane.out, at);
        at += v.size;
      }
      n[NUM.lossSum] = g.loss.dataSync()[0]! * count;
      n[NUM.correct] = g.correct ? g.correct.dataSync()[0]! : 0;
      tf.dispose([g.loss, ...(g.correct ? [g.correct] : []), ...Object.values(g.grads)]);
    } finally {
      disposeBatch(batch);
    }
  } else if (kind === TASK.evaluate) {
    const ctx = { training: false, sigma: n[NUM.sigma]!, seed: n[NUM.seed]! };
    const probeRows = c[CTL.probeRows]!;
    const probe = probeRows > 0 ? { samples: probeRows, tau: n[NUM.tau]! } : undefined;
    const sums = await evaluateSums(model, ds, c[CTL.split] === 0 ? 'train' : 'test', lossFn, ctx, from, from + count, undefined, probe);
    n[NUM.lossSum] = sums.lossSum;
    n[NUM.correct] = sums.correct;
    if (sums.probe) {
      lane.out.set(sums.probe.sums);
      sums.probe.rows.forEach((r, i) => { n[NUM.rows + i] = r; });
    }
  } else if (kind === TASK.probe) {
    const stats = await ownProbePass(model, ds, from, count, { training: true, sigma: n[NUM.sigma]!, seed: n[NUM.seed]! }, n[NUM.tau]!);
    lane.out.set(stats.sums);
    stats.rows.forEach((r, i) => { n[NUM.rows + i] = r; });
  } else {
    throw new Error(`unknown replica task ${kind}`);
  }
}

export async function runReplica(init: ReplicaInit, post: (m: ReplicaMessage) => void): Promise<void> {
  let model: Model | undefined;
  try {
    // The main thread chose wasm; a replica never picks a different backend.
    const info = await initBackend('wasm');
    if (info.name !== 'wasm') throw new Error(`replica backend is ${info.name}, not wasm`);
    const { job, ds } = init;
    model = createModel(job.model, ds.inputShape, ds.outputs, job.activation, 0);
  } catch (err) {
    post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    return;
  }
  post({ type: 'ready' });
  const c = init.lane.control;
  let seen = 0;
  let version = -1;
  for (;;) {
    // Blocks this thread (it has nothing else to do) until the main thread posts a task.
    Atomics.wait(c, CTL.taskSeq, seen);
    seen = Atomics.load(c, CTL.taskSeq);
    const kind = c[CTL.kind]!;
    if (kind === TASK.stop) break;
    c[CTL.status] = 0;
    try {
      const wanted = Atomics.load(c, CTL.paramsVersion);
      if (wanted !== version) {
        loadWeights(model, init.params);
        version = wanted;
      }
      await runTask(model, init, kind);
    } catch (err) {
      writeError(init.lane, err);
    }
    Atomics.store(c, CTL.doneSeq, seen);
    Atomics.notify(c, CTL.doneSeq);
  }
  model.dispose();
}

if (!isMainThread && isReplicaInit(workerData)) {
  const port = parentPort;
  void runReplica(workerData, (m) => port?.postMessage(m));
}
