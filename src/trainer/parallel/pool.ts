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
import { Worker } from 'node:worker_threads';
import { basename, dirname, join } from 'node:path';
import type { JobSpec } from '../../core/config';
import { deriveSeed } from '../../core/random';
import type { ActivationContext } from '../activations/types';
import { disposeBatch, makeBatch } from '../batches';
import { ownProbePass, type Compute, type ComputeParts, type ProbeStats } from '../compute';
import type { Dataset } from '../data/types';
import { evaluateSums, finishEvaluation, type EvaluationProbe } from '../evaluate';
import { applyGradients, batchGradients, type StepOptions, type StepResult, type StepWants } from '../step';
import { readInto } from './heap';
import { allocateLane, CTL, NUM, shardRanges, TASK, toShared, type LaneBuffers, type TaskKind } from './layout';
import { REPLICA_MARK, type ReplicaInit, type ReplicaMessage } from './replica';

/** How long a replica may take to load its backend before the job goes on without it. */
const START_TIMEOUT_MS = 20_000;

// Node has Atomics.waitAsync; TypeScript's ES2022 lib does not declare it.
type WaitAsync = (a: Int32Array, index: number, value: number) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/**
 * The replica's code: the bundle this code is part of (dist/trainer.js); under tsx (tests,
 * bench) its own file, loaded through tsx's require hook, which workers do not inherit.
 */
function newReplicaWorker(init: ReplicaInit): Worker {
  if (!basename(__filename).endsWith('.ts')) return new Worker(__filename, { workerData: init });
  const file = join(dirname(__filename), 'replica.ts');
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData: init });
}

/** The seed of shard k of a step or pass whose single-thread seed is `seed`. */
export const shardSeed = (seed: number, shard: number): number => deriveSeed(seed, `shard${shard}`);

interface Lane {
  buffers: LaneBuffers;
  worker: Worker;
  /** Rejects when the worker dies; raced against every wait. */
  dead: Promise<never>;
  seq: number;
}

function shareDataset(ds: Dataset): Dataset {
  return { ...ds, xTrain: toShared(ds.xTrain), xTest: toShared(ds.xTest), yTrain: toShared(ds.yTrain), yTest: toShared(ds.yTest) };
}

function post(lane: Lane, kind: TaskKind, fields: { from?: number; count?: number; split?: number; probeRows?: number }, numbers: Partial<Record<keyof typeof NUM, number>>): void {
  const c = lane.buffers.control;
  c[CTL.kind] = kind;
  c[CTL.from] = fields.from ?? 0;
  c[CTL.count] = fields.count ?? 0;
  c[CTL.split] = fields.split ?? 1;
  c[CTL.probeRows] = fields.probeRows ?? 0;
  for (const [k, v] of Object.entries(numbers)) lane.buffers.numbers[NUM[k as keyof typeof NUM]] = v;
  lane.seq = Atomics.add(c, CTL.taskSeq, 1) + 1;
  Atomics.notify(c, CTL.taskSeq);
}

async function done(lane: Lane): Promise<void> {
  const c = lane.buffers.control;
  for (;;) {
    const now = Atomics.load(c, CTL.doneSeq);
    if (now === lane.seq) break;
    const w = waitAsync(c, CTL.doneSeq, now);
    if (w.async) await Promise.race([w.value, lane.dead]);
  }
  if (c[CTL.status] !== 0) {
    const text = new TextDecoder().decode(lane.buffers.error.slice(0, c[CTL.errorLength]));
    throw new Error(`replica: ${text}`);
  }
}

