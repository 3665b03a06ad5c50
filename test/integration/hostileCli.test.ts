// Hostile configs through the built CLI (issue 17): located errors and the documented exit
// codes (run: 2 for an invalid config, validate: 1), no stack trace, nothing expanded or written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'actlab.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'actlab-hostile-'));
const env = { ...process.env, XDG_STATE_HOME: path.join(tmp, 'state'), COLUMNS: '80' };

const cli = (...args: string[]) => {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
};
const write = (name: string, text: string): string => {
  const file = path.join(tmp, `${name}.actlab.json`);
  fs.writeFileSync(file, text);
  return file;
};
/** Human output wraps at 80 columns, continuations indented by 4. */
const unwrap = (s: string): string => s.replace(/\n {4}/g, ' ');
const noStack = (s: string): void => assert.doesNotMatch(s, /^\s+at .+:\d+:\d+\)?$/m, s);

test('5,000 levels of nesting: one located error, run exits 2 and validate 1, no stack trace', () => {
  const file = write('deep', `{"name": "deep", "description": ${'['.repeat(5000)}${']'.repeat(5000)}}`);
  const run = cli('run', file, '--out', path.join(tmp, 'runs'));
  assert.equal(run.code, 2, run.stderr);
  assert.match(unwrap(run.stderr), /deep\.actlab\.json:1:\d+: error: Objects and lists are nested more than 64 levels/);
  assert.match(run.stderr, /nothing ran/);
  noStack(run.stderr);
  const v = cli('validate', file);
  assert.equal(v.code, 1, v.stderr);
  assert.match(v.stdout, /\[too-deep\]/);
  noStack(v.stdout + v.stderr);
});

test('a 10⁶-job sweep is refused at once, before any run folder exists', () => {
  const lr = Array.from({ length: 1000 }, (_, i) => 1e-4 * (i + 1));
  const seeds = Array.from({ length: 1000 }, (_, i) => i + 1);
  const file = write('million', JSON.stringify({
    name: 'million', data: { dataset: 'mnist', trainSize: 300, testSize: 100 }, model: { type: 'mlp', hidden: [8] },
    activations: [{ id: 'relu', type: 'relu' }], training: { epochs: 1, learningRate: { sweep: lr }, seeds },
  }, null, 2));
  const out = path.join(tmp, 'million-runs');
  const run = cli('run', file, '--out', out);
  assert.equal(run.code, 2, run.stderr);
  assert.match(unwrap(run.stderr), /error: This file expands to 1,000,000 jobs .+ more than the limit of 10,000/s);
  assert.ok(run.ms < 20_000, `${run.ms} ms`);
  assert.equal(fs.existsSync(out), false, 'no run folder');
  noStack(run.stderr);
});

test('a syntax error and a mistyped value are reported together, the comma where it goes', () => {
  const file = write('two', '{\n  "name": "two"\n  "data": { "dataset": "mnist" },\n  "model": { "type": "mlp" },\n'
    + '  "activations": [{ "id": "r", "type": "rleu" }],\n  "training": { "epochs": 1 }\n}\n');
  const v = cli('validate', file);
  assert.equal(v.code, 1);
  const lines = v.stdout.trim().split('\n');
  assert.match(lines[0]!, /two\.actlab\.json:2:16: error: Syntax error: Expected "," between entries\./);
  assert.match(lines[1]!, /two\.actlab\.json:5:40: error: Unknown activation type "rleu"; did you mean "relu"\?/);
});
