import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationSpec, ModelSpec } from '../../../src/core/config';
import type { TrainerEvent } from '../../../src/core/protocol';
import { initBackend } from '../../../src/trainer/backend';
import { localCompute, type Compute } from '../../../src/trainer/compute';
import type { Dataset } from '../../../src/trainer/data/types';
import { crossEntropy } from '../../../src/trainer/losses';
import { runJob } from '../../../src/trainer/loop';
import { MIN_PARALLEL_MACS, usefulThreads } from '../../../src/core/threads';
import { createModel, type Model } from '../../../src/trainer/models';
import { createOptimizer } from '../../../src/trainer/optimizers';
import { shardRanges } from '../../../src/trainer/parallel/layout';
import { replicaEntry, setReplicaEntry } from '../../../src/trainer/parallel/entry';
import { startReplicaPool } from '../../../src/trainer/parallel/pool';
import { NRELU_SPEC, tinyJob } from '../../fixtures/trainer/jobs';
import { TSX_REPLICA_ENTRY } from '../../fixtures/trainer/replicaEntry';

const CNN: ModelSpec = { type: 'cnn', conv: [4], dense: [8], init: 'he', bias: true };
const TAU = 1e-5;

before(async () => {
  // Under tsx the replicas need tsx's hooks, which only a test or the bench may load.
  setReplicaEntry(TSX_REPLICA_ENTRY);
  await initBackend('wasm');
});

test('from the sources, a pool without a replica entry says how to set one (the bundle needs none)', () => {
  setReplicaEntry(undefined);
  try {
    assert.throws(() => replicaEntry(), /setReplicaEntry/);
  } finally {
    setReplicaEntry(TSX_REPLICA_ENTRY);
  }
});

function images(n: number, seed: number): { x: Float32Array; y: Int32Array } {
  const x = tf.tidy(() => tf.randomUniform([n * 64], 0, 1, 'float32', seed).dataSync() as Float32Array);
  return { x, y: Int32Array.from({ length: n }, (_, i) => (i * 7 + seed) % 3) };
}

function dataset(): Dataset {
  const train = images(96, 1);
  const test = images(70, 2);
  return { kind: 'classification', inputShape: [8, 8, 1], outputs: 3, trainSize: 96, testSize: 70, xTrain: train.x, yTrain: train.y, xTest: test.x, yTest: test.y };
}

interface Side { model: Model; compute: Compute }

async function twoSides(activation: ActivationSpec = { type: 'relu' }, spec: ModelSpec = CNN): Promise<{ local: Side; pool: Side; ds: Dataset }> {
  const ds = dataset();
  const make = () => createModel(spec, ds.inputShape, ds.outputs, activation, 5);
  const lm = make();
  const pm = make();
  const sgd = () => createOptimizer({ optimizer: 'sgd', learningRate: 0.5, momentum: 0 });
  const job = tinyJob({ model: spec, activation, backend: 'wasm' });
  return {
    ds,
    local: { model: lm, compute: localCompute({ model: lm, optimizer: sgd(), lossFn: crossEntropy, ds }) },
    pool: { model: pm, compute: await startReplicaPool({ model: pm, optimizer: sgd(), lossFn: crossEntropy, ds, job, batchSize: 64, replicas: 1 }) },
  };
}

const close = (a: number, b: number, rel: number, what: string): void => {
  assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b)), `${what}: ${a} vs ${b}`);
};

test('shardRanges: contiguous, covering, sizes within one, larger first', () => {
  assert.deepEqual(shardRanges(10, 7, 2), [[10, 4], [14, 3]]);
  assert.deepEqual(shardRanges(0, 9, 3), [[0, 3], [3, 3], [6, 3]]);
  assert.deepEqual(shardRanges(5, 1, 3), [[5, 1], [6, 0], [6, 0]]);
});

