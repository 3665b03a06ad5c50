/**
 * `model.norm`: BatchNorm between each hidden layer's linear map and its activation. Training
 * steps normalise with the batch's statistics and move the averages; evaluation and probes use
 * the averages, so an input's output does not depend on its batch. "none" is today's model.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '../../../src/core/config';
import { allowsReplicas } from '../../../src/core/threads';
import { resolveConfig } from '../../../src/core/expand';
import type { TrainerEvent } from '../../../src/core/protocol';
import { initBackend } from '../../../src/trainer/backend';
import { runJob } from '../../../src/trainer/loop';
import { lossFunction } from '../../../src/trainer/losses';
import { createModel, type Model } from '../../../src/trainer/models';
import { BATCH_NORM, batchNormStep } from '../../../src/trainer/models/norm';
import { createOptimizer } from '../../../src/trainer/optimizers';
import { forwardUnitSums } from '../../../src/trainer/probes';
import { trainStep } from '../../../src/trainer/step';
import { NRELU_SPEC, tinyJob } from '../../fixtures/trainer/jobs';

before(async () => { await initBackend('cpu'); });

const MLP: ModelSpec = { type: 'mlp', hidden: [12, 8], init: 'he', bias: true, norm: 'batch' };
const CNN: ModelSpec = { type: 'cnn', conv: [4], dense: [6], init: 'he', bias: true, norm: 'batch' };
const eval_ = { training: false, sigma: 0, seed: 1 };

/** A separable task: the class is the sign of a fixed projection of x (seeded, so reproducible). */
function task(shape: number[], n: number): { x: tf.Tensor; y: tf.Tensor } {
  return tf.tidy(() => {
    const x = tf.randomNormal([n, ...shape], 2, 3, 'float32', 5); // off-centre and wide: BatchNorm has work to do
    const w = tf.randomNormal([shape.reduce((a, b) => a * b, 1), 1], 0, 1, 'float32', 6);
    const score = tf.matMul(tf.reshape(tf.sub(x, 2), [n, -1]), w);
    return { x, y: tf.cast(tf.reshape(tf.greater(score, 0), [n]), 'int32') };
  });
}

async function train(model: Model, data: { x: tf.Tensor; y: tf.Tensor }, steps: number): Promise<number[]> {
  const optimizer = createOptimizer({ optimizer: 'adam', learningRate: 0.02, momentum: 0.9 });
  const lossFn = lossFunction('crossEntropy', 'classification');
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const r = trainStep(model, optimizer, lossFn, { x: data.x, y: data.y, size: data.x.shape[0] }, { sigma: 0, seed: s, kappa: 0 });
    losses.push((await r.loss.data())[0]!);
    r.loss.dispose();
  }
  optimizer.dispose();
  return losses;
}

for (const [name, spec, shape] of [['MLP', MLP, [10]], ['CNN', CNN, [8, 8, 3]]] as const) {
  test(`${name} with norm "batch" trains: the loss falls, γ/β are trained, the averages move`, async () => {
    const model = createModel(spec, [...shape], 2, { type: 'relu' }, 3);
    const plain = createModel({ ...spec, norm: 'none' }, [...shape], 2, { type: 'relu' }, 3);
    const units = model.hiddenLayers.reduce((s, l) => s + l.units, 0);
    assert.equal(model.paramCount, plain.paramCount + 2 * units, 'γ and β per hidden unit');
    const data = task([...shape], 32);
    const before = tf.memory().numTensors;
    const losses = await train(model, data, 40);
    assert.ok(tf.memory().numTensors <= before + 2 * model.variables.length + 2, `no per-step leak (${tf.memory().numTensors - before})`);
    const head = losses.slice(0, 3).reduce((a, b) => a + b) / 3;
    const tail = losses.slice(-3).reduce((a, b) => a + b) / 3;
    assert.ok(tail < 0.5 * head, `loss ${head.toFixed(3)} → ${tail.toFixed(3)}`);
    assert.equal(model.variables.length, plain.variables.length + 2 * model.hiddenLayers.length);
    for (const l of model.hiddenLayers) {
      const [gamma, beta] = l.norm!.variables;
      assert.ok((await gamma!.data()).some((v) => v !== 1) && (await beta!.data()).some((v) => v !== 0), `${l.name}: γ, β trained`);
      assert.ok((await l.norm!.moving.mean.data()).some((v) => v !== 0), `${l.name}: moving mean moved`);
    }
    assert.equal(plain.hiddenLayers.some((l) => l.norm), false);
    tf.dispose([data.x, data.y]);
    model.dispose();
    plain.dispose();
  });
}

