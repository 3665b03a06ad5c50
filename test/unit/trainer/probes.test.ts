import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationSpec } from '../../../src/core/config';
import { initBackend } from '../../../src/trainer/backend';
import { crossEntropy } from '../../../src/trainer/losses';
import { createModel, type Model } from '../../../src/trainer/models';
import type { LayerProbe } from '../../../src/core/protocol';
import type { ActivationContext } from '../../../src/trainer/activations';
import { evaluate } from '../../../src/trainer/evaluate';
import { trainStep } from '../../../src/trainer/step';
import { forwardUnitSums, gradientNorms, layerProbes, unitSums } from '../../../src/trainer/probes';
import { onActiveBackend, registerGemmKernels, UNIT_SUMS } from '../../../src/trainer/kernels/gemm';
import { mulberry32 } from '../../../src/core/random';
import { createOptimizer } from '../../../src/trainer/optimizers';
import type { Dataset } from '../../../src/trainer/data/types';
import { NRELU_SPEC } from '../../fixtures/trainer/jobs';

const TAU = 1e-5;
const N = 300;

before(async () => { await initBackend('cpu'); });

/** A whole probe as the loop assembles one: statistics of a pass over x, norms of the loss gradient on (x, y). */
async function probeLayers(m: Model, x: tf.Tensor, y: tf.Tensor, ctx: ActivationContext): Promise<LayerProbe[]> {
  const stats = forwardUnitSums(m, x, ctx, TAU);
  const norms = tf.tidy(() => gradientNorms(m, tf.variableGrads(() => crossEntropy(m.forward(x, ctx).output, y), m.variables).grads));
  const probes = layerProbes(m, await stats.sums.data() as Float32Array, stats.rows, await norms.data() as Float32Array, TAU);
  tf.dispose([stats.sums, norms]);
  return probes;
}

/** dense1 has 4 units with all-positive weights on positive inputs; unit 0's bias of −100 keeps it negative. */
function handBuilt(activation: ActivationSpec): Model {
  const m = createModel({ type: 'mlp', hidden: [4], init: 'he', bias: true }, [3], 2, activation, 1);
  const [w1, b1] = m.variables as [tf.Variable, tf.Variable];
  assert.deepEqual(w1.shape, [3, 4]);
  assert.deepEqual(b1.shape, [4]);
  w1.assign(tf.fill([3, 4], 0.5));
  b1.assign(tf.tensor1d([-100, 0, 0, 0]));
  return m;
}

const inputs = (): { x: tf.Tensor; y: tf.Tensor } => ({
  x: tf.randomUniform([N, 3], 0.1, 1, 'float32', 11),
  y: tf.tensor1d(Array.from({ length: N }, (_, i) => i % 2), 'int32'),
});

test('relu: a unit that is never positive is dead by both measures', async () => {
  const m = handBuilt({ type: 'relu' });
  const { x, y } = inputs();
  const [p] = await probeLayers(m, x, y, { training: true, sigma: 0, seed: 1 });
  assert.equal(p!.layer, 'dense1');
  assert.equal(p!.units, 4);
  assert.equal(p!.deadMean, 0.25);
  assert.equal(p!.deadGrad, 0.25);
  assert.deepEqual(p!.fracPositive, [0, 1, 1, 1]);
  // Units 1–3 output 0.5·Σx; unit 0 outputs 0.
  const rowSums = Array.from(await tf.sum(x, 1).data());
  const expectedMean = (3 * 0.5 * rowSums.reduce((s, v) => s + v, 0)) / (4 * N);
  assert.ok(Math.abs(p!.meanActivation - expectedMean) < 1e-4, `${p!.meanActivation} vs ${expectedMean}`);
  // The gradient norm is ‖∂loss/∂W₁‖ of the gradient it was given.
  const { grads } = tf.variableGrads(() => crossEntropy(m.forward(x, { training: true, sigma: 0, seed: 1 }).output, y), [m.hiddenLayers[0]!.weight]);
  const expectedNorm = (await tf.norm(grads[m.hiddenLayers[0]!.weight.name]!).data())[0]!;
  assert.ok(expectedNorm > 0);
  assert.ok(Math.abs(p!.gradNorm - expectedNorm) < 1e-5 * Math.max(1, expectedNorm));
  m.dispose();
});

test('nrelu: the noise keeps the dead unit "alive" by mean activation, not by gradient', async () => {
  const m = handBuilt(NRELU_SPEC);
  const { x, y } = inputs();
  const [p] = await probeLayers(m, x, y, { training: true, sigma: 0.1, seed: 1 });
  assert.equal(p!.deadMean, 0, 'mean of N(0, 0.01) noise over 300 samples is ~0.006, far above τ');
  assert.equal(p!.deadGrad, 0.25);
  assert.deepEqual(p!.fracPositive, [0, 1, 1, 1]);
  m.dispose();
});

