/** An expression error is located at its character in `actlab validate` and stops `actlab run` (exit 2, nothing written). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });

test('actlab validate prints file:line:col at the exact character; actlab run exits 2 and writes nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'actlab-expr-'));
  const file = join(dir, 'bad.actlab.json');
  const lines = [
    '{ "name": "t", "data": { "dataset": "mnist", "trainSize": 100, "testSize": 50 }, "model": { "type": "mlp", "hidden": [8] },',
    '  "activations": [',
    '    { "id": "swish", "type": "expr", "expr": "\\u0078 * sigmod(beta * x)", "params": { "beta": 1.5 } }',
    '  ], "training": { "epochs": 1 } }',
  ];
  writeFileSync(file, lines.join('\n'));
  const col = lines[2]!.indexOf('sigmod') + 1;
  const v = cli('validate', file);
  assert.match(v.stdout + v.stderr, new RegExp(`bad\\.actlab\\.json:3:${col}: error: unknown function "sigmod": did you mean "sigmoid"\\?`));
  assert.notEqual(v.status, 0);
  const out = join(dir, 'out');
  const r = cli('run', file, '--out', out, '--quiet');
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.equal(existsSync(out), false, 'nothing written');
});
