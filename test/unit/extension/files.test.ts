import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exportPaths, writeExport } from '../../../src/extension/exportRun';
import { presetText, uniqueConfigName } from '../../../src/extension/presetModel';
import { panelTitle } from '../../../src/extension/webviewMessages';
import { config, events } from './fixtures';

test('presetText drops a relative $schema and keeps comments, other keys and absolute schema URLs', () => {
  const text = '// a comment\n{\n  "$schema": "../schemas/actlab.schema.json",\n  "name": "x"\n}\n';
  const out = presetText(text);
  assert.doesNotMatch(out, /\$schema/);
  assert.match(out, /^\/\/ a comment/);
  assert.match(out, /"name": "x"/);
  const abs = '{ "$schema": "https://example.org/actlab.schema.json", "name": "x" }';
  assert.equal(presetText(abs), abs);
  assert.equal(presetText('{ "name": "x" }'), '{ "name": "x" }');
});

test('uniqueConfigName counts up past existing files', () => {
  const taken = new Set(['a.actlab.json', 'a-2.actlab.json']);
  assert.equal(uniqueConfigName('a.actlab.json', (n) => taken.has(n)), 'a-3.actlab.json');
  assert.equal(uniqueConfigName('b.actlab.json', (n) => taken.has(n)), 'b.actlab.json');
});

test('panelTitle: run name with its start time; previews say so', () => {
  assert.equal(panelTitle({ kind: 'run', runDir: '/r' }, 'tiny', '2026-11-22T06-30-01-tiny'), 'Results: tiny (06:30:01)');
  assert.equal(panelTitle({ kind: 'run', runDir: '/r' }, 'tiny', 'custom'), 'Results: tiny (custom)');
  assert.equal(panelTitle({ kind: 'preview', configPath: '/a' }, 'tiny', 'preview'), 'Preview: tiny');
});

test('writeExport writes both CSVs and copies summary.json, or computes it when the run has none', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actlab-export-'));
  try {
    const runDir = path.join(dir, 'run');
    fs.mkdirSync(runDir);
    const files = writeExport(runDir, config, events, path.join(dir, 'out', 'r.csv'));
    assert.deepEqual(files, exportPaths(path.join(dir, 'out', 'r.csv')));
    assert.equal(path.basename(files.steps), 'r.steps.csv');
    assert.equal(fs.readFileSync(files.csv, 'utf8').trim().split('\n').length, 5);
    const computed = JSON.parse(fs.readFileSync(files.summary, 'utf8')) as { v: number; arms: unknown[] };
    assert.equal(computed.v, 1);
    fs.writeFileSync(path.join(runDir, 'summary.json'), '{"copied":true}\n');
    const again = writeExport(runDir, config, events, path.join(dir, 'out', 'r2.csv'));
    assert.equal(fs.readFileSync(again.summary, 'utf8'), '{"copied":true}\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
