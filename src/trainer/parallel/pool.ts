/**
 * Data parallelism across worker threads for the wasm backend, which runs on one core per
 * thread: every step, each of `replicas` worker threads computes the gradient of its shard of
 * the batch while this thread computes its own; this thread averages them (weighted by shard
 * size), applies the optimizer and publishes the new weights. Test evaluation and a stochastic
 * activation's probe pass are split the same way.
 *
 * The numbers depend on the number of shards (each shard draws its own noise; sums are added in
 * a different order), not on timing: a run is reproducible with the same thread count, which
 * the jobStart event records.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { JobSpec } from '../../core/config';
import { deriveSeed } from '../../core/random';
import type { ActivationContext } from '../activations/types';
import { disposeBatch, makeBatch } from '../batches';
import { ownProbePass, type Compute, type ComputeParts, type ProbeStats } from '../compute';
import type { Dataset } from '../data/types';
import { evaluateSums, evaluateTrainRows, finishEvaluation, type Evaluation, type EvaluationProbe } from '../evaluate';
import { applyGradients, batchGradients, type BatchGradients, type StepOptions, type StepResult, type StepWants } from '../step';
import { replicaEntry, type ReplicaEntry } from './entry';
import { readInto } from './heap';
import { done, post, startLane, type Lane } from './lane';
import { allocateLane, CTL, NUM, shardRanges, TASK, toShared } from './layout';
import { REPLICA_MARK } from './replica';

/** The seed of shard k of a step or pass whose single-thread seed is `seed`. */
export const shardSeed = (seed: number, shard: number): number => deriveSeed(seed, `shard${shard}`);

export interface PoolOptions extends ComputeParts {
  job: JobSpec;
  replicas: number;
  batchSize: number;
  /** The replicas' script (default: ./entry's, the bundle in production). */
  entry?: ReplicaEntry;
}

/** What every task of the pool works with: the main thread's parts plus the replicas. */
interface Pool extends ComputeParts {
  lanes: Lane[];
  /** Shards per task: one per replica plus the main thread's (shard 0). */
  parts: number;
  /** Copies the model's weights to the replicas (after every optimizer step). */
  publish(): void;
}

/** A replica that took a task, with the rows (or probe rows) it took. */
type Busy = Array<[Lane, number]>;

export async function startReplicaPool(o: PoolOptions): Promise<Compute> {
  const ds = shareDataset(o.ds);
  const params = new Float32Array(new SharedArrayBuffer(parameterCount(o.model.variables) * 4));
  const lanes = await startLanes(o, ds, params);
  const pool: Pool = { ...o, ds, lanes, parts: lanes.length + 1, publish: publisher(o.model.variables, params, lanes) };
  pool.publish();
  return {
    threads: pool.parts,
    step: (order, from, count, so, want) => poolStep(pool, order, from, count, so, want),
    evaluate: (ctx, between, probe) => poolEvaluate(pool, ctx, between, probe),
    // On this thread only: it holds the current weights, and the pass is one forward per epoch.
    evaluateTrain: (ctx, count, between) => evaluateTrainRows(o.model, ds, o.lossFn, ctx, count, between),
    probePass: (ctx, samples, tau) => poolProbePass(pool, ctx, samples, tau),
    close: () => closePool(lanes),
  };
}

function shareDataset(ds: Dataset): Dataset {
  return { ...ds, xTrain: toShared(ds.xTrain), xTest: toShared(ds.xTest), yTrain: toShared(ds.yTrain), yTest: toShared(ds.yTest) };
}

const parameterCount = (variables: readonly tf.Variable[]): number => variables.reduce((s, v) => s + v.size, 0);

/** Starts the replicas one after the other (each loads a backend); none survive a failure. */
async function startLanes(o: PoolOptions, ds: Dataset, params: Float32Array): Promise<Lane[]> {
  const { model } = o;
  const probeFloats = 3 * model.hiddenLayers.reduce((s, l) => s + l.units, 0);
  const floats = Math.max(params.length, probeFloats);
  const entry = o.entry ?? replicaEntry();
  const lanes: Lane[] = [];
  try {
    for (let k = 0; k < o.replicas; k++) {
      const buffers = allocateLane(o.batchSize, floats, model.hiddenLayers.length);
      lanes.push(await startLane({ mark: REPLICA_MARK, job: o.job, ds, params, lane: buffers }, entry));
    }
  } catch (err) {
    await Promise.all(lanes.map((l) => l.worker.terminate()));
    throw err;
  }
  return lanes;
}

