import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { gelu } from '../../../src/trainer/activations/classic';
import { initBackend } from '../../../src/trainer/backend';
import { mulberry32 } from '../../../src/core/random';
import {
  FusedAdamOptimizer, GELU, gemmKernelsRegistered, registerGemmKernels, unregisterGemmKernels,
} from '../../../src/trainer/kernels/gemm';
import { gemmWasmBytes } from '../../../src/trainer/kernels/gemm/module';

const root = join(__dirname, '..', '..', '..');

function uniform(n: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rand() * 2 - 1;
  return out;
}

/** Runs `f` on a backend with fresh tensors built from the same arrays; returns its outputs. */
async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor[]): Promise<Float32Array[]> {
  if (backend === 'wasm') await initBackend('wasm');
  else assert.equal(await tf.setBackend('cpu'), true);
  const outs = tf.tidy(f);
  const data = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return data;
}

/** float32 agreement: absolute slack plus a term growing with the sum of |products|. */
function assertClose(actual: Float32Array, expected: Float32Array, scale: Float32Array | number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const s = typeof scale === 'number' ? scale : scale[i]!;
    const tol = 1e-5 + 2e-6 * s;
    const err = Math.abs(actual[i]! - expected[i]!);
    if (!(err <= tol)) assert.fail(`${what}: element ${i}: ${actual[i]} vs ${expected[i]} (tol ${tol})`);
  }
}

// Sizes cross every blocking edge of gemm.c (MR 4, NR 8, KC 256, MC 128, NC 512).
const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1], [3, 17, 5], [17, 3, 128], [128, 785, 17], [785, 128, 3], [1, 785, 128],
  [128, 1, 785], [129, 257, 9], [5, 600, 520],
];

test('the embedded module is native/gemm.wasm, and a rebuild with clang-14 reproduces it', () => {
  const committed = new Uint8Array(readFileSync(join(root, 'native', 'gemm.wasm')));
  assert.deepEqual(gemmWasmBytes(), committed);
  assert.equal(WebAssembly.validate(committed), true);
  // Where clang-14 is absent (it is an apt package, not an npm one) only the embed is checked;
  // docs/PERFORMANCE.md says how to rebuild.
  if (spawnSync('clang-14', ['--version']).status !== 0) return;
  const dir = mkdtempSync(join(tmpdir(), 'gemm-'));
  try {
    const r = spawnSync('sh', [join(root, 'native', 'build.sh'), join(dir, 'gemm.wasm'), join(dir, 'embed.ts')]);
    assert.equal(r.status, 0, r.stderr.toString());
    assert.deepEqual(new Uint8Array(readFileSync(join(dir, 'gemm.wasm'))), committed);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cases the kernels do not cover reach a working previous kernel', async () => {
  // Registered before the backend starts (first in this file); initBackend re-registers them
  // over the team's kernels, and the setupFunc test below covers a later-started backend.
  assert.equal(await registerGemmKernels(), true);
  await initBackend('wasm');
  const f = (): tf.Tensor[] => {
    const x = tf.tensor4d(uniform(2 * 7 * 7 * 3, 41), [2, 7, 7, 3]);
    const w = tf.tensor4d(uniform(3 * 3 * 3 * 4, 42), [3, 3, 3, 4]);
    return [
      tf.sum(tf.tensor2d(uniform(12, 43), [3, 4]), 1), // Sum over the last axis: tfjs's kernel
      tf.conv2d(x, w, 1, 'same'), // 3 input channels: XNNPACK's Conv2D
      tf.grad((v: tf.Tensor) => tf.sum(tf.maxPool(v as tf.Tensor4D, 3, 2, 'valid')))(x), // overlapping pool
    ];
  };
  const got = await on('wasm', f);
  const want = await on('cpu', f);
  got.forEach((g, i) => assertClose(g, want[i]!, 32, `fallback ${i}`));
});

test('registration replaces BatchMatMul and _FusedMatMul on wasm, and unregistering restores tfjs', async () => {
  await initBackend('wasm');
  unregisterGemmKernels();
  const shipped = tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc;
  const setups = [tf.BatchMatMul, tf.Sum, tf.Conv2D].map((k) => tf.getKernel(k, 'wasm')!.setupFunc);
  assert.equal(await registerGemmKernels(), true);
  // A backend started later runs the setups of the kernels registered then; tfjs's kernels our
  // fallbacks call bind their C functions in those setups, so ours must carry them.
  assert.deepEqual([tf.BatchMatMul, tf.Sum, tf.Conv2D].map((k) => tf.getKernel(k, 'wasm')!.setupFunc), setups);
  assert.ok(setups.every((f) => typeof f === 'function'));
  assert.equal(await registerGemmKernels(), true);
  assert.deepEqual(gemmKernelsRegistered(), [
    'BatchMatMul', '_FusedMatMul', 'Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'MaxPoolGrad', 'Sum',
    'Identity', 'Exp', 'Erf', 'ActlabGelu', 'ActlabGeluTrain', 'ActlabNormal', 'ActlabUniform', 'ActlabNReluTrain',
    'ActlabUnitSums',
  ].flatMap((k) => (k === 'Conv2D' ? ['ActlabFusedAdam', k] : [k])));
  assert.notEqual(tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc, shipped);
  unregisterGemmKernels();
  assert.equal(tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc, shipped);
  assert.equal(await registerGemmKernels(), true);
});

test('matMul matches the cpu backend for odd sizes and all four transpose combinations', async () => {
  assert.equal(await registerGemmKernels(), true);
  let seed = 1;
  for (const [m, k, n] of SHAPES) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const a = uniform(m * k, seed++);
        const b = uniform(k * n, seed++);
        const f = (): tf.Tensor[] => [tf.matMul(
          tf.tensor2d(a, ta ? [k, m] : [m, k]), tf.tensor2d(b, tb ? [n, k] : [k, n]), ta, tb,
        )];
        const [want] = await on('cpu', f);
        const [got] = await on('wasm', f);
        // |entries| ≤ 1, so Σ|a·b| ≤ k bounds every element's sum of products.
        assertClose(got!, want!, k, `${m}x${k}x${n} ta=${ta} tb=${tb}`);
      }
    }
  }
});

