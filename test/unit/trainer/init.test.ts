import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { ActivationSpec } from '../../../src/core/config';
import { createActivationFactory } from '../../../src/trainer/activations/index';
import { initWeights } from '../../../src/trainer/init';

before(async () => {
  tf.env().set('PROD', true);
  assert.ok(await tf.setBackend('cpu'));
});

const RELU: ActivationSpec = { type: 'relu' };
const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

function sample(shape: number[], fanIn: number, fanOut: number, init: Parameters<typeof initWeights>[3], act: ActivationSpec, seed = 1): number[] {
  const w = initWeights(shape, fanIn, fanOut, init, act, seed);
  assert.deepEqual(w.shape, shape);
  const v = Array.from(w.dataSync());
  w.dispose();
  return v;
}

/** Asserts mean ≈ 0 and variance ≈ expected within 4 standard errors. */
function assertNormalMoments(v: number[], variance: number, what: string): void {
  const n = v.length;
  const mean = v.reduce((s, x) => s + x, 0) / n;
  const varHat = v.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  close(mean, 0, 4 * Math.sqrt(variance / n), `${what} mean`);
  // Var of the sample variance of a normal: 2σ⁴/(n−1).
  close(varHat, variance, 4 * variance * Math.sqrt(2 / (n - 1)), `${what} variance`);
}

test('he: N(0, 2/fan_in), for dense and conv shapes', () => {
  assertNormalMoments(sample([200, 300], 200, 300, 'he', RELU), 2 / 200, 'dense he');
  assertNormalMoments(sample([3, 3, 16, 32], 144, 288, 'he', RELU), 2 / 144, 'conv he');
});

test('glorot: U(±√(6/(fan_in+fan_out)))', () => {
  const limit = Math.sqrt(6 / (100 + 50));
  const v = sample([100, 50], 100, 50, 'glorot', RELU);
  assert.ok(v.every((x) => Math.abs(x) <= limit), 'within the limit');
  assert.ok(Math.max(...v.map(Math.abs)) > 0.99 * limit, 'fills the range');
  const n = v.length;
  const m2 = v.reduce((s, x) => s + x * x, 0) / n;
  // Var[x²] for U(−a, a) is a⁴/5 − a⁴/9.
  close(m2, limit ** 2 / 3, 4 * Math.sqrt((limit ** 4 * (1 / 5 - 1 / 9)) / n), 'glorot variance');
});

test('leakyHe: N(0, 2/(fan_in(1+α²))) with α from the activation', () => {
  const cases: [ActivationSpec, number][] = [
    [{ type: 'relu' }, 0],
    [{ type: 'gelu' }, 0],
    [{ type: 'leakyRelu', alpha: -0.5, rescale: false }, -0.5],
    [{ type: 'abs', rescale: false }, -1],
    [{ type: 'prelu', init: 0.25 }, 0.25],
    [{ type: 'rrelu', lower: 0.1, upper: 0.3 }, 0.2],
  ];
  for (const [spec, alpha] of cases) {
    assertNormalMoments(sample([300, 200], 300, 200, 'leakyHe', spec), 2 / (300 * (1 + alpha * alpha)), `leakyHe ${spec.type}`);
  }
});

test('rescaled: N(0, 1/fan_in)', () => {
  assertNormalMoments(sample([250, 200], 250, 200, 'rescaled', { type: 'leakyRelu', alpha: -1, rescale: true }), 1 / 250, 'rescaled');
});

test('seeded: same seed same weights, another seed others', () => {
  const a = sample([20, 10], 20, 10, 'he', RELU, 5);
  assert.deepEqual(sample([20, 10], 20, 10, 'he', RELU, 5), a);
  assert.notDeepEqual(sample([20, 10], 20, 10, 'he', RELU, 6), a);
  assert.deepEqual(sample([20, 10], 20, 10, 'glorot', RELU, 5), sample([20, 10], 20, 10, 'glorot', RELU, 5));
});

test('rescaled init + rescaled leaky ≡ leakyHe init + plain leaky (arXiv 2402.11942)', () => {
  const fanIn = 400;
  const units = 300;
  const batch = 200;
  for (const alpha of [-1, -0.5, 0.2]) {
    const scaled: ActivationSpec = { type: 'leakyRelu', alpha, rescale: true };
    const plain: ActivationSpec = { type: 'leakyRelu', alpha, rescale: false };
    const x = tf.randomNormal([batch, fanIn], 0, 1, 'float32', 3);
    const ctx = { training: true, sigma: 0, seed: 0 };
    const wR = initWeights([fanIn, units], fanIn, units, 'rescaled', scaled, 42);
    const wH = initWeights([fanIn, units], fanIn, units, 'leakyHe', plain, 42);
    const yR = createActivationFactory(scaled)(units, 'd').apply(tf.matMul(x, wR), ctx);
    const yH = createActivationFactory(plain)(units, 'd').apply(tf.matMul(x, wH), ctx);
    const a = yR.dataSync();
    const b = yH.dataSync();
    // The same underlying normal draws: identical outputs up to float32 rounding.
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
    assert.ok(worst < 1e-5, `α=${alpha}: max relative difference ${worst}`);
    // And the He property: the output's second moment equals the input's (1) in expectation.
    const m2 = tf.mean(tf.square(yR)).dataSync()[0]!;
    const n = a.length;
    // Loose: entries share weights and inputs, so the effective sample is far below n.
    close(m2, 1, 0.1, `α=${alpha}: E[y²] (n=${n})`);
    tf.dispose([x, wR, wH, yR, yH]);
  }
});