function publisher(variables: readonly tf.Variable[], params: Float32Array, lanes: readonly Lane[]): () => void {
  let version = 0;
  return () => {
    let at = 0;
    for (const v of variables) {
      readInto(v, params, at);
      at += v.size;
    }
    version++;
    for (const l of lanes) Atomics.store(l.buffers.control, CTL.paramsVersion, version);
  };
}

async function closePool(lanes: readonly Lane[]): Promise<void> {
  for (const lane of lanes) post(lane, TASK.stop, {}, {});
  await Promise.all(lanes.map((l) => l.worker.terminate()));
}

// ---- training step ---------------------------------------------------------------------------

async function poolStep(p: Pool, order: ArrayLike<number>, from: number, count: number, so: StepOptions, want: StepWants): Promise<StepResult> {
  const ranges = shardRanges(from, count, p.parts);
  const busy = postGradientTasks(p.lanes, ranges, order, so);
  const [f0, n0] = ranges[0]!;
  const own = ownGradients(p, order, f0, n0, so, Boolean(want.correct));
  try {
    await Promise.all(busy.map(([lane]) => done(lane)));
  } catch (err) {
    tf.dispose([own.loss, ...(own.correct ? [own.correct] : []), ...Object.values(own.grads)]);
    throw err;
  }
  const combined = combineGradients(p.model.trainable, own.grads, n0, busy, count);
  tf.dispose(Object.values(own.grads));
  const applied = applyGradients(p.model, p.optimizer, combined, Boolean(want.gradNorms));
  p.publish();
  return { ...combineLossAndCorrect(own, n0, busy, count), ...applied };
}

function postGradientTasks(lanes: readonly Lane[], ranges: Array<[number, number]>, order: ArrayLike<number>, so: StepOptions): Busy {
  const busy: Busy = [];
  lanes.forEach((lane, k) => {
    const [f, n] = ranges[k + 1]!;
    if (n === 0) return;
    for (let i = 0; i < n; i++) lane.buffers.indices[i] = order[f + i]!;
    post(lane, TASK.gradients, { count: n }, { sigma: so.sigma, seed: shardSeed(so.seed, k + 1), kappa: so.kappa });
    busy.push([lane, n]);
  });
  return busy;
}

/** The main thread's shard (shard 0) of the step. */
function ownGradients(p: Pool, order: ArrayLike<number>, from: number, count: number, so: StepOptions, wantCorrect: boolean): BatchGradients {
  const batch = makeBatch(p.ds, 'train', from, count, order);
  try {
    return batchGradients(p.model, p.lossFn, batch, { ...so, seed: shardSeed(so.seed, 0) }, wantCorrect);
  } finally {
    disposeBatch(batch);
  }
}

/** The batch's gradient: every shard's, weighted by its share of the rows. */
function combineGradients(variables: readonly tf.Variable[], own: tf.NamedTensorMap, n0: number, busy: Busy, count: number): tf.NamedTensorMap {
  return tf.tidy(() => {
    const out: tf.NamedTensorMap = {};
    let at = 0;
    for (const v of variables) {
      let g = tf.mul(own[v.name]!, n0 / count);
      for (const [lane, n] of busy) {
        // tf.tensor copies the values into the backend at once; the view is reused next step.
        g = tf.add(g, tf.mul(tf.tensor(lane.buffers.out.subarray(at, at + v.size), v.shape, 'float32'), n / count));
      }
      out[v.name] = g;
      at += v.size;
    }
    return out;
  });
}