test('batched and broadcast matMul match the cpu backend', async () => {
  assert.equal(await registerGemmKernels(), true);
  const cases: Array<{ a: number[]; b: number[]; ta: boolean; tb: boolean }> = [
    { a: [3, 17, 9], b: [3, 9, 5], ta: false, tb: false },
    { a: [2, 3, 9, 17], b: [2, 3, 5, 9], ta: true, tb: true },
    { a: [4, 33, 12], b: [12, 7], ta: false, tb: false }, // one B for every batch of A
    { a: [4, 12, 33], b: [1, 7, 12], ta: true, tb: true },
    { a: [1, 6, 10], b: [3, 10, 2], ta: false, tb: false }, // one A for every batch of B
  ];
  let seed = 100;
  for (const c of cases) {
    const a = uniform(c.a.reduce((p, d) => p * d, 1), seed++);
    const b = uniform(c.b.reduce((p, d) => p * d, 1), seed++);
    const f = (): tf.Tensor[] => [tf.matMul(tf.tensor(a, c.a), tf.tensor(b, c.b), c.ta, c.tb)];
    const [want] = await on('cpu', f);
    const [got] = await on('wasm', f);
    assertClose(got!, want!, 64, `batch ${JSON.stringify(c)}`);
  }
});

test('fused matMul with bias and activations matches the cpu backend', async () => {
  assert.equal(await registerGemmKernels(), true);
  const [m, k, n] = [37, 70, 21];
  const a = uniform(m * k, 7);
  const b = uniform(k * n, 8);
  const bias = uniform(n, 9);
  for (const activation of ['linear', 'relu', 'relu6', 'leakyrelu', 'elu', 'sigmoid'] as const) {
    for (const tb of [false, true]) {
      const f = (): tf.Tensor[] => [tf.fused.matMul({
        a: tf.tensor2d(a, [m, k]), b: tf.tensor2d(b, tb ? [n, k] : [k, n]), transposeB: tb,
        bias: tf.tensor1d(bias), activation, leakyreluAlpha: 0.3,
      })];
      const [want] = await on('cpu', f);
      const [got] = await on('wasm', f);
      assertClose(got!, want!, k, `fused ${activation} tb=${tb}`);
    }
  }
});