test('evaluation and probes use the moving averages: the same input gives the same output whatever its batch', async () => {
  const model = createModel(MLP, [10], 2, { type: 'relu' }, 3);
  const data = task([10], 32);
  await train(model, data, 10);
  const norm = model.hiddenLayers[0]!.norm!;
  const moving = async (): Promise<number[]> => [...await norm.moving.mean.data(), ...await norm.moving.variance.data()];
  const averages = await moving();
  const first = tf.slice(data.x, [0, 0], [1, 10]);
  const others = tf.concat([first, tf.randomNormal([7, 10], -5, 10, 'float32', 9)]);
  const alone = tf.tidy(() => model.forward(first, eval_).output.dataSync());
  const batched = tf.tidy(() => tf.slice(model.forward(others, eval_).output, [0, 0], [1, 2]).dataSync());
  for (let k = 0; k < 2; k++) assert.ok(Math.abs(alone[k]! - batched[k]!) < 1e-5, `eval: ${alone[k]} vs ${batched[k]}`);
  // A training-mode probe pass (a stochastic activation's) also leaves the batch out of it.
  const probeA = forwardUnitSums(model, first, { training: true, sigma: 0, seed: 1 }, 1e-5);
  const probeB = forwardUnitSums(model, tf.concat([first, first]), { training: true, sigma: 0, seed: 1 }, 1e-5);
  const a = await probeA.sums.data();
  const b = await probeB.sums.data();
  for (let i = 0; i < 12; i++) assert.ok(Math.abs(2 * a[i]! - b[i]!) < 1e-4, `probe Σ post of unit ${i}: ${a[i]} ×2 vs ${b[i]}`);
  assert.deepEqual(await moving(), averages, 'evaluation and probes leave the averages as they were');
  // A training step's statistics are the batch's: there the same input's output does depend on its company.
  const stepAlone = tf.tidy(() => model.forward(tf.concat([first, first]), { ...eval_, training: true, batchStatistics: true }).output.dataSync());
  const stepBatched = tf.tidy(() => model.forward(others, { ...eval_, training: true, batchStatistics: true }).output.dataSync());
  assert.ok(Math.abs(stepAlone[0]! - stepBatched[0]!) > 1e-3, 'batch statistics differ with the batch');
  assert.ok(Math.abs(stepAlone[0]! - alone[0]!) > 1e-3, 'and differ from the averages');
  assert.notDeepEqual(await moving(), averages, 'a training step moves the averages');
  tf.dispose([first, others, data.x, data.y, probeA.sums, probeB.sums]);
  model.dispose();
});

test('moving averages: start at 0 and 1, move by the momentum toward each step\'s statistics, untouched by evaluation', async () => {
  const model = createModel({ type: 'mlp', hidden: [3], init: 'he', bias: false, norm: 'batch' }, [2], 2, { type: 'relu' }, 1);
  const norm = model.hiddenLayers[0]!.norm!;
  assert.deepEqual(Array.from(await norm.moving.mean.data()), [0, 0, 0]);
  assert.deepEqual(Array.from(await norm.moving.variance.data()), [1, 1, 1]);
  const x = tf.tensor2d([[1, 2], [3, -1], [0, 4], [2, 2]]);
  const z = tf.matMul(x, model.hiddenLayers[0]!.weight);
  const { mean, variance } = tf.moments(z, 0);
  tf.tidy(() => model.forward(x, eval_).output);
  assert.deepEqual(Array.from(await norm.moving.mean.data()), [0, 0, 0], 'evaluation leaves them');
  tf.tidy(() => model.forward(x, { ...eval_, training: true, batchStatistics: true }).output);
  const m = BATCH_NORM.momentum;
  const wantMean = Array.from(await mean.data(), (v) => m * v);
  const wantVar = Array.from(await variance.data(), (v) => (1 - m) + m * v * 4 / 3);
  const gotMean = Array.from(await norm.moving.mean.data());
  const gotVar = Array.from(await norm.moving.variance.data());
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(gotMean[i]! - wantMean[i]!) < 1e-5, `mean ${gotMean[i]} vs ${wantMean[i]}`);
    assert.ok(Math.abs(gotVar[i]! - wantVar[i]!) < 1e-5, `variance (unbiased) ${gotVar[i]} vs ${wantVar[i]}`);
  }
  const live = tf.memory().numTensors;
  model.dispose();
  assert.equal(live - tf.memory().numTensors, model.variables.length + 2, 'dispose frees the averages too');
  tf.dispose([x, z, mean, variance]);
});