/** The batch's mean loss and correct count; disposes the main thread's own ones. */
function combineLossAndCorrect(own: BatchGradients, n0: number, busy: Busy, count: number): Pick<StepResult, 'loss' | 'correct'> {
  const others = busy.reduce((s, [lane]) => s + lane.buffers.numbers[NUM.lossSum]!, 0);
  const loss = tf.tidy(() => tf.div(tf.add(tf.mul(own.loss, n0), others), count)) as tf.Scalar;
  own.loss.dispose();
  if (!own.correct) return { loss };
  const c = own.correct;
  const correct = tf.tidy(() => tf.add(c, busy.reduce((s, [lane]) => s + lane.buffers.numbers[NUM.correct]!, 0))) as tf.Scalar;
  c.dispose();
  return { loss, correct };
}

// ---- evaluation and probe passes ------------------------------------------------------------

async function poolEvaluate(p: Pool, ctx: ActivationContext, between: () => Promise<void>, probe?: EvaluationProbe): Promise<Evaluation> {
  const n = p.ds.testSize;
  const ranges = shardRanges(0, n, p.parts);
  // The probe covers rows [0, probeEnd): each shard sums the statistics of its part of them.
  const probeEnd = probe ? Math.max(1, Math.min(probe.samples, n)) : 0;
  const probeIn = ([f, c]: [number, number]): number => Math.max(0, Math.min(probeEnd - f, c));
  const busy: Busy = [];
  p.lanes.forEach((lane, k) => {
    const range = ranges[k + 1]!;
    if (range[1] === 0) return;
    const probeRows = probeIn(range);
    post(lane, TASK.evaluate, { from: range[0], count: range[1], split: 1, probeRows }, { sigma: ctx.sigma, seed: shardSeed(ctx.seed, k + 1), tau: probe?.tau ?? 0 });
    busy.push([lane, probeRows]);
  });
  const [f0, n0] = ranges[0]!;
  const ownProbe = probe ? { samples: probeIn(ranges[0]!), tau: probe.tau } : undefined;
  const own = await evaluateSums(p.model, p.ds, 'test', p.lossFn, { ...ctx, seed: shardSeed(ctx.seed, 0) }, f0, f0 + n0, between, ownProbe);
  await Promise.all(busy.map(([lane]) => done(lane)));
  const lossSum = busy.reduce((s, [l]) => s + l.buffers.numbers[NUM.lossSum]!, own.lossSum);
  const correct = p.ds.kind === 'classification' ? busy.reduce((s, [l]) => s + l.buffers.numbers[NUM.correct]!, own.correct) : 0;
  const probed = own.probe;
  if (probed) addProbeSums(probed.sums, probed.rows, busy.filter(([, rows]) => rows > 0).map(([lane]) => lane));
  return finishEvaluation(p.ds, n, { lossSum, correct, ...(probed ? { probe: probed } : {}) });
}

async function poolProbePass(p: Pool, ctx: ActivationContext, samples: number, tau: number): Promise<ProbeStats> {
  const t0 = performance.now();
  const ranges = shardRanges(0, samples, p.parts);
  const busy: Lane[] = [];
  p.lanes.forEach((lane, k) => {
    const [f, c] = ranges[k + 1]!;
    if (c === 0) return;
    post(lane, TASK.probe, { from: f, count: c, split: 1 }, { sigma: ctx.sigma, seed: shardSeed(ctx.seed, k + 1), tau });
    busy.push(lane);
  });
  const own = await ownProbePass(p.model, p.ds, 0, ranges[0]![1], { ...ctx, seed: shardSeed(ctx.seed, 0) }, tau);
  await Promise.all(busy.map(done));
  const rows = [...own.rows];
  addProbeSums(own.sums, rows, busy);
  return { sums: own.sums, rows, ms: performance.now() - t0 };
}

/** Adds the replicas' per-unit probe sums and per-layer row counts into the main thread's. */
function addProbeSums(sums: Float32Array, rows: number[], lanes: readonly Lane[]): void {
  for (const lane of lanes) {
    const out = lane.buffers.out;
    for (let i = 0; i < sums.length; i++) sums[i]! += out[i]!;
    rows.forEach((_, i) => { rows[i]! += lane.buffers.numbers[NUM.rows + i]!; });
  }
}