test('gradients of a dense layer through the kernel equal the cpu backend', async () => {
  assert.equal(await registerGemmKernels(), true);
  const [batch, inputs, units] = [33, 785, 17];
  const x = uniform(batch * inputs, 11);
  const w = uniform(inputs * units, 12);
  const bias = uniform(units, 13);
  const target = uniform(batch * units, 14);
  const f = (): tf.Tensor[] => {
    const xt = tf.tensor2d(x, [batch, inputs]);
    const tt = tf.tensor2d(target, [batch, units]);
    const loss = (xv: tf.Tensor, wv: tf.Tensor, bv: tf.Tensor): tf.Scalar =>
      tf.mean(tf.square(tf.sub(tf.relu(tf.add(tf.matMul(xv as tf.Tensor2D, wv as tf.Tensor2D), bv)), tt)));
    const g = tf.grads(loss)([xt, tf.tensor2d(w, [inputs, units]), tf.tensor1d(bias)]);
    const fused = tf.grads((xv: tf.Tensor, wv: tf.Tensor, bv: tf.Tensor): tf.Scalar => tf.mean(tf.square(tf.sub(
      tf.fused.matMul({ a: xv as tf.Tensor2D, b: wv as tf.Tensor2D, bias: bv, activation: 'relu' }), tt))))(
      [xt, tf.tensor2d(w, [inputs, units]), tf.tensor1d(bias)]);
    return [...g, ...fused];
  };
  const want = await on('cpu', f);
  const got = await on('wasm', f);
  const names = ['dx', 'dW', 'db', 'fused dx', 'fused dW', 'fused db'];
  want.forEach((wv, i) => {
    const peak = wv.reduce((p, v) => Math.max(p, Math.abs(v)), 0);
    assert.ok(peak > 0, `${names[i]} is not all zero`);
    assertClose(got[i]!, wv, peak * 1e2, names[i]!);
  });
});

test('the kernel stays correct after the wasm heap grows', async () => {
  assert.equal(await registerGemmKernels(), true);
  await initBackend('wasm');
  const a = uniform(64 * 40, 21);
  const b = uniform(40 * 24, 22);
  const f = (): tf.Tensor[] => [tf.matMul(tf.tensor2d(a, [64, 40]), tf.tensor2d(b, [40, 24]), false, false)];
  const [before] = await on('wasm', f);
  // 80 MB more than the heap had: the memory grows and its ArrayBuffer is replaced.
  const big = tf.zeros([20_000_000]);
  const [after] = await on('wasm', f);
  big.dispose();
  const [want] = await on('cpu', f);
  assertClose(before!, want!, 40, 'before growth');
  assertClose(after!, want!, 40, 'after growth');
});

test('conv2d, its input and filter gradients and max-pool gradients match the cpu backend', async () => {
  assert.equal(await registerGemmKernels(), true);
  const cases: Array<{ x: [number, number, number, number]; f: [number, number, number, number]; stride: number; pad: 'same' | 'valid'; dilation: number }> = [
    { x: [3, 9, 9, 1], f: [3, 3, 1, 16], stride: 1, pad: 'same', dilation: 1 },
    { x: [2, 8, 8, 16], f: [3, 3, 16, 32], stride: 1, pad: 'same', dilation: 1 },
    { x: [2, 11, 10, 3], f: [5, 3, 3, 5], stride: 2, pad: 'valid', dilation: 1 },
    { x: [1, 12, 12, 6], f: [3, 3, 6, 7], stride: 1, pad: 'same', dilation: 2 },
    { x: [2, 5, 5, 9], f: [1, 1, 9, 4], stride: 1, pad: 'valid', dilation: 1 },
  ];
  let seed = 300;
  for (const c of cases) {
    const x = uniform(c.x.reduce((p, d) => p * d, 1), seed++);
    const w = uniform(c.f.reduce((p, d) => p * d, 1), seed++);
    const f = (): tf.Tensor[] => {
      const conv = (xv: tf.Tensor, wv: tf.Tensor): tf.Tensor4D =>
        tf.conv2d(xv as tf.Tensor4D, wv as tf.Tensor4D, c.stride, c.pad, 'NHWC', c.dilation);
      const xt = tf.tensor4d(x, c.x);
      const wt = tf.tensor4d(w, c.f);
      const y = conv(xt, wt);
      // A non-uniform upstream gradient, so every output position weighs differently.
      const up = tf.sin(tf.reshape(tf.range(0, y.size), y.shape));
      const dx = c.dilation === 1 ? tf.grad((xv: tf.Tensor) => tf.sum(tf.mul(conv(xv, wt), up)))(xt) : tf.zeros([1]);
      const dw = c.dilation === 1 ? tf.grad((wv: tf.Tensor) => tf.sum(tf.mul(conv(xt, wv), up)))(wt) : tf.zeros([1]);
      return [y, dx, dw];
    };
    const want = await on('cpu', f);
    const got = await on('wasm', f);
    const k = c.f[0] * c.f[1] * c.f[2];
    assertClose(got[0]!, want[0]!, k, `conv2d ${JSON.stringify(c)}`);
    assertClose(got[1]!, want[1]!, k * 2, `conv2d dx ${JSON.stringify(c)}`);
    // The filter gradient sums over every output pixel.
    assertClose(got[2]!, want[2]!, want[0]!.length, `conv2d dw ${JSON.stringify(c)}`);
  }
  for (const shape of [[2, 8, 8, 16], [1, 7, 9, 3], [3, 6, 6, 5]] as Array<[number, number, number, number]>) {
    const x = uniform(shape.reduce((p, d) => p * d, 1), seed++);
    for (const [size, stride] of [[2, 2], [3, 2]]) {
      const f = (): tf.Tensor[] => {
        const xt = tf.tensor4d(x, shape);
        return [tf.grad((xv: tf.Tensor) => {
          const y = tf.maxPool(xv as tf.Tensor4D, size!, stride!, 'valid');
          return tf.sum(tf.mul(y, tf.sin(tf.reshape(tf.range(0, y.size), y.shape))));
        })(xt)];
      };
      const [want] = await on('cpu', f);
      const [got] = await on('wasm', f);
      assertClose(got!, want!, 0, `maxPool grad ${shape} ${size}/${stride}`);
    }
  }
});

