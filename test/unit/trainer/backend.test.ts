import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationSpec } from '../../../src/core/config';
import { ACTIVATION_TYPES, BACKENDS } from '../../../src/core/config';
import { defaultSpec } from '../../../src/core/activations';
import { initBackend } from '../../../src/trainer/backend';
import { BACKEND_ORDER } from '../../../src/trainer/backends/index';
import { createActivationFactory } from '../../../src/trainer/activations/index';
import { initWeights } from '../../../src/trainer/init';
import { gemmKernelsRegistered, unregisterGemmKernels } from '../../../src/trainer/kernels/gemm/index';

const constant = (v: number) => ({ kind: 'constant' as const, start: v, end: v, per: 'epoch' as const, every: 1, factor: 1 });

/** One spec per activation type, with non-default parameters where they exist. */
const SPECS: ActivationSpec[] = ACTIVATION_TYPES.map((type): ActivationSpec => {
  switch (type) {
    case 'leakyRelu': return { type, alpha: -0.5, rescale: true };
    case 'abs': return { type, rescale: false };
    case 'prelu': return { type, init: 0.25 };
    case 'rrelu': return { type, lower: 0.125, upper: 1 / 3 };
    case 'elu': return { type, alpha: 0.7 };
    case 'nrelu': return { type, sigma: constant(0.1), inference: 'deterministic' };
    case 'noisyRelu': return { type, sigma: constant(0.1), inference: 'deterministic' };
    case 'smoothRelu': return { type, sigma: constant(0.2), proxy: false };
    case 'expr': return { type, expr: 'x > 0 ? x : s * randn()', params: { s: 0.1 }, inference: 'deterministic' };
    // Any other type (one added later too): its registry defaults.
    default: return defaultSpec(type);
  }
});

