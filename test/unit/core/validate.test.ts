/**
 * The validator against a corpus of broken configs. Each `invalid/<name>.actlab.json` has a
 * sibling `<name>.expected.json` listing every problem: code, severity, 1-based line and
 * character of the range start, the exact text the range covers, a message substring, and
 * (optionally) the title of a quick fix that must make the problem go away.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyTextEdits } from '../../../src/core/diagnostics';
import { formatDiagnostic, validateConfigText, type Diagnostic } from '../../../src/core/validate';

const here = dirname(fileURLToPath(import.meta.url));
const invalidDir = join(here, '..', '..', 'fixtures', 'configs', 'invalid');

interface Expected {
  code: string;
  severity: string;
  line: number;
  character: number;
  text: string;
  message: string;
  fix?: string;
}

const options = { baseDir: invalidDir, fileExists: existsSync };

function samePath(a: (string | number)[], b: (string | number)[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const files = readdirSync(invalidDir).filter((f) => f.endsWith('.actlab.json')).sort();

test('the corpus is complete: every broken config has expectations', () => {
  assert.ok(files.length >= 20);
  for (const f of files) assert.ok(existsSync(join(invalidDir, f.replace('.actlab.json', '.expected.json'))), f);
});

for (const file of files) {
  test(`invalid/${file}`, () => {
    const text = readFileSync(join(invalidDir, file), 'utf8');
    const expected = (JSON.parse(readFileSync(join(invalidDir, file.replace('.actlab.json', '.expected.json')), 'utf8')) as { problems: Expected[] }).problems;
    const result = validateConfigText(text, options);
    const actual = result.diagnostics.filter((d) => d.code !== 'job-count');
    const unmatched = [...actual];
    for (const e of expected) {
      const i = unmatched.findIndex((d) => d.code === e.code && d.range.start.line + 1 === e.line && d.range.start.character + 1 === e.character);
      assert.ok(i >= 0, `${file}: expected ${e.code} at ${e.line}:${e.character}; got\n${actual.map((d) => formatDiagnostic(file, d)).join('\n')}`);
      const d = unmatched.splice(i, 1)[0];
      assert.equal(d.severity, e.severity, `${file} ${e.code} severity`);
      assert.equal(text.slice(d.range.offset, d.range.offset + d.range.length), e.text, `${file} ${e.code} range text`);
      assert.ok(d.message.includes(e.message), `${file} ${e.code}: message\n  ${d.message}\nlacks\n  ${e.message}`);
      // Range positions agree with offsets.
      const lines = text.split(/\r?\n/);
      const offsetOfStart = lines.slice(0, d.range.start.line).reduce((n, l) => n + l.length + 1, 0) + d.range.start.character;
      assert.equal(offsetOfStart, d.range.offset);
      if (e.fix) checkFix(file, text, d, e.fix);
    }
    assert.deepEqual(unmatched.map((d) => formatDiagnostic(file, d)), [], `${file}: unexpected diagnostics`);
    const hasError = actual.some((d) => d.severity === 'error');
    assert.equal(result.config === undefined, hasError, 'config is present iff there are no errors');
  });
}

function checkFix(file: string, text: string, d: Diagnostic, title: string): void {
  const fix = d.fixes?.find((f) => f.title === title);
  assert.ok(fix, `${file}: no fix "${title}" on ${d.code}`);
  assert.ok(fix.edits.length > 0);
  const fixed = applyTextEdits(text, fix.edits);
  const again = validateConfigText(fixed, options);
  assert.ok(!again.diagnostics.some((x) => x.code === 'syntax-error'), `${file}: "${title}" broke the syntax:\n${fixed}`);
  const still = again.diagnostics.filter((x) => x.code === d.code && samePath(x.path, d.path));
  assert.deepEqual(still.map((x) => x.message), [], `${file}: "${title}" did not remove the problem:\n${fixed}`);
}

const valid = (activations: string, extra = '') => `{
  "name": "t",
  "data": { "dataset": "mnist", "trainSize": 100, "testSize": 50 },
  "model": { "type": "mlp", "hidden": [8] },
  "activations": ${activations},
  "training": { "epochs": 1${extra} }
}`;

test('a valid config has no errors, returns the config and one job-count info on "activations"', () => {
  const r = validateConfigText(valid('[{ "id": "relu", "type": "relu" }, { "id": "n", "type": "nrelu", "sigma": { "sweep": [0.05, 0.1] } }]', ', "seeds": [1, 2]'));
  assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.code]), [['info', 'job-count']]);
  assert.equal(r.jobCount, 6);
  assert.match(r.diagnostics[0].message, /3 arms × 2 seeds = 6 jobs \(estimated ~\d+ s/);
  assert.equal(r.diagnostics[0].range.start.line, 4);
  assert.equal(r.config?.activations.length, 2);
});

test('comments and trailing commas are allowed', () => {
  const r = validateConfigText('// top\n{ /* c */ "name": "t", "data": { "dataset": "mnist", }, "model": { "type": "mlp" }, "activations": [{ "id": "r", "type": "relu" },], "training": { "epochs": 1 }, }');
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.ok(r.config);
});