test('usefulThreads: replicas only on wasm, for steps with enough work, with at least 16 rows a shard', () => {
  const mlpMacs = 784 * 256 + 256 * 128 + 128 * 10;
  const cnnMacs = 28 * 28 * 16 * 9 + 14 * 14 * 16 * 32 * 9 + 1568 * 128 + 1280;
  assert.equal(createModel({ type: 'cnn', conv: [16, 32], dense: [128], init: 'he', bias: true }, [28, 28, 1], 10, { type: 'relu' }, 1).macsPerSample, cnnMacs);
  assert.equal(usefulThreads(2, 'wasm', 128, cnnMacs), 2);
  assert.equal(usefulThreads(2, 'wasm', 64, cnnMacs), 2);
  assert.equal(usefulThreads(2, 'wasm', 128, mlpMacs), 1, 'the MLP is faster on one thread');
  assert.equal(usefulThreads(2, 'tensorflow', 128, cnnMacs), 1);
  assert.equal(usefulThreads(8, 'wasm', 48, MIN_PARALLEL_MACS), 3);
  assert.equal(usefulThreads(1, 'wasm', 128, cnnMacs), 1);
});

test('a data-parallel step applies the same update as one thread, up to float rounding', async () => {
  const { local, pool, ds } = await twoSides();
  try {
    const order = Array.from({ length: ds.trainSize }, (_, i) => ds.trainSize - 1 - i);
    for (let s = 0; s < 3; s++) {
      const o = { sigma: 0, seed: s, kappa: 0 };
      const want = { correct: true, gradNorms: true };
      const a = await local.compute.step(order, s * 32, 32, o, want);
      const b = await pool.compute.step(order, s * 32, 32, o, want);
      close((await a.loss.data())[0]!, (await b.loss.data())[0]!, 1e-5, `loss at step ${s}`);
      assert.equal((await a.correct!.data())[0], (await b.correct!.data())[0]);
      const [na, nb] = [await a.gradNorms!.data(), await b.gradNorms!.data()];
      na.forEach((v, i) => close(v, nb[i]!, 1e-4, `grad norm ${i}`));
      tf.dispose([a.loss, b.loss, a.correct!, b.correct!, a.gradNorms!, b.gradNorms!]);
    }
    for (let i = 0; i < local.model.variables.length; i++) {
      const [va, vb] = [local.model.variables[i]!.dataSync(), pool.model.variables[i]!.dataSync()];
      va.forEach((v, j) => close(v, vb[j]!, 1e-4, `variable ${i}[${j}]`));
    }
  } finally {
    await pool.compute.close();
    await local.compute.close();
  }
});

test('evaluation and probe passes split across threads add up to the one-thread figures', async () => {
  const { local, pool } = await twoSides();
  try {
    const ctx = { training: false, sigma: 0, seed: 1 };
    const probe = { samples: 40, tau: TAU };
    const before = tf.memory().numTensors;
    const a = await local.compute.evaluate(ctx, async () => {}, probe);
    const b = await pool.compute.evaluate(ctx, async () => {}, probe);
    assert.equal(tf.memory().numTensors, before);
    close(a.loss, b.loss, 1e-5, 'test loss');
    assert.equal(a.accuracy, b.accuracy);
    assert.deepEqual(a.probe!.rows, b.probe!.rows);
    a.probe!.sums.forEach((v, i) => close(v, b.probe!.sums[i]!, 1e-5, `probe sum ${i}`));
    const pa = await local.compute.probePass({ training: true, sigma: 0, seed: 2 }, 50, TAU);
    const pb = await pool.compute.probePass({ training: true, sigma: 0, seed: 2 }, 50, TAU);
    assert.deepEqual(pa.rows, pb.rows);
    assert.deepEqual(pa.rows, [50 * 64, 50]);
    pa.sums.forEach((v, i) => close(v, pb.sums[i]!, 1e-4, `own-pass sum ${i}`));
  } finally {
    await pool.compute.close();
  }
});

