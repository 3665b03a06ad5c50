/** Sweeps over model.hidden, data.trainSize and data.n; the teacher's input options. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RawConfig } from '../../../src/core/config';
import { countJobs, resolveConfig } from '../../../src/core/expand';
import { summarize } from '../../../src/core/summary';
import { sweepPlots } from '../../../src/core/sweep';
import { validateConfigText } from '../../../src/core/validate';

function text(data: string, model = '{ "type": "mlp" }', training = '{ "epochs": 1 }'): string {
  return `{ "name": "t", "data": ${data}, "model": ${model}, "activations": [{ "id": "r", "type": "relu" }], "training": ${training} }`;
}

const problems = (t: string): string[][] =>
  validateConfigText(t).diagnostics.filter((d) => d.code !== 'job-count').map((d) => [d.severity, d.code, d.path.join('.')]);

const raw = (t: string): RawConfig => {
  const r = validateConfigText(t);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  return r.config!;
};

test('model.hidden sweeps width and depth: one arm per list, named hidden=1000x1000', () => {
  const c = raw(text('{ "dataset": "teacher" }', '{ "type": "mlp", "hidden": { "sweep": [[16], [16, 16, 16]] } }', '{ "epochs": 1, "learningRate": { "sweep": [0.1, 0.01] } }'));
  const r = resolveConfig(c);
  assert.deepEqual(r.arms.map((a) => a.armId), ['r[lr=0.1,hidden=16]', 'r[lr=0.1,hidden=16x16x16]', 'r[lr=0.01,hidden=16]', 'r[lr=0.01,hidden=16x16x16]']);
  assert.deepEqual(r.arms[1]!.sweep, { lr: 0.1, hidden: '16x16x16' });
  assert.equal(r.arms[1]!.label, 'r [lr=0.1,hidden=16x16x16]');
  assert.deepEqual(r.jobs.map((j) => j.model.type === 'mlp' && j.model.hidden), [[16], [16, 16, 16], [16], [16, 16, 16]]);
  assert.equal(countJobs(c), 4);
});

test('data.trainSize and data.n sweep: sizes, probe batch and full batch follow each arm', () => {
  const c = raw(text('{ "dataset": "teacher", "n": { "sweep": [200, 1000] }, "trainSize": { "sweep": [100, 150] }, "testSize": 50 }', '{ "type": "mlp" }', '{ "epochs": 1, "batchSize": "full" }'));
  const r = resolveConfig(c);
  assert.deepEqual(r.arms.map((a) => a.armId), ['r[trainSize=100,n=200]', 'r[trainSize=100,n=1000]', 'r[trainSize=150,n=200]', 'r[trainSize=150,n=1000]']);
  assert.deepEqual(r.jobs.map((j) => [j.data.trainSize, j.data.dataset === 'teacher' && j.data.n, j.training.batchSize]), [[100, 200, 100], [100, 1000, 100], [150, 200, 150], [150, 1000, 150]]);
  const mnist = resolveConfig(raw(text('{ "dataset": "mnist", "trainSize": { "sweep": [1000, 8000] } }')));
  assert.deepEqual(mnist.jobs.map((j) => [j.data.trainSize, j.data.testSize, j.probes.samples]), [[1000, 2000, 256], [8000, 2000, 500]]);
});

test('a swept size the dataset cannot hold is an error at that sweep value', () => {
  assert.deepEqual(problems(text('{ "dataset": "mnist", "trainSize": { "sweep": [1000, 10000] } }')), [['error', 'dataset-too-small', 'data.trainSize.sweep.1']]);
  assert.deepEqual(problems(text('{ "dataset": "teacher", "n": { "sweep": [100, 1000] }, "trainSize": 150 }')), [['error', 'dataset-too-small', 'data.trainSize']]);
  assert.deepEqual(problems(text('{ "dataset": "mnist", "trainSize": { "sweep": [] } }')), [['error', 'empty-sweep', 'data.trainSize.sweep']]);
  assert.deepEqual(problems(text('{ "dataset": "teacher" }', '{ "type": "mlp", "hidden": { "sweep": [[8], []] } }')), [['error', 'empty-list', 'model.hidden.sweep.1']]);
});

test('the summary keeps one row per swept size and the sweep plot has a trainSize axis', () => {
  const config = resolveConfig(raw(text('{ "dataset": "teacher", "trainSize": { "sweep": [100, 300] } }')));
  const summary = summarize(config, []);
  assert.deepEqual(summary.arms.map((a) => a.sweep), [{ trainSize: 100 }, { trainSize: 300 }]);
  const plots = sweepPlots({ arms: summary.arms.map((a, i) => ({ ...a, finalTestLoss: { mean: i, std: 0, n: 1, min: i, max: i } })) }, 'final', 'std');
  assert.deepEqual(plots.map((p) => [p.param, p.series[0]!.points.map((q) => q.x)]), [['trainSize', [100, 300]]]);
});

test('teacher inputs: sphere, a constant coordinate and centring validate, resolve, and belong to the teacher only', () => {
  const c = raw(text('{ "dataset": "teacher", "inputs": "sphere", "appendConstant": 0.7071, "center": true }'));
  const d = resolveConfig(c).jobs[0]!.data;
  assert.deepEqual(d.dataset === 'teacher' && [d.inputs, d.appendConstant, d.center], ['sphere', 0.7071, true]);
  const plain = resolveConfig(raw(text('{ "dataset": "teacher" }'))).jobs[0]!.data;
  assert.ok(!('inputs' in plain) && !('appendConstant' in plain) && !('center' in plain), 'absent unless written');
  assert.deepEqual(problems(text('{ "dataset": "teacher", "inputs": "sphere", "appendConstant": 1 }')), [['error', 'sphere-constant', 'data.appendConstant']]);
  assert.deepEqual(problems(text('{ "dataset": "teacher", "appendConstant": 1 }')), [], 'gaussian inputs take any constant');
  assert.deepEqual(problems(text('{ "dataset": "mnist", "center": true }')), [['error', 'key-not-for-dataset', 'data.center']]);
  assert.deepEqual(problems(text('{ "dataset": "teacher", "inputs": "ball" }')), [['error', 'invalid-value', 'data.inputs']]);
});

test('an expression parameter may not take the name of a model or data sweep (arm ids would name both alike)', () => {
  for (const name of ['hidden', 'trainSize', 'n', 'lr']) {
    const t = `{ "name": "t", "data": { "dataset": "teacher" }, "model": { "type": "mlp" }, "activations": [{ "id": "e", "type": "expr", "expr": "max(x, ${name} * x)", "params": { "${name}": 0.1 } }], "training": { "epochs": 1 } }`;
    assert.deepEqual(problems(t).filter((p) => p[1] === 'expr-bad-param-name').map((p) => p[2]), [`activations.0.params.${name}`], name);
  }
});
