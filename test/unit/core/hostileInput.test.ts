/**
 * Hostile configs (issue 17): each is rejected with located errors, never a crash or a stall.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfigText, type Diagnostic } from '../../../src/core/validate';
import { MAX_LIST_ITEMS, MAX_NESTING } from '../../../src/core/limits';

const base = (activations: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'hostile', data: { dataset: 'mnist', trainSize: 600, testSize: 200 }, model: { type: 'mlp', hidden: [32] },
  activations, training: { epochs: 1 }, ...extra,
});

const errorsOf = (ds: Diagnostic[]): Diagnostic[] => ds.filter((d) => d.severity === 'error');

test('a sweep object inside a schedule field is an error at that field, not a TypeError', () => {
  const text = JSON.stringify(base([{ id: 'n', type: 'nrelu', sigma: { schedule: 'cosine', start: { sweep: [0.1, 0.2] }, end: 0 } }]), null, 2);
  const r = validateConfigText(text);
  const errors = errorsOf(r.diagnostics);
  assert.ok(errors.length >= 1, 'rejected');
  assert.ok(errors.some((d) => d.path.join('.') === 'activations.0.sigma.start'), JSON.stringify(errors.map((d) => d.path)));
  // The end too, and a schedule swept inside a schedule.
  for (const sigma of [
    { schedule: 'linear', start: 0.2, end: { sweep: [0, 0.1] } },
    { sweep: [{ schedule: 'cosine', start: { sweep: [0.1] }, end: { schedule: 'linear', start: 1, end: 0 } }] },
  ]) {
    const d = validateConfigText(JSON.stringify(base([{ id: 'n', type: 'nrelu', sigma }])));
    assert.ok(errorsOf(d.diagnostics).length >= 1, JSON.stringify(sigma));
  }
});

test(`nesting deeper than ${MAX_NESTING} levels is one located error (5,000 levels used to overflow the stack)`, () => {
  for (const depth of [MAX_NESTING + 1, 5_000, 100_000]) {
    const text = `{"name": "deep", "description": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const r = validateConfigText(text);
    assert.equal(r.diagnostics.length, 1);
    const [d] = r.diagnostics;
    assert.equal(d!.code, 'too-deep');
    assert.equal(d!.severity, 'error');
    // Located on the bracket that goes one level too deep ("{" is level 1).
    assert.equal(d!.range.offset, text.indexOf('[') + MAX_NESTING - 1);
    assert.equal(r.config, undefined);
  }
  // Objects count as levels too, and unbalanced text is still scanned without recursion.
  const objects = validateConfigText(`${'{"a":'.repeat(10_000)}1`);
  assert.equal(objects.diagnostics[0]!.code, 'too-deep');
});

test('nesting within the limit is validated as usual', () => {
  const text = `{"name": "ok", "description": ${'['.repeat(MAX_NESTING - 1)}${']'.repeat(MAX_NESTING - 1)}}`;
  const r = validateConfigText(text);
  assert.ok(!r.diagnostics.some((d) => d.code === 'too-deep'));
  assert.ok(r.diagnostics.some((d) => d.code === 'wrong-type' && d.path.join('.') === 'description'));
});

test(`a list over ${MAX_LIST_ITEMS} items is refused before the schema compares its items pairwise`, () => {
  const values = Array.from({ length: 1_000_000 }, (_, i) => ({ schedule: 'constant', start: i }));
  const text = JSON.stringify(base([{ id: 'n', type: 'nrelu', sigma: { sweep: values } }]));
  const t0 = performance.now();
  const r = validateConfigText(text);
  const ms = performance.now() - t0;
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0]!.code, 'list-too-long');
  assert.deepEqual(r.diagnostics[0]!.path, ['activations', 0, 'sigma', 'sweep']);
  assert.equal(r.diagnostics[0]!.range.offset, text.indexOf('"sweep":[') + '"sweep":'.length);
  assert.ok(ms < 20_000, `${ms.toFixed(0)} ms`);
});

const codes = (ds: Diagnostic[]): string[] => ds.map((d) => d.code);
const heapMiB = (): number => process.memoryUsage().heapUsed / 2 ** 20;

test('a 10⁶-job sweep is counted, not expanded, and refused at "activations"', () => {
  const lr = Array.from({ length: 1000 }, (_, i) => 1e-4 * (i + 1));
  const seeds = Array.from({ length: 1000 }, (_, i) => i + 1);
  const text = JSON.stringify(base([{ id: 'relu', type: 'relu' }], { training: { epochs: 1, learningRate: { sweep: lr }, seeds } }), null, 1);
  const before = heapMiB();
  const t0 = performance.now();
  const r = validateConfigText(text);
  const ms = performance.now() - t0;
  const d = r.diagnostics.find((x) => x.code === 'too-many-jobs');
  assert.ok(d, JSON.stringify(codes(r.diagnostics)));
  assert.equal(d!.severity, 'error');
  assert.match(d!.message, /1,000,000 jobs/);
  assert.match(d!.message, /"limits": \{ "jobs": 1000000 \}/);
  assert.equal(text.slice(d!.range.offset, d!.range.offset + d!.range.length), '"activations"');
  assert.equal(r.jobCount, 1_000_000);
  assert.ok(ms < 5_000, `${ms.toFixed(0)} ms`);
  assert.ok(heapMiB() - before < 300, `heap grew ${(heapMiB() - before).toFixed(0)} MiB`);
});

test('a 1,000 × 1,000 × 1,000 rrelu sweep (10⁹ jobs) is refused without allocating them', () => {
  const values = Array.from({ length: 1000 }, (_, i) => i / 4000);
  const lr = Array.from({ length: 1000 }, (_, i) => 1e-4 * (i + 1));
  const text = JSON.stringify(base([{ id: 'r', type: 'rrelu', lower: { sweep: values }, upper: { sweep: values.map((v) => v + 0.5) } }],
    { training: { epochs: 1, learningRate: { sweep: lr } } }));
  const before = heapMiB();
  const t0 = performance.now();
  const r = validateConfigText(text);
  const ms = performance.now() - t0;
  assert.deepEqual(codes(errorsOf(r.diagnostics)), ['too-many-jobs']);
  assert.match(r.diagnostics.find((x) => x.code === 'too-many-jobs')!.message, /1,000,000,000 jobs/);
  assert.ok(ms < 10_000, `${ms.toFixed(0)} ms`);
  assert.ok(heapMiB() - before < 300, `heap grew ${(heapMiB() - before).toFixed(0)} MiB`);
});

test('huge layers are refused where they are written, with the estimate', () => {
  const hidden = validateConfigText(JSON.stringify(base([{ id: 'relu', type: 'relu' }], { model: { type: 'mlp', hidden: [1_000_000] } }), null, 2));
  const p = hidden.diagnostics.find((d) => d.code === 'too-many-parameters');
  assert.ok(p, JSON.stringify(codes(hidden.diagnostics)));
  assert.deepEqual(p!.path, ['model', 'hidden', 0]);
  assert.match(p!.message, /795,000,010 trainable parameters \(785,000,000 in model.hidden\[0\]\)/);
  assert.equal(hidden.config, undefined);
  const conv = validateConfigText(JSON.stringify(base([{ id: 'relu', type: 'relu' }], { model: { type: 'cnn', conv: [1_000_000] } }), null, 2));
  const m = conv.diagnostics.find((d) => d.code === 'too-much-memory');
  assert.ok(m, JSON.stringify(codes(conv.diagnostics)));
  assert.deepEqual(m!.path, ['model', 'conv', 0]);
  assert.match(m!.message, /GiB/);
  // A full batch of the whole training set: the batch size is what to change.
  const full = validateConfigText(JSON.stringify(base([{ id: 'relu', type: 'relu' }], {
    data: { dataset: 'mnist', trainSize: 8000, testSize: 2000 }, model: { type: 'cnn', conv: [256, 256] }, training: { epochs: 1, batchSize: 'full' },
  })));
  assert.deepEqual(full.diagnostics.find((d) => d.code === 'too-much-memory')?.path, ['training', 'batchSize']);
  // A sweep over model.hidden: the largest arm decides (the merge of size sweeps and limits crashed here).
  const swept = validateConfigText(JSON.stringify(base([{ id: 'relu', type: 'relu' }], { model: { type: 'mlp', hidden: { sweep: [[16], [1_000_000]] } } }), null, 2));
  assert.match(swept.diagnostics.find((d) => d.code === 'too-many-parameters')?.message ?? JSON.stringify(codes(swept.diagnostics)), /795,000,010 trainable parameters/);
});

test('teacher n, d or width of 10⁹ is refused by validation', () => {
  for (const key of ['n', 'd', 'width'] as const) {
    const data = { dataset: 'teacher', n: 500, d: 20, width: 100, [key]: 1e9 };
    const text = JSON.stringify(base([{ id: 'relu', type: 'relu' }], { data, training: { epochs: 1, loss: 'mse' } }), null, 2);
    const r = validateConfigText(text);
    assert.equal(r.config, undefined, key);
    const e = errorsOf(r.diagnostics).filter((d) => d.code === 'too-much-memory' || d.code === 'too-many-parameters' || d.code === 'dataset-too-small');
    assert.ok(e.length, `${key}: ${JSON.stringify(codes(r.diagnostics))}`);
    assert.ok(e.some((d) => d.path.join('.') === `data.${key}` || d.path[0] === 'model'), `${key}: ${JSON.stringify(e.map((d) => d.path))}`);
  }
});

test('"limits" raises the limits; the run time past limits.hours is a warning', () => {
  const big = base([{ id: 'relu', type: 'relu' }], { model: { type: 'mlp', hidden: [200_000] } });
  assert.equal(validateConfigText(JSON.stringify(big)).config, undefined);
  const raised = validateConfigText(JSON.stringify({ ...big, limits: { parameters: 1e9, memoryMiB: 100_000 } }));
  assert.ok(raised.config, JSON.stringify(errorsOf(raised.diagnostics).map((d) => d.message)));
  const long = validateConfigText(JSON.stringify(base([{ id: 'relu', type: 'relu' }], { training: { epochs: 10_000_000 } })));
  assert.ok(long.config);
  assert.ok(long.diagnostics.some((d) => d.code === 'long-run' && d.severity === 'warning'), JSON.stringify(codes(long.diagnostics)));
  const quiet = validateConfigText(JSON.stringify(base([{ id: 'relu', type: 'relu' }], { training: { epochs: 10_000_000 }, limits: { hours: 10_000 } })));
  assert.ok(!quiet.diagnostics.some((d) => d.code === 'long-run'));
  const unknown = validateConfigText(JSON.stringify({ ...big, limits: { memory: 1 } }));
  assert.ok(unknown.diagnostics.some((d) => d.code === 'unknown-key' && d.message.includes('memoryMiB')));
});
