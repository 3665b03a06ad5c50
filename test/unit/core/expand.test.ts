import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAbsolute, join } from 'node:path';
import type { RawConfig } from '../../../src/core/config';
import { countJobs, formatSweepValue, resolveConfig } from '../../../src/core/expand';
import { DATA_DEFAULTS, MODEL_DEFAULTS, PROBE_DEFAULTS } from '../../../src/core/defaults';
import { NRELU, PRELU, RRELU, LEAKY } from '../../../src/core/papers';

function config(over: Partial<RawConfig> = {}): RawConfig {
  return {
    name: 't',
    data: { dataset: 'mnist' },
    model: { type: 'mlp' },
    activations: [{ id: 'relu', type: 'relu' }],
    training: { epochs: 2 },
    ...over,
  };
}

test('defaults fill every optional field', () => {
  const r = resolveConfig(config({ activations: [{ id: 'n', type: 'nrelu' }, { id: 'l', type: 'leakyRelu' }, { id: 'p', type: 'prelu' }, { id: 'r', type: 'rrelu' }, { id: 's', type: 'smoothRelu' }] }));
  assert.equal(r.jobs.length, 5);
  const j = r.jobs[0];
  assert.deepEqual(j.data, { dataset: 'mnist', trainSize: DATA_DEFAULTS.mnist.trainSize, testSize: DATA_DEFAULTS.mnist.testSize, kappa: 0 });
  assert.deepEqual(j.model, { type: 'mlp', hidden: [...MODEL_DEFAULTS.mlp.hidden], init: 'he', bias: true });
  assert.deepEqual(j.training, { epochs: 2, batchSize: 128, optimizer: 'adam', learningRate: 1e-3, momentum: 0.9, loss: 'crossEntropy' });
  assert.deepEqual(j.probes, { deadThreshold: NRELU.deadThreshold, samples: 500, every: PROBE_DEFAULTS.every, stepEventMs: PROBE_DEFAULTS.stepEventMs });
  assert.equal(j.backend, 'auto');
  assert.equal(j.seed, 1);
  assert.deepEqual(j.activation, { type: 'nrelu', sigma: { kind: 'constant', start: 0.05, end: 0.05, per: 'epoch', every: 1, factor: 1 }, inference: 'deterministic' });
  assert.deepEqual(r.jobs[1].activation, { type: 'leakyRelu', alpha: LEAKY.alpha, rescale: false });
  assert.deepEqual(r.jobs[2].activation, { type: 'prelu', init: PRELU.init });
  assert.deepEqual(r.jobs[3].activation, { type: 'rrelu', lower: RRELU.lower, upper: RRELU.upper });
  assert.equal(r.jobs[4].activation.type === 'smoothRelu' && r.jobs[4].activation.proxy, false);
  assert.equal(r.jobs[0].jobId, 'n#1');
  assert.equal(r.jobs[0].armId, 'n');
  assert.equal(r.jobs[0].label, 'n');
  assert.deepEqual(r.jobs[0].sweep, {});
});

test('the default probe batch is 1/16 of the training set, between 256 and 1000; a set size is kept', () => {
  const samples = (trainSize: number, probes?: { samples: number }): number =>
    resolveConfig(config({ data: { dataset: 'idx', trainSize, testSize: 5000 }, ...(probes ? { probes } : {}) })).jobs[0]!.probes.samples;
  assert.deepEqual([1000, 4096, 8000, 12_000, 16_000, 60_000].map((n) => samples(n)), [256, 256, 500, 750, 1000, 1000]);
  assert.equal(samples(60_000, { samples: 64 }), 64);
  assert.equal(samples(2000, { samples: 1000 }), 1000);
});

test('teacher defaults: n 500 d 20 width 100 noise 0, 80/20 split, mse, cnn defaults', () => {
  const r = resolveConfig(config({ data: { dataset: 'teacher' } }));
  assert.deepEqual(r.jobs[0].data, { dataset: 'teacher', n: 500, d: 20, width: 100, noise: 0, trainSize: 400, testSize: 100, kappa: 0 });
  assert.equal(r.jobs[0].training.loss, 'mse');
  const c = resolveConfig(config({ model: { type: 'cnn' } }));
  assert.deepEqual(c.jobs[0].model, { type: 'cnn', conv: [16, 32], dense: [128], init: 'he', bias: true });
});

test('a size left out takes what the other leaves, capped at its default', () => {
  assert.deepEqual(resolveConfig(config({ data: { dataset: 'mnist', trainSize: 9500 } })).jobs[0].data, { dataset: 'mnist', trainSize: 9500, testSize: 500, kappa: 0 });
  assert.deepEqual(resolveConfig(config({ data: { dataset: 'mnist', testSize: 1000 } })).jobs[0].data, { dataset: 'mnist', trainSize: 8000, testSize: 1000, kappa: 0 });
});