function startLane(init: ReplicaInit): Promise<Lane> {
  return new Promise((resolve, reject) => {
    const worker = newReplicaWorker(init);
    let settled = false;
    let rejectDead: (e: Error) => void = () => {};
    const dead = new Promise<never>((_, r) => { rejectDead = r; });
    dead.catch(() => {});
    const fail = (e: Error): void => {
      rejectDead(e);
      if (!settled) { settled = true; clearTimeout(timer); reject(e); }
    };
    const timer = setTimeout(() => { fail(new Error('replica did not start in time')); void worker.terminate(); }, START_TIMEOUT_MS);
    worker.on('message', (m: ReplicaMessage) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (m.type === 'ready') resolve({ buffers: init.lane, worker, dead, seq: 0 });
      else { reject(new Error(m.message)); void worker.terminate(); }
    });
    worker.on('error', (e) => fail(e));
    worker.on('exit', (code) => fail(new Error(`replica exited (code ${code})`)));
  });
}

export interface PoolOptions extends ComputeParts { job: JobSpec; replicas: number; batchSize: number }

export async function startReplicaPool(o: PoolOptions): Promise<Compute> {
  const { model, optimizer, lossFn, job } = o;
  const ds = shareDataset(o.ds);
  const variables = model.variables;
  const total = variables.reduce((s, v) => s + v.size, 0);
  const probeFloats = 3 * model.hiddenLayers.reduce((s, l) => s + l.units, 0);
  const params = new Float32Array(new SharedArrayBuffer(total * 4));
  const lanes: Lane[] = [];
  try {
    for (let k = 0; k < o.replicas; k++) {
      const buffers = allocateLane(o.batchSize, Math.max(total, probeFloats), model.hiddenLayers.length);
      lanes.push(await startLane({ mark: REPLICA_MARK, job, ds, params, lane: buffers }));
    }
  } catch (err) {
    await Promise.all(lanes.map((l) => l.worker.terminate()));
    throw err;
  }
  let version = 0;
  const publish = (): void => {
    let at = 0;
    for (const v of variables) {
      readInto(v, params, at);
      at += v.size;
    }
    version++;
    for (const l of lanes) Atomics.store(l.buffers.control, CTL.paramsVersion, version);
  };
  publish();
  const parts = lanes.length + 1;
  const classify = ds.kind === 'classification';

  const step = async (order: ArrayLike<number>, from: number, count: number, so: StepOptions, want: StepWants): Promise<StepResult> => {
    const ranges = shardRanges(from, count, parts);
    const busy: Array<[Lane, number]> = [];
    lanes.forEach((lane, k) => {
      const [f, n] = ranges[k + 1]!;
      if (n === 0) return;
      for (let i = 0; i < n; i++) lane.buffers.indices[i] = order[f + i]!;
      post(lane, TASK.gradients, { count: n }, { sigma: so.sigma, seed: shardSeed(so.seed, k + 1), kappa: so.kappa });
      busy.push([lane, n]);
    });
    const [f0, n0] = ranges[0]!;
    const batch = makeBatch(ds, 'train', f0, n0, order);
    let own;
    try {
      own = batchGradients(model, lossFn, batch, { ...so, seed: shardSeed(so.seed, 0) }, Boolean(want.correct));
    } finally {
      disposeBatch(batch);
    }
    try {
      await Promise.all(busy.map(([lane]) => done(lane)));
    } catch (err) {
      tf.dispose([own.loss, ...(own.correct ? [own.correct] : []), ...Object.values(own.grads)]);
      throw err;
    }
    const ownGrads = own.grads;
    const combined = tf.tidy(() => {
      const out: tf.NamedTensorMap = {};
      let at = 0;
      for (const v of variables) {
        let g = tf.mul(ownGrads[v.name]!, n0 / count);
        for (const [lane, n] of busy) {
          // tf.tensor copies the values into the backend at once; the view is reused next step.
          g = tf.add(g, tf.mul(tf.tensor(lane.buffers.out.subarray(at, at + v.size), v.shape, 'float32'), n / count));
        }
        out[v.name] = g;
        at += v.size;
      }
      return out;
    });
    tf.dispose(Object.values(ownGrads));
    const applied = applyGradients(model, optimizer, combined, Boolean(want.gradNorms));
    publish();
    const others = busy.reduce((s, [lane]) => s + lane.buffers.numbers[NUM.lossSum]!, 0);
    const loss = tf.tidy(() => tf.div(tf.add(tf.mul(own.loss, n0), others), count)) as tf.Scalar;
    own.loss.dispose();
    let correct: tf.Scalar | undefined;
    if (own.correct) {
      const c = own.correct;
      correct = tf.tidy(() => tf.add(c, busy.reduce((s, [lane]) => s + lane.buffers.numbers[NUM.correct]!, 0))) as tf.Scalar;
      c.dispose();
    }
    return { loss, ...(correct ? { correct } : {}), ...applied };
  };

  const evaluate = async (ctx: ActivationContext, between: () => Promise<void>, probe?: EvaluationProbe) => {
    const n = ds.testSize;
    const ranges = shardRanges(0, n, parts);
    // The probe covers rows [0, probeEnd): each shard sums the statistics of its part of them.
    const probeEnd = probe ? Math.max(1, Math.min(probe.samples, n)) : 0;
    const probeIn = ([f, c]: [number, number]): number => Math.max(0, Math.min(probeEnd - f, c));
    const busy: Array<[Lane, number]> = [];
    lanes.forEach((lane, k) => {
      const range = ranges[k + 1]!;
      if (range[1] === 0) return;
      const probeRows = probeIn(range);
      post(lane, TASK.evaluate, { from: range[0], count: range[1], split: 1, probeRows }, { sigma: ctx.sigma, seed: shardSeed(ctx.seed, k + 1), tau: probe?.tau ?? 0 });
      busy.push([lane, probeRows]);
    });
    const [f0, n0] = ranges[0]!;
    const ownProbe = probe ? { samples: probeIn(ranges[0]!), tau: probe.tau } : undefined;
    const own = await evaluateSums(model, ds, 'test', lossFn, { ...ctx, seed: shardSeed(ctx.seed, 0) }, f0, f0 + n0, between, ownProbe);
    await Promise.all(busy.map(([lane]) => done(lane)));
    const lossSum = busy.reduce((s, [l]) => s + l.buffers.numbers[NUM.lossSum]!, own.lossSum);
    const correct = classify ? busy.reduce((s, [l]) => s + l.buffers.numbers[NUM.correct]!, own.correct) : 0;
    const probed = own.probe;
    if (probed) {
      for (const [lane, rows] of busy) {
        if (rows === 0) continue;
        const out = lane.buffers.out;
        for (let i = 0; i < probed.sums.length; i++) probed.sums[i]! += out[i]!;
        probed.rows.forEach((_, i) => { probed.rows[i]! += lane.buffers.numbers[NUM.rows + i]!; });
      }
    }
    return finishEvaluation(ds, n, { lossSum, correct, ...(probed ? { probe: probed } : {}) });
  };

  const probePass = async (ctx: ActivationContext, samples: number, tau: number): Promise<ProbeStats> => {
    const t0 = performance.now();
    const ranges = shardRanges(0, samples, parts);
    const busy: Lane[] = [];
    lanes.forEach((lane, k) => {
      const [f, c] = ranges[k + 1]!;
      if (c === 0) return;
      post(lane, TASK.probe, { from: f, count: c, split: 1 }, { sigma: ctx.sigma, seed: shardSeed(ctx.seed, k + 1), tau });
      busy.push(lane);
    });
    const own = await ownProbePass(model, ds, 0, ranges[0]![1], { ...ctx, seed: shardSeed(ctx.seed, 0) }, tau);
    await Promise.all(busy.map(done));
    const sums = own.sums;
    const rows = [...own.rows];
    for (const lane of busy) {
      for (let i = 0; i < sums.length; i++) sums[i]! += lane.buffers.out[i]!;
      rows.forEach((_, i) => { rows[i]! += lane.buffers.numbers[NUM.rows + i]!; });
    }
    return { sums, rows, ms: performance.now() - t0 };
  };

  const close = async (): Promise<void> => {
    for (const lane of lanes) post(lane, TASK.stop, {}, {});
    await Promise.all(lanes.map((l) => l.worker.terminate()));
  };

  return { threads: parts, step, evaluate, probePass, close };
}