test('frozen layers on two threads: the same update as one thread, frozen weights untouched; the clean training pass agrees', async () => {
  const spec: ModelSpec = { ...CNN, freeze: ['input', 'output'], parameterization: 'ntk' } as ModelSpec;
  const { local, pool, ds } = await twoSides({ type: 'relu' }, spec);
  try {
    const initial = local.model.variables.map((v) => v.dataSync().slice());
    const order = Array.from({ length: ds.trainSize }, (_, i) => i);
    for (let s = 0; s < 2; s++) {
      const o = { sigma: 0, seed: s, kappa: 0 };
      const a = await local.compute.step(order, s * 32, 32, o, { gradNorms: true });
      const b = await pool.compute.step(order, s * 32, 32, o, { gradNorms: true });
      close((await a.loss.data())[0]!, (await b.loss.data())[0]!, 1e-5, `loss at step ${s}`);
      assert.equal((await b.gradNorms!.data())[0], 0, 'conv1 is frozen');
      tf.dispose([a.loss, b.loss, a.gradNorms!, b.gradNorms!]);
    }
    local.model.variables.forEach((v, i) => {
      const [va, vb] = [v.dataSync(), pool.model.variables[i]!.dataSync()];
      va.forEach((x, j) => close(x, vb[j]!, 1e-4, `variable ${i}[${j}]`));
    });
    // conv1 weight and bias, then output weight and bias (the last two) keep their initial values.
    for (const i of [0, 1, initial.length - 2, initial.length - 1]) assert.deepEqual(pool.model.variables[i]!.dataSync(), initial[i], `variable ${i} frozen`);
    const ctx = { training: false, sigma: 0, seed: 1 };
    const ca = await local.compute.evaluateTrain(ctx, 50, async () => {});
    const cb = await pool.compute.evaluateTrain(ctx, 50, async () => {});
    close(ca.loss, cb.loss, 1e-5, 'clean training loss');
    assert.equal(ca.accuracy, cb.accuracy);
  } finally {
    await pool.compute.close();
    await local.compute.close();
  }
});

test('a replica that cannot build its model fails the pool start with its reason', async () => {
  const ds = dataset();
  const model = createModel(CNN, ds.inputShape, ds.outputs, { type: 'relu' }, 1);
  const broken = tinyJob({ model: { ...CNN, conv: [-1] } as ModelSpec, backend: 'wasm' });
  await assert.rejects(
    startReplicaPool({ model, optimizer: createOptimizer({ optimizer: 'sgd', learningRate: 0.1, momentum: 0 }), lossFn: crossEntropy, ds, job: broken, batchSize: 64, replicas: 1 }),
    (err: Error) => err.message.length > 0,
  );
  model.dispose();
});

const mnistCnn = (activation: ActivationSpec = { type: 'relu' }) => tinyJob({
  backend: 'wasm', activation,
  model: { type: 'cnn', conv: [16, 32], dense: [128], init: 'he', bias: true },
  data: { trainSize: 512, testSize: 200 },
  training: { epochs: 2, batchSize: 128, learningRate: 1e-3 },
  probes: { samples: 100 },
});

test('runJob on two threads: the CNN job records its thread count, probes every epoch and learns', async () => {
  const events: TrainerEvent[] = [];
  await runJob(mnistCnn(NRELU_SPEC), (e) => { events.push(e); }, { cancelled: () => false, threads: 2 });
  const start = events.find((e) => e.type === 'jobStart');
  assert.equal(start?.type === 'jobStart' && start.threads, 2);
  const end = events.at(-1)!;
  assert.equal(end.type === 'jobEnd' && end.status, 'completed', JSON.stringify(end));
  assert.deepEqual(events.filter((e) => e.type === 'probe').map((e) => e.type === 'probe' && e.epoch), [0, 1, 2]);
  const last = events.filter((e) => e.type === 'epoch').at(-1);
  assert.ok(last?.type === 'epoch' && last.testAccuracy! > 0.3, `accuracy after 2 epochs: ${JSON.stringify(last)}`);
});

test('runJob on two threads stops cleanly when cancelled mid-epoch', async () => {
  const events: TrainerEvent[] = [];
  let steps = 0;
  await runJob(mnistCnn(), (e) => { events.push(e); if (e.type === 'step') steps++; }, { cancelled: () => steps >= 2, threads: 2 });
  const end = events.at(-1)!;
  assert.equal(end.type === 'jobEnd' && end.status, 'cancelled');
  // The test process exits only if the replica thread was closed.
});