test('sweeps: Cartesian product in listed order, × seeds; ids and labels', () => {
  const raw = config({
    activations: [
      { id: 'relu', type: 'relu' },
      { id: 'rr', type: 'rrelu', label: 'RReLU', lower: { sweep: [0.1, 0.2] }, upper: { sweep: [0.3, 0.4] } },
    ],
    training: { epochs: 1, learningRate: { sweep: [0.01, 0.001] }, seeds: [1, 2] },
  });
  const r = resolveConfig(raw);
  assert.equal(countJobs(raw), (2 + 2 * 2 * 2) * 2);
  assert.equal(r.jobs.length, countJobs(raw));
  assert.deepEqual(r.arms.map((a) => a.armId), [
    'relu[lr=0.01]', 'relu[lr=0.001]',
    'rr[lower=0.1,upper=0.3,lr=0.01]', 'rr[lower=0.1,upper=0.3,lr=0.001]',
    'rr[lower=0.1,upper=0.4,lr=0.01]', 'rr[lower=0.1,upper=0.4,lr=0.001]',
    'rr[lower=0.2,upper=0.3,lr=0.01]', 'rr[lower=0.2,upper=0.3,lr=0.001]',
    'rr[lower=0.2,upper=0.4,lr=0.01]', 'rr[lower=0.2,upper=0.4,lr=0.001]',
  ]);
  assert.deepEqual(r.jobs.slice(0, 3).map((j) => j.jobId), ['relu[lr=0.01]#1', 'relu[lr=0.01]#2', 'relu[lr=0.001]#1']);
  const arm = r.arms[4];
  assert.deepEqual(arm.sweep, { lower: 0.1, upper: 0.4, lr: 0.01 });
  assert.deepEqual(arm.activation, { type: 'rrelu', lower: 0.1, upper: 0.4 });
  assert.equal(arm.label, 'RReLU [lower=0.1,upper=0.4,lr=0.01]');
  assert.deepEqual(arm.seeds, [1, 2]);
  const job = r.jobs.find((j) => j.jobId === 'rr[lower=0.1,upper=0.4,lr=0.01]#2');
  assert.equal(job?.training.learningRate, 0.01);
  assert.equal(job?.activationId, 'rr');
  assert.equal(job?.seed, 2);
});

test('sigma sweeps with schedules print compactly; schedules resolve with toSchedule', () => {
  const r = resolveConfig(config({
    activations: [{ id: 'nrelu-sweep', type: 'nrelu', sigma: { sweep: [0.1, { schedule: 'cosine', start: 0.2, end: 0 }, { schedule: 'step', start: 0.2, every: 2, factor: 0.5, per: 'step' }] } }],
    training: { epochs: 3, seeds: [1, 2] },
  }));
  assert.deepEqual(r.arms.map((a) => a.armId), ['nrelu-sweep[sigma=0.1]', 'nrelu-sweep[sigma=cos(0.2→0)]', 'nrelu-sweep[sigma=step(0.2×0.5/2,step)]']);
  assert.equal(r.jobs[1].jobId, 'nrelu-sweep[sigma=0.1]#2');
  assert.deepEqual(r.arms[1].sweep, { sigma: 'cos(0.2→0)' });
  const a = r.arms[1].activation;
  assert.ok(a.type === 'nrelu');
  assert.deepEqual(a.sigma, { kind: 'cosine', start: 0.2, end: 0, per: 'epoch', every: 1, factor: 0.5 });
});

test('formatSweepValue: shortest round-trip numbers', () => {
  assert.equal(formatSweepValue(0.1), '0.1');
  assert.equal(formatSweepValue(1e-3), '0.001');
  assert.equal(formatSweepValue(-1), '-1');
  assert.equal(formatSweepValue(1 / 3), '0.3333333333333333');
  assert.equal(formatSweepValue({ schedule: 'linear', start: 0.1, end: 0.01 }), 'lin(0.1→0.01)');
  assert.equal(formatSweepValue('full'), 'full');
});

test("batchSize 'full' becomes the train size, also inside a sweep; kappa sweeps reach DataSpec", () => {
  const r = resolveConfig(config({
    data: { dataset: 'teacher', n: 300, inputNoise: { type: 'multiplicative', kappa: { sweep: [0, 0.1] } } },
    training: { epochs: 1, batchSize: { sweep: ['full', 32] } },
  }));
  assert.deepEqual(r.arms.map((a) => a.armId), ['relu[batch=full,kappa=0]', 'relu[batch=full,kappa=0.1]', 'relu[batch=32,kappa=0]', 'relu[batch=32,kappa=0.1]']);
  assert.deepEqual(r.jobs.map((j) => j.training.batchSize), [240, 240, 32, 32]);
  assert.deepEqual(r.jobs.map((j) => j.data.kappa), [0, 0.1, 0, 0.1]);
  assert.equal(resolveConfig(config({ training: { epochs: 1, batchSize: 'full' } })).jobs[0].training.batchSize, 8000);
  assert.equal(resolveConfig(config({ data: { dataset: 'mnist', inputNoise: { type: 'multiplicative', kappa: 0.2 } } })).jobs[0].data.kappa, 0.2);
});

test('idx paths resolve against the source file folder', () => {
  const raw = config({ data: { dataset: 'idx', path: 'data/mnist' } });
  const src = join('/tmp', 'exp', 'a.actlab.json');
  const d = resolveConfig(raw, { sourcePath: src }).jobs[0].data;
  assert.ok(d.dataset === 'idx');
  assert.equal(d.path, join('/tmp', 'exp', 'data', 'mnist'));
  const abs = resolveConfig(config({ data: { dataset: 'idx', path: '/abs/x' } }), { sourcePath: src }).jobs[0].data;
  assert.ok(abs.dataset === 'idx' && abs.path === '/abs/x');
  const noSrc = resolveConfig(raw).jobs[0].data;
  assert.ok(noSrc.dataset === 'idx' && isAbsolute(noSrc.path));
  assert.equal(resolveConfig(raw, { sourcePath: src }).sourcePath, src);
});

test('optimizer-specific learning-rate default; explicit values win', () => {
  assert.equal(resolveConfig(config({ training: { epochs: 1, optimizer: 'sgd' } })).jobs[0].training.learningRate, 0.01);
  assert.equal(resolveConfig(config({ training: { epochs: 1, optimizer: 'sgd', learningRate: 0.5, momentum: 0.5 } })).jobs[0].training.learningRate, 0.5);
});

test('the resolved config keeps the source and round-trips through JSON', () => {
  const raw = config({ description: 'd' });
  const r = resolveConfig(raw);
  assert.equal(r.source, raw);
  assert.equal(r.description, 'd');
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
});
