import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/trainer/backend';
import { registerCpuKernels } from '../../../src/trainer/kernels/index';
import { registerGemmKernels, unregisterGemmKernels } from '../../../src/trainer/kernels/gemm/index';

/** wasm with our kernels alone, or with the SIMD GEMM set over them (what initBackend gives). */
async function wasmWith(gemm: boolean): Promise<void> {
  await initBackend('wasm');
  if (gemm) assert.ok(await registerGemmKernels());
  else unregisterGemmKernels();
}
const MODES = [false, true];

/** The reference: tfjs's own cpu kernels (initBackend('cpu') would register ours). */
async function stockCpu(): Promise<void> {
  assert.ok(await tf.setBackend('cpu'));
}

interface Case {
  x: [number, number, number, number];
  k: [number, number];
  outC: number;
  stride: number;
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { x: [2, 8, 8, 3], k: [3, 3], outC: 4, stride: 1, pad: 'same' },
  { x: [3, 7, 9, 2], k: [3, 3], outC: 5, stride: 1, pad: 'valid' },
  { x: [2, 9, 9, 3], k: [3, 3], outC: 4, stride: 2, pad: 'same' },
  { x: [2, 10, 8, 2], k: [3, 3], outC: 3, stride: 2, pad: 'same' },
  { x: [2, 10, 11, 2], k: [3, 2], outC: 3, stride: 2, pad: 'valid' },
  { x: [1, 6, 6, 1], k: [5, 5], outC: 2, stride: 1, pad: 'same' },
  { x: [4, 28, 28, 1], k: [3, 3], outC: 16, stride: 1, pad: 'same' },
];

/** dL/dW for L = Σ conv(x, W) ⊙ r, via the backend's Conv2DBackpropFilter. */
function filterGrad(c: Case, seed: number): { dw: Float32Array; shape: number[] } {
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', seed) as tf.Tensor4D;
    const w = tf.randomNormal([c.k[0], c.k[1], c.x[3], c.outC], 0, 1, 'float32', seed + 1) as tf.Tensor4D;
    const probe = tf.conv2d(x, w, c.stride, c.pad);
    const r = tf.randomNormal(probe.shape, 0, 1, 'float32', seed + 2);
    const dw = tf.grad((ww: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, ww as tf.Tensor4D, c.stride, c.pad), r)))(w);
    return { dw: dw.dataSync() as Float32Array, shape: dw.shape };
  });
}

test('wasm Conv2DBackpropFilter equals the cpu backend within 1e-5', async () => {
  for (const [i, c] of CASES.entries()) for (const gemm of MODES) {
    await stockCpu();
    const cpu = filterGrad(c, 100 + i);
    await wasmWith(gemm);
    const wasm = filterGrad(c, 100 + i);
    assert.deepEqual(wasm.shape, cpu.shape);
    let worst = 0;
    let scale = 0;
    for (let j = 0; j < cpu.dw.length; j++) {
      worst = Math.max(worst, Math.abs(wasm.dw[j]! - cpu.dw[j]!));
      scale = Math.max(scale, Math.abs(cpu.dw[j]!));
    }
    assert.ok(worst <= 1e-5 * Math.max(1, scale), `case ${i} ${JSON.stringify(c)} gemm=${gemm}: max |Δ| ${worst} (scale ${scale})`);
  }
});

/** dL/dx for L = Σ conv(x, W) ⊙ r, via the backend's Conv2DBackpropInput. */
function inputGrad(c: Case, seed: number): number[] {
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', seed) as tf.Tensor4D;
    const w = tf.randomNormal([c.k[0], c.k[1], c.x[3], c.outC], 0, 1, 'float32', seed + 1) as tf.Tensor4D;
    const r = tf.randomNormal(tf.conv2d(x, w, c.stride, c.pad).shape, 0, 1, 'float32', seed + 2);
    return Array.from(tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, w, c.stride, c.pad), r)))(x).dataSync());
  });
}

