import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { nrelu } from '../../../src/trainer/activations/noisy';
import { normalNoise, uniformNoise } from '../../../src/trainer/activations/noise';
import { initBackend } from '../../../src/trainer/backend';
import { NORMAL, NRELU_TRAIN, registerGemmKernels, UNIFORM } from '../../../src/trainer/kernels/gemm';
import { fillNormal, fillUniform } from '../../../src/trainer/random/ziggurat';

/** Indices where a and b differ as float32 bit patterns (NaN equals NaN). */
function differing(a: Float32Array, b: Float32Array): number[] {
  assert.equal(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) out.push(i);
  return out;
}

async function onWasm<T>(f: () => T): Promise<T> {
  await initBackend('wasm');
  assert.equal(await registerGemmKernels(), true);
  return f();
}

test('noise drawn on the wasm heap is the JS generator\'s, bit for bit, rare ziggurat branches included', async () => {
  const n = 300_001; // odd: a tail after the last whole block
  const sigma = 0.7;
  const got = await onWasm(() => {
    assert.ok(tf.getKernel(NORMAL, 'wasm') && tf.getKernel(UNIFORM, 'wasm'));
    return [normalNoise([n], sigma, 4242), uniformNoise([n], -0.25, 0.5, 4243)].map((t) => {
      const d = t.dataSync() as Float32Array;
      t.dispose();
      return d;
    });
  });
  const want = [fillNormal(new Float32Array(n), sigma, 4242), fillUniform(new Float32Array(n), -0.25, 0.5, 4243)];
  assert.deepEqual(differing(got[0]!, want[0]!), []);
  assert.deepEqual(differing(got[1]!, want[1]!), []);
  // The slow branch ran: the ziggurat's base layer ends at 3.4426, so draws past it are tail draws.
  const tail = want[0]!.filter((v) => Math.abs(v) > 3.4426 * sigma).length;
  assert.ok(tail > 50, `only ${tail} tail draws`);
});

test('N-ReLU trains through one fused kernel on wasm with the cpu backend\'s numbers and gradient, NaN and infinities included', async () => {
  const edges = [1, -1, 0, -0, NaN, Infinity, -Infinity, 3e-39, -3e-39, 1e-7, -1e-7];
  const x = new Float32Array(20_003);
  x.set(edges);
  for (let i = edges.length; i < x.length; i++) x[i] = Math.sin(i * 0.37) * 2;
  const act = nrelu('deterministic');
  const ctx = { training: true, sigma: 0.1, seed: 77 };
  const weights = tf.tidy(() => tf.linspace(-1, 1, x.length));
  const run = (): Float32Array[] => tf.tidy(() => {
    const xt = tf.tensor1d(x);
    const w = tf.tensor1d(weights.dataSync() as Float32Array);
    const y = act.apply(xt, ctx);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(act.apply(v, ctx), w)))(xt);
    return [y, g].map((t) => t.dataSync() as Float32Array);
  });
  assert.equal(await tf.setBackend('cpu'), true);
  assert.ok(!tf.getKernel(NRELU_TRAIN, 'cpu'), 'the cpu backend runs the composite');
  const want = run();
  const got = await onWasm(() => {
    const before = tf.engine().state.numTensors;
    const out = run();
    assert.equal(tf.engine().state.numTensors, before, 'no tensor leaks');
    return out;
  });
  assert.deepEqual(differing(got[0]!, want[0]!), [], 'forward');
  assert.deepEqual(differing(got[1]!, want[1]!), [], 'gradient');
  // What the numbers are: x where x > 0, fresh noise elsewhere, NaN for NaN and −∞.
  assert.deepEqual(Array.from(want[0]!.subarray(0, 3)), [1, want[0]![1]!, want[0]![2]!]);
  assert.ok(want[0]![1] !== -1 && want[0]![2] !== 0 && want[0]![1] !== want[0]![2]);
  assert.ok(Number.isNaN(want[0]![4]) && want[0]![5] === Infinity && Number.isNaN(want[0]![6]));
  weights.dispose();
});