test('conv layers: units are channels, positions count as samples', async () => {
  const m = createModel({ type: 'cnn', conv: [3], dense: [5], init: 'he', bias: true }, [6, 6, 1], 2, { type: 'relu' }, 1);
  const bias = m.variables[1]!;
  assert.deepEqual(bias.shape, [3]);
  bias.assign(tf.tensor1d([-100, 0, 0]));
  const x = tf.randomUniform([20, 6, 6, 1], 0, 1, 'float32', 2);
  const y = tf.tensor1d(Array.from({ length: 20 }, (_, i) => i % 2), 'int32');
  const layers = await probeLayers(m, x, y, { training: true, sigma: 0, seed: 1 });
  assert.deepEqual(layers.map((l) => [l.layer, l.units, l.fracPositive.length]), [['conv1', 3, 3], ['dense1', 5, 5]]);
  assert.equal(layers[0]!.fracPositive[0], 0);
  assert.ok(layers[0]!.deadGrad >= 1 / 3);
  assert.ok(layers.every((l) => Number.isFinite(l.gradNorm)));
  m.dispose();
});

test('probes leave no tensors behind', async () => {
  const m = handBuilt({ type: 'relu' });
  const { x, y } = inputs();
  const before = tf.memory().numTensors;
  await probeLayers(m, x, y, { training: true, sigma: 0, seed: 1 });
  assert.equal(tf.memory().numTensors, before);
  m.dispose();
});

test('statistics equal a direct computation on the whole batch', async () => {
  const m = createModel({ type: 'cnn', conv: [4], dense: [6], init: 'he', bias: true }, [6, 6, 1], 3, { type: 'leakyRelu', alpha: 0, rescale: false }, 5);
  m.variables[1]!.assign(tf.tensor1d([-100, 0, 0.1, -0.1]));
  const total = 200;
  const x = tf.randomNormal([total, 6, 6, 1], 0, 1, 'float32', 9);
  const y = tf.tensor1d(Array.from({ length: total }, (_, i) => i % 3), 'int32');
  const ctx = { training: true, sigma: 0, seed: 1 };
  const layers = await probeLayers(m, x, y, ctx);
  const { hidden } = m.forward(x, ctx, true);
  for (let i = 0; i < layers.length; i++) {
    const units = m.hiddenLayers[i]!.units;
    const pre = tf.reshape(hidden[i]!.pre, [-1, units]);
    const post = tf.reshape(hidden[i]!.post, [-1, units]);
    const frac = Array.from(await tf.mean(tf.cast(tf.greater(pre, 0), 'float32'), 0).data());
    const maxDeriv = Array.from(await tf.max(tf.abs(m.hiddenLayers[i]!.activation.derivative(pre)), 0).data());
    const unitMean = Array.from(await tf.mean(post, 0).data());
    const p = layers[i]!;
    p.fracPositive.forEach((f, j) => assert.ok(Math.abs(f - frac[j]!) < 1e-6, `${p.layer} unit ${j}: ${f} vs ${frac[j]}`));
    assert.equal(p.deadGrad, maxDeriv.filter((d) => d < TAU).length / units);
    assert.equal(p.deadMean, unitMean.filter((a) => Math.abs(a) < TAU).length / units);
    const mean = unitMean.reduce((s, a) => s + a, 0) / units;
    assert.ok(Math.abs(p.meanActivation - mean) < 1e-5 * Math.max(1, Math.abs(mean)), `${p.meanActivation} vs ${mean}`);
  }
  assert.equal(layers[0]!.deadGrad, 0.25, 'conv1 unit 0 (bias −100) never passes a gradient');
  m.dispose();
});

/** 300 random 6×6 images in two splits, as loadDataset returns them. */
function tinyImages(): Dataset {
  const rand = (n: number, seed: number) => tf.randomNormal([n], 0, 1, 'float32', seed).dataSync() as Float32Array;
  const labels = (n: number) => Int32Array.from({ length: n }, (_, i) => i % 3);
  return {
    kind: 'classification', inputShape: [6, 6, 1], outputs: 3, trainSize: 100, testSize: 250,
    xTrain: rand(100 * 36, 3), yTrain: labels(100), xTest: rand(250 * 36, 4), yTest: labels(250),
  };
}

test('the evaluation pass gives a deterministic activation the same statistics as a probe pass of its own, and the same loss', async () => {
  const ds = tinyImages();
  const m = createModel({ type: 'cnn', conv: [4], dense: [6], init: 'he', bias: true }, [6, 6, 1], 3, { type: 'leakyRelu', alpha: 0, rescale: false }, 5);
  m.variables[1]!.assign(tf.tensor1d([-100, 0, 0.1, -0.1]));
  const ctx = { training: false, sigma: 0, seed: 1 };
  const before = tf.memory().numTensors;
  const withProbe = await evaluate(m, ds, 'test', crossEntropy, ctx, undefined, { samples: 120, tau: TAU });
  const plain = await evaluate(m, ds, 'test', crossEntropy, ctx);
  assert.equal(tf.memory().numTensors, before);
  assert.ok(Math.abs(withProbe.loss - plain.loss) < 1e-6, `${withProbe.loss} vs ${plain.loss}`);
  assert.equal(withProbe.accuracy, plain.accuracy);
  const x = tf.tensor(ds.xTest.subarray(0, 120 * 36), [120, 6, 6, 1]);
  const own = forwardUnitSums(m, x, { training: true, sigma: 0, seed: 9 }, TAU);
  const ownSums = await own.sums.data();
  assert.deepEqual(withProbe.probe!.rows, own.rows);
  assert.deepEqual(own.rows, [120 * 36, 120]);
  ownSums.forEach((v, i) => assert.ok(Math.abs(v - withProbe.probe!.sums[i]!) <= 1e-4 * Math.max(1, Math.abs(v)), `sum ${i}: ${v} vs ${withProbe.probe!.sums[i]}`));
  tf.dispose([x, own.sums]);
  m.dispose();
});