test('wasm Conv2DBackpropInput (stride 1: forward conv; otherwise tfjs) equals the cpu backend', async () => {
  for (const [i, c] of CASES.entries()) for (const gemm of MODES) {
    await stockCpu();
    const cpu = inputGrad(c, 200 + i);
    await wasmWith(gemm);
    const wasm = inputGrad(c, 200 + i);
    assert.equal(wasm.length, cpu.length);
    const scale = Math.max(1, ...cpu.map(Math.abs));
    const worst = Math.max(...cpu.map((v, j) => Math.abs(v - wasm[j]!)));
    assert.ok(worst <= 1e-5 * scale, `case ${i} ${JSON.stringify(c)} gemm=${gemm}: max |Δ| ${worst} (scale ${scale})`);
  }
});

/** Buffers the backend holds (kernel temporaries are not engine tensors, so count these). */
const backendDataIds = () => tf.engine().backend.numDataIds();

test('the wasm conv kernels free their temporaries', async () => {
  await wasmWith(false);
  filterGrad(CASES[2]!, 1);
  const before = backendDataIds();
  const tensors = tf.memory().numTensors;
  filterGrad(CASES[3]!, 1);
  filterGrad(CASES[4]!, 1);
  inputGrad(CASES[0]!, 1);
  inputGrad(CASES[2]!, 1);
  assert.equal(backendDataIds(), before);
  assert.equal(tf.memory().numTensors, tensors);
});

interface PoolCase { x: [number, number, number, number]; size: number; stride: number; pad: 'same' | 'valid'; shift: number }

const POOLS: PoolCase[] = [
  { x: [2, 8, 8, 3], size: 2, stride: 2, pad: 'valid', shift: 0 },
  // all-negative windows: tfjs-backend-wasm 4.22.0's own kernel drops their gradient
  { x: [2, 8, 8, 3], size: 2, stride: 2, pad: 'valid', shift: -5 },
  { x: [1, 7, 9, 2], size: 2, stride: 2, pad: 'same', shift: -1 },
  { x: [2, 7, 7, 4], size: 3, stride: 2, pad: 'valid', shift: -0.5 },
  { x: [1, 6, 6, 2], size: 3, stride: 1, pad: 'same', shift: -2 },
];

/** dL/dx for L = Σ maxPool(x) ⊙ r. `ties` rounds x so windows hold equal maxima. */
function poolGrad(c: PoolCase, seed: number, ties: boolean): number[] {
  return tf.tidy(() => {
    let x = tf.add(tf.randomNormal(c.x, 0, 1, 'float32', seed), c.shift) as tf.Tensor4D;
    if (ties) x = tf.round(x);
    const pooled = tf.maxPool(x, c.size, c.stride, c.pad);
    const r = tf.randomNormal(pooled.shape, 0, 1, 'float32', seed + 1);
    const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, c.size, c.stride, c.pad), r)))(x);
    // the forward values too: the gradient is only as right as the maxima it routes to
    return [...pooled.dataSync(), ...dx.dataSync()];
  });
}

test('wasm MaxPoolGrad equals the cpu backend, negative inputs and ties included', async () => {
  for (const [i, c] of POOLS.entries()) {
    for (const ties of [false, true]) for (const gemm of MODES) {
      await stockCpu();
      const cpu = poolGrad(c, 10 + i, ties);
      await wasmWith(gemm);
      const wasm = poolGrad(c, 10 + i, ties);
      const worst = Math.max(...cpu.map((v, j) => Math.abs(v - wasm[j]!)));
      assert.ok(worst <= 1e-6, `pool case ${i} ${JSON.stringify(c)} ties=${ties} gemm=${gemm}: max |Δ| ${worst}`);
    }
  }
});

test('cpu: our Conv2DBackpropFilter equals the stock cpu kernel it replaces', async () => {
  await stockCpu();
  const stock = CASES.slice(0, 6).map((c, i) => filterGrad(c, 300 + i));
  registerCpuKernels();
  CASES.slice(0, 6).forEach((c, i) => {
    const ours = filterGrad(c, 300 + i);
    const ref = stock[i]!;
    const scale = Math.max(1, ...Array.from(ref.dw, Math.abs));
    const worst = Math.max(...Array.from(ref.dw, (v, j) => Math.abs(v - ours.dw[j]!)));
    assert.ok(worst <= 1e-5 * scale, `case ${i} ${JSON.stringify(c)}: max |Δ| ${worst}`);
  });
});