test('Sum over every axis but the last (bias gradients) matches the cpu backend; other sums still work', async () => {
  assert.equal(await registerGemmKernels(), true);
  let seed = 500;
  const cases: Array<{ shape: number[]; axis: number[]; keepDims: boolean }> = [
    { shape: [3000, 37], axis: [0], keepDims: false },
    { shape: [4, 9, 9, 16], axis: [0, 1, 2], keepDims: false },
    { shape: [2, 5, 3], axis: [1, 0], keepDims: true },
    { shape: [7, 300], axis: [1], keepDims: false },
    { shape: [4, 5, 6], axis: [0, 2], keepDims: false },
  ];
  for (const c of cases) {
    const x = uniform(c.shape.reduce((p, d) => p * d, 1), seed++);
    const f = (): tf.Tensor[] => {
      const s = tf.sum(tf.tensor(x, c.shape), c.axis, c.keepDims);
      return [s, tf.tensor1d(s.shape.map(Number))];
    };
    const [want, wantShape] = await on('cpu', f);
    const [got, gotShape] = await on('wasm', f);
    assert.deepEqual(gotShape, wantShape, `shape of sum ${JSON.stringify(c)}`);
    // Each output sums size / outputs terms of magnitude ≤ 1.
    assertClose(got!, want!, x.length / want!.length, `sum ${JSON.stringify(c)}`);
  }
});

test('a clone shares no fate with its source: disposing either leaves the other intact', async () => {
  assert.equal(await registerGemmKernels(), true);
  await initBackend('wasm');
  const before = tf.memory().numBytes;
  const x = tf.tensor1d([1, 2, 3]);
  const y = tf.clone(x);
  x.dispose();
  assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3]);
  const z = tf.clone(y);
  y.dispose();
  const sum = tf.add(z, 1);
  assert.deepEqual(Array.from(sum.dataSync()), [2, 3, 4]);
  tf.dispose([sum, z]);
  assert.equal(tf.memory().numBytes, before, 'the shared block is freed with its last tensor');
});

test('FusedAdamOptimizer on wasm follows tf.train.adam on cpu over several steps, without leaking tensors', async () => {
  assert.equal(await registerGemmKernels(), true);
  const [batch, inputs, units] = [16, 30, 7];
  const x = uniform(batch * inputs, 61);
  const w0 = uniform(inputs * units, 62);
  const target = uniform(batch * units, 63);
  const train = (fused: boolean): tf.Tensor[] => {
    const w = tf.variable(tf.tensor2d(w0, [inputs, units]));
    const b = tf.variable(tf.zeros([units]));
    const opt = fused ? new FusedAdamOptimizer(0.01) : tf.train.adam(0.01);
    const xt = tf.tensor2d(x, [batch, inputs]);
    const tt = tf.tensor2d(target, [batch, units]);
    const step = (): void => {
      const loss = opt.minimize(() => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(xt, w), b), tt))), true, [w, b]);
      if (loss) loss.dispose();
    };
    for (let i = 0; i < 5; i++) step();
    const after = tf.memory().numTensors;
    step();
    assert.equal(tf.memory().numTensors, after, 'a step leaves as many tensors as it found');
    const out = [tf.clone(w), tf.clone(b)];
    opt.dispose();
    tf.dispose([w, b, xt, tt]);
    return out;
  };
  const want = await on('cpu', () => train(false));
  const got = await on('wasm', () => train(true));
  // Six steps of lr 0.01 move each weight by up to ~0.06; float32 rounding is far below 1e-4.
  assertClose(got[0]!, want[0]!, 40, 'weights');
  assertClose(got[1]!, want[1]!, 40, 'biases');
  assert.ok(got[0]!.some((v, i) => Math.abs(v - w0[i]!) > 1e-3), 'the weights moved');
});

