import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '../../../src/core/config';
import { initBackend } from '../../../src/trainer/backend';
import { createModel } from '../../../src/trainer/models';
import { layerContext } from '../../../src/trainer/models/layers';
import { crossEntropy, lossFunction, mse } from '../../../src/trainer/losses';
import { createOptimizer } from '../../../src/trainer/optimizers';
import { NRELU_SPEC } from '../../fixtures/trainer/jobs';

const ctx = { training: true, sigma: 0, seed: 1 };

before(async () => { await initBackend('cpu'); });

test('MLP: shapes, names and parameter count (with and without bias)', () => {
  const m = createModel({ type: 'mlp', hidden: [16, 8], init: 'he', bias: true }, [28, 28, 1], 10, { type: 'relu' }, 1);
  assert.equal(m.paramCount, 784 * 16 + 16 + 16 * 8 + 8 + 8 * 10 + 10);
  assert.deepEqual(m.hiddenLayers.map((l) => [l.name, l.units]), [['dense1', 16], ['dense2', 8]]);
  const x = tf.randomUniform([5, 28, 28, 1]);
  const r = m.forward(x, ctx, true);
  assert.deepEqual(r.output.shape, [5, 10]);
  assert.deepEqual(r.hidden.map((h) => [h.pre.shape, h.post.shape]), [[[5, 16], [5, 16]], [[5, 8], [5, 8]]]);
  assert.equal(m.forward(x, ctx).hidden.length, 0, 'nothing recorded unless asked');
  const noBias = createModel({ type: 'mlp', hidden: [16, 8], init: 'he', bias: false }, [28, 28, 1], 10, { type: 'relu' }, 1);
  assert.equal(noBias.paramCount, 784 * 16 + 16 * 8 + 8 * 10);
  m.dispose();
  noBias.dispose();
  x.dispose();
});

test('CNN: 3×3 same conv + pool blocks, then dense; parameter count', () => {
  const m = createModel({ type: 'cnn', conv: [4, 8], dense: [16], init: 'he', bias: true }, [28, 28, 1], 10, { type: 'relu' }, 1);
  // conv1 9·1·4+4, conv2 9·4·8+8, dense1 (7·7·8)·16+16, output 16·10+10.
  assert.equal(m.paramCount, 40 + 296 + 392 * 16 + 16 + 170);
  assert.deepEqual(m.hiddenLayers.map((l) => [l.name, l.units]), [['conv1', 4], ['conv2', 8], ['dense1', 16]]);
  const r = m.forward(tf.randomUniform([3, 28, 28, 1]), ctx, true);
  assert.deepEqual(r.output.shape, [3, 10]);
  assert.deepEqual(r.hidden.map((h) => h.post.shape), [[3, 28, 28, 4], [3, 14, 14, 8], [3, 16]]);
  m.dispose();
  assert.throws(() => createModel({ type: 'cnn', conv: [4], dense: [], init: 'he', bias: true }, [10], 1, { type: 'relu' }, 1), /needs image inputs/);
  assert.throws(() => createModel({ type: 'cnn', conv: [2, 2, 2, 2, 2], dense: [], init: 'he', bias: true }, [28, 28, 1], 10, { type: 'relu' }, 1), /too many conv blocks/);
});

test('prelu slopes are trainable variables of the model, one per unit', () => {
  const m = createModel({ type: 'mlp', hidden: [6, 5], init: 'he', bias: true }, [4], 2, { type: 'prelu', init: 0.25 }, 1);
  assert.equal(m.paramCount, 4 * 6 + 6 + 6 * 5 + 5 + 5 * 2 + 2 + 6 + 5);
  assert.equal(m.variables.length, 3 * 2 + 2);
  m.dispose();
});

test('weights are seeded: same seed same weights, another seed different; biases start at zero', async () => {
  const spec: ModelSpec = { type: 'mlp', hidden: [8], init: 'he', bias: true };
  const a = createModel(spec, [5], 3, { type: 'relu' }, 7);
  const b = createModel(spec, [5], 3, { type: 'relu' }, 7);
  const c = createModel(spec, [5], 3, { type: 'relu' }, 8);
  assert.deepEqual(await a.variables[0]!.data(), await b.variables[0]!.data());
  assert.notDeepEqual(await a.variables[0]!.data(), await c.variables[0]!.data());
  assert.ok((await a.variables[1]!.data()).every((v) => v === 0));
  for (const m of [a, b, c]) m.dispose();
});

test('each layer draws its own noise: layer seeds differ, and nrelu noise differs between layers', async () => {
  assert.notEqual(layerContext(ctx, 'dense1').seed, layerContext(ctx, 'dense2').seed);
  // Two hidden layers whose pre-activations are all very negative output pure noise ε ~ N(0, σ²).
  const m = createModel({ type: 'mlp', hidden: [50, 50], init: 'he', bias: true }, [2], 1, NRELU_SPEC, 1);
  m.variables[1]!.assign(tf.fill([50], -1e3));
  m.variables[3]!.assign(tf.fill([50], -1e3));
  const r = m.forward(tf.zeros([1, 2]), { training: true, sigma: 0.1, seed: 3 }, true);
  const [n1, n2] = await Promise.all(r.hidden.map((h) => h.post.data()));
  assert.notDeepEqual(n1, n2);
  const inference = m.forward(tf.zeros([1, 2]), { training: false, sigma: 0.1, seed: 3 }, true);
  assert.ok((await inference.hidden[0]!.post.data()).every((v) => v === 0), 'deterministic inference: no noise');
  m.dispose();
});

test('losses: cross entropy matches the formula, mse on one-hot targets for classification', async () => {
  const logits = tf.tensor2d([[2, 0, -1], [0.5, 0.5, 3]]);
  const labels = tf.tensor1d([0, 2], 'int32');
  const lse = (r: number[]): number => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
  const expected = ((lse([2, 0, -1]) - 2) + (lse([0.5, 0.5, 3]) - 3)) / 2;
  assert.ok(Math.abs((await crossEntropy(logits, labels).data())[0]! - expected) < 1e-6);
  const oneHotMse = ((1 + 0 + 1) + (0.25 + 0.25 + 4)) / 6;
  assert.ok(Math.abs((await lossFunction('mse', 'classification')(logits, labels).data())[0]! - oneHotMse) < 1e-6);
  assert.ok(Math.abs((await mse(tf.tensor2d([[1], [3]]), tf.tensor2d([[0], [1]])).data())[0]! - 2.5) < 1e-6);
  assert.throws(() => lossFunction('crossEntropy', 'regression'), /needs a classification dataset/);
});

test('optimizers: every kind takes a step that lowers a quadratic', async () => {
  for (const optimizer of ['adam', 'sgd', 'momentum', 'rmsprop'] as const) {
    const w = tf.variable(tf.tensor1d([3, -2]));
    const opt = createOptimizer({ optimizer, learningRate: 0.1, momentum: 0.9 });
    const f = (): tf.Scalar => tf.sum(tf.square(w));
    const before = (await f().data())[0]!;
    for (let i = 0; i < 3; i++) opt.minimize(f, false, [w]);
    assert.ok((await f().data())[0]! < before, optimizer);
    opt.dispose();
    w.dispose();
  }
});
