import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIVATION_TYPES } from '../../../src/core/config';
import { ACTIVATION_PARAM_NAMES, CATALOG, activationMarkdown, paramInfo, typesWithParam } from '../../../src/core/catalog';
import { LEAKY, NRELU, PRELU, RRELU } from '../../../src/core/papers';
import { suggest } from '../../../src/core/suggest';
import { REFERENCE_SAMPLES_PER_S, estimateJobSeconds, estimateRunSeconds, formatDuration, modelMacs } from '../../../src/core/estimate';
import { imageShape, inputSize, maxConvBlocks } from '../../../src/core/datasets';
import { resolveConfig } from '../../../src/core/expand';

test('one catalog entry per activation type, each complete', () => {
  assert.deepEqual(Object.keys(CATALOG).sort(), [...ACTIVATION_TYPES].sort());
  for (const t of ACTIVATION_TYPES) {
    const a = CATALOG[t];
    assert.equal(a.type, t);
    assert.ok(a.name && a.summary && a.formula && a.formulaMarkdown.includes(a.formula), t);
    for (const p of a.params) {
      assert.ok((ACTIVATION_PARAM_NAMES as readonly string[]).includes(p.name));
      assert.ok(p.description.length > 10);
      if (p.kind === 'enum') assert.ok(p.values?.includes(String(p.default)));
      if (typeof p.default === 'number') {
        if (p.min !== undefined) assert.ok(p.default >= p.min);
        if (p.max !== undefined) assert.ok(p.default <= p.max);
      }
    }
    assert.ok(activationMarkdown(t).includes(a.name));
  }
});

test('defaults come from the papers', () => {
  assert.equal(paramInfo('rrelu', 'lower')?.default, RRELU.lower);
  assert.equal(paramInfo('rrelu', 'upper')?.default, RRELU.upper);
  assert.equal(paramInfo('prelu', 'init')?.default, PRELU.init);
  assert.equal(paramInfo('leakyRelu', 'alpha')?.default, LEAKY.alpha);
  assert.equal(paramInfo('nrelu', 'sigma')?.default, NRELU.recommendedSigmaDefault);
  assert.deepEqual(paramInfo('nrelu', 'sigma')?.recommended, NRELU.recommendedSigma);
  assert.deepEqual(typesWithParam('sigma'), ['nrelu', 'noisyRelu', 'smoothRelu']);
  assert.deepEqual(ACTIVATION_TYPES.filter((t) => CATALOG[t].stochastic), ['rrelu', 'nrelu', 'noisyRelu']);
});

test('suggest: case- and separator-insensitive, edit distance, prefixes', () => {
  const types = [...ACTIVATION_TYPES];
  assert.equal(suggest('leaky_relu', types), 'leakyRelu');
  assert.equal(suggest('LeakyReLU', types), 'leakyRelu');
  assert.equal(suggest('nrelu2', types), 'nrelu');
  assert.equal(suggest('RELU', types), 'relu');
  assert.equal(suggest('gleu', types), 'gelu');
  assert.equal(suggest('wobble', types), undefined);
  assert.equal(suggest('lerningRate', ['epochs', 'learningRate', 'loss']), 'learningRate');
  assert.equal(suggest('x', ['epochs']), undefined);
});