test('trainStep\'s gradient norms are those of the gradient it applies, taken before the update', async () => {
  const m = handBuilt({ type: 'leakyRelu', alpha: 0.1, rescale: false });
  const { x, y } = inputs();
  const ctx = { training: true, sigma: 0, seed: 3 };
  const w = m.hiddenLayers[0]!.weight;
  const { grads } = tf.variableGrads(() => crossEntropy(m.forward(x, ctx).output, y), [w]);
  const expected = (await tf.norm(grads[w.name]!).data())[0]!;
  const optimizer = createOptimizer({ optimizer: 'sgd', learningRate: 0.5, momentum: 0 });
  const w0 = w.dataSync().slice();
  const r = trainStep(m, optimizer, crossEntropy, { x, y, size: N }, { sigma: 0, seed: 3, kappa: 0 }, { gradNorms: true });
  const [norm] = await r.gradNorms!.data();
  assert.ok(Math.abs(norm! - expected) < 1e-5 * Math.max(1, expected), `${norm} vs ${expected}`);
  // SGD moved W by exactly lr · gradient: the norm belongs to the update that was applied.
  const moved = Math.hypot(...Array.from(w.dataSync(), (v, i) => v - w0[i]!));
  assert.ok(Math.abs(moved - 0.5 * expected) < 1e-4 * Math.max(1, expected), `${moved} vs ${0.5 * expected}`);
  tf.dispose([r.loss, r.gradNorms!, grads[w.name]!]);
  optimizer.dispose();
  m.dispose();
});

test('on wasm one native pass gives the statistics tfjs\'s ops give on cpu (f′ from the sign, or from the derivative)', async () => {
  const activations: ActivationSpec[] = [{ type: 'relu' }, { type: 'leakyRelu', alpha: 0.1, rescale: false }, { type: 'gelu' }];
  // A conv layer of 6 channels (not a multiple of 4: the scalar tail too) and a dense layer of 8.
  const pre = [randomArray(7 * 5 * 5 * 6, 3), randomArray(7 * 8, 4)];
  for (let i = 0; i < pre[0]!.length; i += 6) pre[0]![i] = -Math.abs(pre[0]![i]!); // channel 0: never positive
  pre[1]![3] = 0;
  const sumsOn = async (backend: 'cpu' | 'wasm', spec: ActivationSpec, tau: number): Promise<Float32Array> => {
    await initBackend(backend);
    if (backend === 'wasm') assert.equal(await registerGemmKernels(), true);
    assert.equal(onActiveBackend(UNIT_SUMS), backend === 'wasm');
    const m = createModel({ type: 'cnn', conv: [6], dense: [8], init: 'he', bias: true }, [10, 10, 1], 2, spec, 1);
    const out = tf.tidy(() => {
      const hidden = [[7, 5, 5, 6], [7, 8]].map((shape, i) => {
        const p = tf.tensor(pre[i]!, shape);
        return { pre: p, post: m.hiddenLayers[i]!.activation.apply(p, { training: true, sigma: 0, seed: 1 }) };
      });
      return unitSums(m, hidden, tau).sums.dataSync() as Float32Array;
    });
    m.dispose();
    return out;
  };
  try {
    for (const spec of activations) {
      for (const tau of [1e-5, 0, 0.5, 2]) {
        const want = await sumsOn('cpu', spec, tau);
        const got = await sumsOn('wasm', spec, tau);
        assert.equal(got.length, want.length);
        // [Σ post, #(pre > 0), #(|f′| < τ)] per layer: counts exactly, sums to float rounding.
        let at = 0;
        for (const units of [6, 8]) {
          for (let j = 0; j < 3 * units; j++) {
            const [g, w] = [got[at + j]!, want[at + j]!];
            if (j < units) assert.ok(Math.abs(g - w) <= 1e-5 * Math.max(1, Math.abs(w)), `${spec.type} τ=${tau} Σpost[${j}]: ${g} vs ${w}`);
            else assert.equal(g, w, `${spec.type} τ=${tau} count ${j} of layer with ${units} units`);
          }
          at += 3 * units;
        }
        assert.equal(want[6], 0, 'channel 0 is never positive');
      }
    }
  } finally {
    await initBackend('cpu');
  }
});

function randomArray(n: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  return Float32Array.from({ length: n }, () => rand() * 4 - 2);
}