test('an empty file is a syntax error at 0:0', () => {
  const r = validateConfigText('');
  assert.equal(r.diagnostics[0].code, 'syntax-error');
  assert.deepEqual(r.diagnostics[0].range.start, { line: 0, character: 0 });
  assert.equal(r.config, undefined);
});

test('a CRLF file reports the same lines as LF', () => {
  const text = valid('[{ "id": "a", "type": "leaky_relu" }]');
  const lf = validateConfigText(text).diagnostics[0];
  const crlf = validateConfigText(text.replace(/\n/g, '\r\n')).diagnostics[0];
  assert.deepEqual(crlf.range.start, lf.range.start);
  assert.equal(crlf.code, 'unknown-activation');
});

test('idx: an existing folder passes; without fileExists the check is skipped', () => {
  const text = (p: string) => `{ "name": "t", "data": { "dataset": "idx", "path": "${p}" }, "model": { "type": "mlp" }, "activations": [{ "id": "r", "type": "relu" }], "training": { "epochs": 1 } }`;
  assert.ok(validateConfigText(text('../idx-data'), options).config);
  assert.ok(validateConfigText(text('./no-such-folder'), { baseDir: invalidDir }).config);
  assert.equal(validateConfigText(text('./no-such-folder'), options).diagnostics[0].code, 'path-not-found');
});

test('"path" belongs to idx and cifar10, and says so on another dataset', () => {
  const text = (dataset: string) => `{ "name": "t", "data": { "dataset": "${dataset}", "path": "x" }, "model": { "type": "mlp" }, "activations": [{ "id": "r", "type": "relu" }], "training": { "epochs": 1 } }`;
  const d = validateConfigText(text('mnist')).diagnostics.find((x) => x.code === 'key-not-for-dataset');
  assert.equal(d?.message, '"path" applies to dataset "idx" or "cifar10" only, not "mnist". Remove it or change the dataset.');
  for (const ok of ['idx', 'cifar10']) assert.ok(validateConfigText(text(ok)).config, ok);
});

test('cnn-too-deep: judged on the images core knows (mnist 4 blocks, cifar10 5), not on idx files of unknown size', () => {
  const text = (dataset: string, blocks: number) => `{ "name": "t", "data": { "dataset": "${dataset}", "path": "x" }, "model": { "type": "cnn", "conv": [${Array(blocks).fill(2).join(', ')}] }, "activations": [{ "id": "r", "type": "relu" }], "training": { "epochs": 1 } }`.replace(dataset === 'mnist' ? ', "path": "x"' : '', '');
  const deep = (dataset: string, blocks: number) => validateConfigText(text(dataset, blocks)).diagnostics.some((d) => d.code === 'cnn-too-deep');
  assert.deepEqual([deep('mnist', 4), deep('mnist', 5), deep('cifar10', 5), deep('cifar10', 6), deep('idx', 9)], [false, true, false, true, false]);
});

test('the missing-id fix inserts a unique id as the first key, keeping the layout', () => {
  const text = valid(`[
    { "id": "gelu", "type": "gelu" },
    {
      "type": "gelu"
    }
  ]`);
  const d = validateConfigText(text).diagnostics.find((x) => x.code === 'missing-id');
  assert.ok(d?.fixes);
  const fixed = applyTextEdits(text, d.fixes[0].edits);
  assert.match(fixed, /\{\n {6}"id": "gelu-2",\n {6}"type": "gelu"\n {4}\}/);
  assert.ok(validateConfigText(fixed).config);
});

test('formatDiagnostic: file:line:col (1-based): severity: message [code]', () => {
  const d = validateConfigText(valid('[{ "id": "a", "type": "nrelu2" }]')).diagnostics[0];
  assert.equal(formatDiagnostic('x.actlab.json', d), `x.actlab.json:5:40: error: ${d.message} [unknown-activation]`);
});

test('one mistake gives one message (no if/then or union noise)', () => {
  const r = validateConfigText(valid('[{ "id": "n", "type": "nrelu", "sigma": { "sweep": [0.05, { "schedule": "cosine", "start": "x", "end": 0 }] } }]'));
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 1, errors.map((d) => d.message).join('\n'));
  assert.equal(errors[0].code, 'wrong-type');
  assert.deepEqual(errors[0].path, ['activations', 0, 'sigma', 'sweep', 1, 'start']);
});