test('Exp and Erf match the cpu backend, including the ends of the float range', async () => {
  assert.equal(await registerGemmKernels(), true);
  const edges = [0, -0, 1e-30, -1e-30, 1, -1, 0.5, -3, 3, 10, -10, 80, 88.5, 88.8, -87, -100, -110, 200, -200];
  const x = new Float32Array([...edges, ...uniform(997, 71).map((v) => v * 12)]);
  const f = (): tf.Tensor[] => [tf.exp(tf.tensor1d(x)), tf.erf(tf.tensor1d(x))];
  const [wantExp, wantErf] = await on('cpu', f);
  const [gotExp, gotErf] = await on('wasm', f);
  for (let i = 0; i < x.length; i++) {
    const w = wantExp![i]!;
    const g = gotExp![i]!;
    const ok = w === Infinity ? g === Infinity : Math.abs(g - w) <= 4e-7 * Math.abs(w) + 1e-37;
    assert.ok(ok, `exp(${x[i]}): ${g} vs ${w}`);
    assert.ok(Math.abs(gotErf![i]! - wantErf![i]!) <= 3e-7, `erf(${x[i]}): ${gotErf![i]} vs ${wantErf![i]}`);
  }
  const [nan] = await on('wasm', () => [tf.exp(tf.tensor1d([NaN, 1, 2, 3, NaN]))]);
  assert.ok(Number.isNaN(nan![0]) && Number.isNaN(nan![4]));
});

test('the fused GELU (inference, training with its gradient, derivative) matches the composite formula on the cpu backend', async () => {
  assert.equal(await registerGemmKernels(), true);
  const edges = [0, -0, 1e-30, -1e-30, 1, -1, 0.5, -3, 3, 6, -6, 10, -10, 40, -40];
  const x = new Float32Array([...edges, ...uniform(998, 81).map((v) => v * 8)]);
  const dyValues = uniform(x.length, 82);
  const act = gelu();
  // Forward and the gradient of Σ dy·gelu(x) w.r.t. x, through the activation as training uses it.
  const f = (): tf.Tensor[] => {
    const xt = tf.tensor1d(x);
    const dy = tf.tensor1d(dyValues);
    const y = act.apply(xt, { training: true, sigma: 0, seed: 1 });
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(act.apply(v, { training: true, sigma: 0, seed: 1 }), dy)))(xt);
    const inference = act.apply(xt, { training: false, sigma: 0, seed: 1 });
    const gInference = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(act.apply(v, { training: false, sigma: 0, seed: 1 }), dy)))(xt);
    return [y, g, inference, gInference, act.derivative(xt)];
  };
  assert.ok(!tf.getKernel(GELU, 'cpu'), 'the cpu backend runs the composite');
  const want = await on('cpu', f);
  assert.ok(tf.getKernel(GELU, 'wasm'));
  const got = await on('wasm', f);
  const names = ['gelu (training)', 'gradient', 'gelu (inference)', 'gradient through inference', 'derivative'];
  names.forEach((name, k) => {
    for (let i = 0; i < x.length; i++) {
      const [w, g] = [want[k]![i]!, got[k]![i]!];
      assert.ok(Math.abs(g - w) <= 1e-6 * Math.max(1, Math.abs(w)), `${name} at ${x[i]}: ${g} vs ${w}`);
    }
  });
  // The cpu result is the composite's: d/dx of x·Φ(x) is Φ + x·φ, checked against the derivative.
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(want[1]![i]! - dyValues[i]! * want[4]![i]!) <= 1e-6 * Math.max(1, Math.abs(want[1]![i]!)));
});
