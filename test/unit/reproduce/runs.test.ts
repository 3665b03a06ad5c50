import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { absentData, findRunDir, groupBy, loadStudyRun } from '../../../scripts/reproduce/runs';
import { formatDiagnostic, validateConfigText } from '../../../src/core/validate';
import { resolveConfig } from '../../../src/core/expand';

const PRESETS = join(import.meta.dirname, '..', '..', '..', 'examples', 'reproduce');

test('every reproduction preset validates; one on user-supplied files (CIFAR-10) only lacks its folder', () => {
  const files = readdirSync(PRESETS).filter((f) => f.endsWith('.actlab.json'));
  assert.ok(files.includes('nrelu-inference.actlab.json') && files.includes('nrelu-batchnorm.actlab.json') && files.includes('nrelu-cifar10.actlab.json'));
  for (const f of files) {
    const r = validateConfigText(readFileSync(join(PRESETS, f), 'utf8'), { baseDir: PRESETS, fileExists: existsSync });
    const errors = r.diagnostics.filter((d) => d.severity === 'error' && !(d.code === 'path-not-found' && f === 'nrelu-cifar10.actlab.json'));
    assert.deepEqual(errors.map((d) => formatDiagnostic(f, d)), [], f);
  }
});

test('the N-ReLU next-check presets: inference pairs share their training, BatchNorm matches nrelu-mlp\'s set-up', () => {
  const load = (f: string) => resolveConfig(validateConfigText(readFileSync(join(PRESETS, f), 'utf8')).config!);
  const inference = load('nrelu-inference.actlab.json');
  const modes = inference.arms.map((a) => (a.activation.type === 'nrelu' ? `${a.activation.inference}@${a.activation.sigma.start}` : ''));
  assert.deepEqual(modes.sort(), ['deterministic@0.05', 'deterministic@0.1', 'deterministic@0.2', 'stochastic@0.05', 'stochastic@0.1', 'stochastic@0.2']);
  const bn = load('nrelu-batchnorm.actlab.json');
  const plain = load('nrelu-mlp.actlab.json');
  assert.equal(bn.jobs[0]!.model.norm, 'batch');
  assert.deepEqual({ ...bn.jobs[0]!.model, norm: undefined }, { ...plain.jobs[0]!.model, norm: undefined });
  for (const k of ['data', 'training', 'probes'] as const) assert.deepEqual(bn.jobs[0]![k], plain.jobs[0]![k], k);
  assert.deepEqual([...new Set(bn.jobs.map((j) => j.seed))], [...new Set(plain.jobs.map((j) => j.seed))]);
});

test('absentData: a preset whose data folder is missing says so; once it is there, nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'repro-absent-'));
  try {
    const preset = join(dir, 'p.actlab.json');
    writeFileSync(preset, JSON.stringify({ name: 'c', data: { dataset: 'cifar10', path: 'cifar-10-batches-bin' }, model: { type: 'cnn' }, activations: [{ id: 'r', type: 'relu' }], training: { epochs: 1 } }));
    assert.match(absentData(preset) ?? '', /^files absent: cifar10 path "cifar-10-batches-bin" does not exist/);
    mkdirSync(join(dir, 'cifar-10-batches-bin'));
    assert.equal(absentData(preset), undefined);
    assert.equal(absentData(join(PRESETS, 'nrelu-mlp.actlab.json')), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const job = (jobId: string, armId: string, seed: number) => ({ jobId, armId, activationId: armId, label: armId, seed, sweep: {}, training: { epochs: 2 } });

test('loadStudyRun collects epochs, probes and endings per job, tolerating a torn last line', () => {
  const out = mkdtempSync(join(tmpdir(), 'repro-'));
  try {
    const dir = join(out, 'run1');
    mkdirSync(dir);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ name: 'x', source: {}, arms: [], jobs: [job('a#1', 'a', 1), job('a#2', 'a', 2)] }));
    const ev = (o: object) => JSON.stringify({ v: 1, t: 1, ...o });
    const epoch = (jobId: string, epoch: number, loss: number | null) => ev({ type: 'epoch', jobId, epoch, step: epoch, trainLoss: loss, testLoss: 1, seconds: 1, samplesPerSec: 1 });
    writeFileSync(join(dir, 'events.jsonl'), [
      ev({ type: 'runStart', runId: 'run1', name: 'x', jobIds: ['a#1', 'a#2'], parallel: 2 }),
      epoch('a#1', 2, 0.5),
      epoch('a#1', 1, 0.9),
      ev({ type: 'probe', jobId: 'a#1', epoch: 2, layers: [], ms: 1 }),
      ev({ type: 'jobEnd', jobId: 'a#1', status: 'completed', epoch: 2, step: 2, seconds: 1 }),
      epoch('a#2', 1, null),
      ev({ type: 'jobEnd', jobId: 'a#2', status: 'diverged', epoch: 1, step: 0, seconds: 1 }),
      '{"v":1,"t":1,"type":"epo',
    ].join('\n'));
    assert.equal(findRunDir(out), dir);
    const run = loadStudyRun(dir);
    const [a1, a2] = run.jobs;
    assert.deepEqual(a1!.history.map((e) => e.epoch), [1, 2], 'epochs sorted');
    assert.equal(a1!.probes.length, 1);
    assert.equal(a1!.status, 'completed');
    assert.equal(a2!.status, 'diverged');
    assert.ok(Number.isNaN(a2!.history[0]!.trainLoss), 'null decodes to NaN');
    assert.equal(run.status, 'running', 'no runEnd yet');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('groupBy keeps first-seen order', () => {
  const g = groupBy(['b1', 'a1', 'b2'], (s) => s[0]!);
  assert.deepEqual([...g.keys()], ['b', 'a']);
  assert.deepEqual(g.get('b'), ['b1', 'b2']);
});