test('the backend registry: fastest first, every explicit choice served, every entry a choice of the config', () => {
  assert.deepEqual(BACKEND_ORDER.map((b) => b.name), ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
  assert.equal(new Set(BACKEND_ORDER.map((b) => b.name)).size, BACKEND_ORDER.length, 'one entry per BackendInfo name');
  for (const choice of BACKENDS) {
    if (choice !== 'auto') assert.ok(BACKEND_ORDER.some((b) => b.choice === choice), `an entry serves backend '${choice}'`);
  }
  for (const b of BACKEND_ORDER) assert.ok((BACKENDS as readonly string[]).includes(b.choice), `${b.name}'s choice is in BACKENDS`);
  assert.equal(BACKEND_ORDER.at(-1)?.name, 'cpu', "cpu, always there, is 'auto''s last resort");
});

test('auto picks wasm here and says why the native backends were not used', async () => {
  const info = await initBackend('auto');
  assert.equal(info.name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(info.simd, true);
  assert.equal(info.threads, false);
  assert.ok(info.notes.some((n) => n.startsWith('tfjs-node not installed')), info.notes.join('; '));
  assert.ok(info.notes.includes('tfjs-node-gpu not installed'), info.notes.join('; '));
  // No GPU here (or only a software one, which 'auto' leaves alone): test/unit/trainer/webgpu.test.ts.
  assert.ok(info.notes.some((n) => n.startsWith('webgpu')), info.notes.join('; '));
});

test("'tensorflow' fails with a clear message when tfjs-node is absent", async () => {
  await assert.rejects(initBackend('tensorflow'), /backend 'tensorflow' unavailable: .*tfjs-node not installed/);
});

test("'cpu' and 'wasm' select those backends", async () => {
  assert.deepEqual(await initBackend('cpu'), { name: 'cpu', notes: [] });
  assert.equal(tf.getBackend(), 'cpu');
  const wasm = await initBackend('wasm');
  assert.equal(wasm.name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
});

test('a native package that fails to load is reported by its first line, then wasm is used', async () => {
  const load = (pkg: string): unknown => {
    if (pkg === '@tensorflow/tfjs-node') {
      throw new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory\n    at Module._extensions');
    }
    // "installed" but registers no backend
    return {};
  };
  const info = await initBackend('auto', load);
  assert.equal(info.name, 'wasm');
  assert.deepEqual(info.notes, [
    "@tensorflow/tfjs-node-gpu backend failed: Backend name 'tensorflow' not found in registry",
    'webgpu (Dawn) failed to load: it exports no create()',
    '@tensorflow/tfjs-node failed to load: libtensorflow.so.2: cannot open shared object file: No such file or directory',
  ]);
});

/** A small CNN: 3×3 conv 'same' + 2×2 max-pool, twice, then dense; one SGD step. */
function cnnStep(spec: ActivationSpec, seed: number): { loss: number; grads: Float32Array[] } {
  const factory = createActivationFactory(spec);
  const acts = [factory(4, 'conv1'), factory(6, 'conv2'), factory(8, 'dense1')];
  const variable = (t: tf.Tensor) => {
    const v = tf.variable(t);
    t.dispose();
    return v;
  };
  const w1 = variable(initWeights([3, 3, 1, 4], 9, 36, 'he', spec, seed + 1));
  const w2 = variable(initWeights([3, 3, 4, 6], 36, 54, 'he', spec, seed + 2));
  const w3 = variable(initWeights([3 * 3 * 6, 8], 54, 8, 'he', spec, seed + 3));
  const w4 = variable(initWeights([8, 3], 8, 3, 'glorot', spec, seed + 4));
  const b1 = variable(tf.zeros([4]));
  const x = tf.randomNormal([5, 12, 12, 1], 0, 1, 'float32', seed);
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 1, 0], 'int32'), 3));
  const ctx = (k: number) => ({ training: true, sigma: 0.1, seed: seed * 10 + k });
  const vars = [w1, w2, w3, w4, b1, ...acts.flatMap((a) => a.variables)];
  const { value, grads } = tf.variableGrads(() => {
    let h: tf.Tensor = tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 1, 'same');
    h = acts[0]!.apply(tf.add(h, b1), ctx(0));
    h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
    h = acts[1]!.apply(tf.conv2d(h as tf.Tensor4D, w2 as tf.Tensor4D, 1, 'same'), ctx(1));
    h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
    h = acts[2]!.apply(tf.matMul(tf.reshape(h, [5, 54]), w3), ctx(2));
    const logits = tf.matMul(h, w4);
    return tf.mean(tf.neg(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), -1))) as tf.Scalar;
  }, vars);
  const loss = value.dataSync()[0]!;
  const gradValues = vars.map((v) => grads[v.name]!.dataSync() as Float32Array);
  tf.dispose([value, x, labels, ...Object.values(grads), ...vars]);
  return { loss, grads: gradValues };
}

test('a CNN training step runs on wasm for every activation; its gradients match cpu elementwise', async () => {
  // with the SIMD GEMM kernels (initBackend's default), then with tfjs's kernels and our fixes
  for (const gemm of [true, false]) {
    for (const spec of SPECS) {
      const what = `${spec.type} (gemm ${gemm})`;
      await initBackend('wasm');
      if (gemm) assert.ok(gemmKernelsRegistered().length > 0, 'initBackend registers the GEMM kernels');
      else unregisterGemmKernels();
      const before = tf.memory().numTensors;
      const wasm = cnnStep(spec, 7);
      assert.equal(tf.memory().numTensors, before, `${what}: tensors leaked`);
      await initBackend('cpu');
      const cpu = cnnStep(spec, 7);
      assert.ok(Number.isFinite(wasm.loss), `${what}: loss ${wasm.loss}`);
      assert.ok(Math.abs(wasm.loss - cpu.loss) < 1e-4 * (1 + Math.abs(cpu.loss)), `${what}: loss ${wasm.loss} vs ${cpu.loss}`);
      wasm.grads.forEach((g, i) => {
        const c = cpu.grads[i]!;
        const scale = Math.max(...Array.from(c, Math.abs));
        assert.ok(scale > 0, `${what}: zero gradient for variable ${i}`);
        const worst = Math.max(...Array.from(c, (v, j) => Math.abs(v - g[j]!)));
        assert.ok(worst <= 1e-4 * scale, `${what}: variable ${i}: max |wasm − cpu| ${worst} (scale ${scale})`);
      });
    }
  }
});