test('estimates: an epoch of 10,000 samples ≈ 10,000 / the reference rate; CNN slower; parallel divides', () => {
  const raw = (model: 'mlp' | 'cnn') => resolveConfig({
    name: 't', data: { dataset: 'mnist', trainSize: 10000, testSize: 0 }, model: { type: model, hidden: [256, 128] },
    activations: [{ id: 'r', type: 'relu' }], training: { epochs: 1, seeds: [1, 2, 3, 4] },
  }).jobs;
  const mlp = estimateJobSeconds(raw('mlp')[0]);
  const { mlp: mlpRate, cnn: cnnRate } = REFERENCE_SAMPLES_PER_S;
  assert.ok(mlp > 10000 / mlpRate && mlp < 10000 / mlpRate + 3.5, String(mlp));
  const cnn = estimateJobSeconds(raw('cnn')[0]);
  assert.ok(cnn > 10000 / cnnRate && cnn < 10000 / cnnRate + 4, String(cnn));
  assert.ok(cnn > mlp);
  const jobs = raw('mlp');
  const one = estimateRunSeconds(jobs, 1);
  assert.ok(Math.abs(estimateRunSeconds(jobs, 2) - one / 2) < 1e-9);
  assert.ok(Math.abs(estimateRunSeconds(jobs, 4) - mlp) < 1e-9);
  // A CNN job alone on 2 cores trains data-parallel (as the runner and trainer do); the MLP does not.
  assert.ok(estimateRunSeconds(raw('cnn').slice(0, 1), 2, 2) < 0.9 * estimateRunSeconds(raw('cnn').slice(0, 1), 2, 1));
  assert.equal(estimateRunSeconds(raw('mlp').slice(0, 1), 2, 2), estimateRunSeconds(raw('mlp').slice(0, 1), 2, 1));
  assert.equal(estimateRunSeconds(raw('cnn'), 2, 2), estimateRunSeconds(raw('cnn'), 2, 1), 'four jobs fill the cores');
  assert.equal(formatDuration(45), '~45 s');
});

test('estimates: a BatchNorm job is slower per step and never data-parallel', () => {
  const jobs = (norm: 'none' | 'batch') => resolveConfig({
    name: 't', data: { dataset: 'mnist', trainSize: 8000, testSize: 2000 }, model: { type: 'cnn', norm },
    activations: [{ id: 'r', type: 'relu' }], training: { epochs: 1 },
  }).jobs;
  const [plain, bn] = [jobs('none')[0]!, jobs('batch')[0]!];
  assert.ok(estimateJobSeconds(bn) > 1.3 * estimateJobSeconds(plain) - 1);
  assert.ok(estimateRunSeconds([plain], 2, 2) < 0.9 * estimateRunSeconds([plain], 2, 1), 'the plain CNN alone uses both cores');
  assert.equal(estimateRunSeconds([bn], 2, 2), estimateRunSeconds([bn], 2, 1), 'the BatchNorm one trains on one thread');
});

test('estimates know the data shape: CIFAR-10 is 32×32×3 (a CNN\'s first conv sees 3 channels, an MLP 3,072 inputs)', () => {
  const job = (dataset: 'mnist' | 'cifar10', model: 'mlp' | 'cnn') => resolveConfig({
    name: 't', data: { dataset, path: 'x', trainSize: 1000, testSize: 100 }, model: { type: model, hidden: [100], conv: [16], dense: [] },
    activations: [{ id: 'r', type: 'relu' }], training: { epochs: 1 },
  }).jobs[0]!;
  assert.equal(modelMacs(job('cifar10', 'cnn').model, inputSize('cifar10'), 10, 3), 32 * 32 * 9 * 3 * 16 + 16 * 16 * 16 * 10);
  assert.equal(modelMacs(job('mnist', 'cnn').model, inputSize('mnist'), 10), 28 * 28 * 9 * 16 + 14 * 14 * 16 * 10);
  assert.equal(inputSize('cifar10'), 3072);
  // CIFAR-10 costs more through the same rates (with the fixed per-step and per-epoch costs, less than its macs ratio).
  const ratio = (model: 'mlp' | 'cnn'): number => (estimateJobSeconds(job('cifar10', model)) - 1) / (estimateJobSeconds(job('mnist', model)) - 1);
  assert.ok(ratio('mlp') > 1.3 && ratio('mlp') < 4, String(ratio('mlp')));
  assert.ok(ratio('cnn') > 1.3 && ratio('cnn') < 4, String(ratio('cnn')));
  assert.equal(maxConvBlocks(imageShape('cifar10')!), 5);
  assert.equal(maxConvBlocks(imageShape('mnist')!), 4);
  assert.equal(imageShape('teacher'), undefined);
  assert.equal(formatDuration(600), '~10 min');
  assert.equal(formatDuration(7800), '~2 h 10 min');
});