test('the training step\'s closed-form gradient equals autodiff of the composed formula (dense and conv shapes)', async () => {
  for (const shape of [[6, 4], [2, 3, 3, 4]]) {
    const z = tf.randomNormal(shape, 1, 2, 'float32', 11);
    const gamma = tf.randomUniform([4], 0.5, 1.5, 'float32', 12);
    const beta = tf.randomNormal([4], 0, 1, 'float32', 13);
    const w = tf.randomNormal(shape, 0, 1, 'float32', 14);
    const axes = shape.slice(0, -1).map((_, i) => i);
    const reference = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => {
      const { mean, variance } = tf.moments(x, axes);
      const y = tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BATCH_NORM.epsilon))), g), b);
      return tf.sum(tf.mul(y, w));
    };
    const ours = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => {
      const { y, batch } = batchNormStep(x, g, b);
      tf.dispose([batch.mean, batch.variance]);
      return tf.sum(tf.mul(y, w));
    };
    const want = tf.grads(reference)([z, gamma, beta]);
    const got = tf.grads(ours)([z, gamma, beta]);
    assert.ok(Math.abs((await reference(z, gamma, beta).data())[0]! - (await ours(z, gamma, beta).data())[0]!) < 1e-4, 'same value');
    for (let i = 0; i < 3; i++) {
      const [a, b] = [await want[i]!.data(), await got[i]!.data()];
      const worst = Math.max(...Array.from(a, (v, k) => Math.abs(v - b[k]!)));
      assert.ok(worst < 1e-4, `${['dz', 'dγ', 'dβ'][i]} of ${shape.join('×')}: off by ${worst}`);
    }
    const { batch } = batchNormStep(z, gamma, beta);
    const m = tf.moments(z, axes);
    const gap = tf.max(tf.abs(tf.sub(batch.variance, m.variance)));
    assert.ok((await gap.data())[0]! < 1e-5, 'the biased batch variance');
    gap.dispose();
    tf.dispose([z, gamma, beta, w, ...want, ...got, batch.mean, batch.variance, m.mean, m.variance]);
  }
});

test('norm "none" (and no norm) is today\'s model exactly: same variables, same outputs, nothing in the resolved job', async () => {
  const spec: ModelSpec = { type: 'cnn', conv: [3], dense: [5], init: 'he', bias: true };
  const a = createModel(spec, [8, 8, 3], 4, { type: 'relu' }, 7);
  const b = createModel({ ...spec, norm: 'none' }, [8, 8, 3], 4, { type: 'relu' }, 7);
  assert.equal(a.variables.length, 6);
  assert.deepEqual(a.variables.map((v) => v.shape), b.variables.map((v) => v.shape));
  const x = tf.randomUniform([5, 8, 8, 3], 0, 1, 'float32', 2);
  const step = { training: true, sigma: 0, seed: 1, batchStatistics: true };
  assert.deepEqual(tf.tidy(() => a.forward(x, step).output.dataSync()), tf.tidy(() => b.forward(x, eval_).output.dataSync()));
  const job = (norm?: 'none' | 'batch') => resolveConfig({
    name: 'n', data: { dataset: 'mnist' }, model: { type: 'mlp', ...(norm ? { norm } : {}) }, activations: [{ id: 'r', type: 'relu' }], training: { epochs: 1 },
  }).jobs[0]!.model;
  assert.equal('norm' in job(), false);
  assert.deepEqual(job('none'), job());
  assert.equal(job('batch').norm, 'batch');
  assert.equal(allowsReplicas(job()), true);
  assert.equal(allowsReplicas(job('batch')), false);
  tf.dispose(x);
  a.dispose();
  b.dispose();
});

test('a BatchNorm CNN job trains on one thread (and says why), with probes for ReLU and N-ReLU', async () => {
  for (const activation of [{ type: 'relu' } as const, NRELU_SPEC]) {
    const events: TrainerEvent[] = [];
    const job = tinyJob({
      backend: 'wasm', data: { trainSize: 128, testSize: 64 }, training: { epochs: 2, batchSize: 64 }, activation,
      model: { type: 'cnn', conv: [16, 32], dense: [128], init: 'he', bias: true, norm: 'batch' },
    });
    await runJob(job, (e) => { events.push(e); }, { cancelled: () => false, threads: 2 });
    const end = events.at(-1)!;
    assert.ok(end.type === 'jobEnd' && end.status === 'completed', JSON.stringify(end));
    const start = events.find((e) => e.type === 'jobStart');
    assert.ok(start?.type === 'jobStart' && start.threads === 1);
    assert.ok(events.some((e) => e.type === 'log' && /one thread: BatchNorm/.test(e.message)));
    const probes = events.filter((e) => e.type === 'probe');
    assert.equal(probes.length, 3);
    for (const p of probes) assert.deepEqual(p.type === 'probe' && p.layers.map((l) => l.layer), ['conv1', 'conv2', 'dense1']);
    const epochs = events.filter((e) => e.type === 'epoch');
    assert.ok(epochs.every((e) => e.type === 'epoch' && Number.isFinite(e.testLoss)));
  }
});
