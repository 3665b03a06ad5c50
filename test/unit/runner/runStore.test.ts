import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ActlabEvent } from '../../../src/core/protocol';
import { summarize } from '../../../src/core/summary';
import { makeRunId, RunStore, slugify } from '../../../src/runner/runStore';
import { listRuns, readRun } from '../../../src/runner/runs';
import { fakeConfig, fakeJob, tempDir } from './fixtures';

const config = fakeConfig('Store Test', [fakeJob('relu', 0, {})]);
const ev = (i: number): ActlabEvent => ({ type: 'step', v: 1, t: i, jobId: 'relu#0', epoch: 1, step: i, loss: i === 2 ? Number.NaN : 1 / (i + 1) });

test('run ids: sortable timestamp + slug', () => {
  assert.equal(makeRunId('Quick start: MNIST!', new Date('2026-11-22T06:30:01.123Z')), '2026-11-22T06-30-01-quick-start-mnist');
  assert.equal(slugify('   '), 'run');
});

test('config.json first, events appended immediately, run.json tracks status', () => {
  const out = tempDir();
  const store = RunStore.create(out, config);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(store.runDir, 'config.json'), 'utf8')), config);
  const lock = (): { status: string; pid: number } => JSON.parse(fs.readFileSync(path.join(store.runDir, 'run.json'), 'utf8')) as { status: string; pid: number };
  assert.equal(lock().status, 'running');
  assert.equal(lock().pid, process.pid);
  for (let i = 0; i < 3; i++) {
    store.append(ev(i));
    // Visible on disk right away: nothing buffered in this process.
    assert.equal(fs.readFileSync(path.join(store.runDir, 'events.jsonl'), 'utf8').trimEnd().split('\n').length, i + 1);
  }
  const rec = readRun(store.runDir);
  assert.equal(rec.events.length, 3);
  // A non-finite loss is stored as null and read back as NaN.
  const third = rec.events[2];
  assert.ok(third.type === 'step' && Number.isNaN(third.loss));
  store.finish('completed');
  assert.equal(lock().status, 'completed');
  store.append(ev(9)); // after finish: ignored, not a crash
  assert.equal(readRun(store.runDir).events.length, 3);
});

test('summary.json is replaced atomically: no temp files left, always parseable', () => {
  const store = RunStore.create(tempDir(), config);
  for (let i = 0; i < 20; i++) {
    store.writeSummary(summarize(config, [ev(i)], store.runId));
    JSON.parse(fs.readFileSync(path.join(store.runDir, 'summary.json'), 'utf8'));
  }
  // .reserve: space held while the run is live, for recording its end on a full disk.
  assert.deepEqual(fs.readdirSync(store.runDir).sort(), ['.reserve', 'config.json', 'events.jsonl', 'run.json', 'summary.json']);
  store.finish('completed');
  assert.deepEqual(fs.readdirSync(store.runDir).sort(), ['config.json', 'events.jsonl', 'run.json', 'summary.json']);
});

test('readRun tolerates a truncated last line and skips invalid lines with warnings', () => {
  const store = RunStore.create(tempDir(), config);
  store.append(ev(0));
  const file = path.join(store.runDir, 'events.jsonl');
  fs.appendFileSync(file, '{"not":"an event"}\n');
  store.append(ev(1));
  fs.appendFileSync(file, '{"type":"step","v":1,"t":5,"jobId":"re'); // the writer died mid-line
  const rec = readRun(store.runDir);
  assert.deepEqual(rec.events.map((e) => (e.type === 'step' ? e.step : -1)), [0, 1]);
  assert.equal(rec.warnings.length, 2);
  assert.match(rec.warnings[0], /events\.jsonl:2: skipped/);
  assert.match(rec.warnings[1], /events\.jsonl:4: truncated last line/);
});

test('listRuns: completed, running (writer alive) and interrupted (writer gone)', () => {
  const out = tempDir();
  const done = RunStore.create(out, config, 'a-done');
  done.writeSummary(summarize(config, [
    { type: 'jobStart', v: 1, t: 0, jobId: 'relu#0', backend: { name: 'cpu', notes: [] }, parameters: 1, stepsPerEpoch: 1, epochs: 1, trainSize: 1, testSize: 1 },
    { type: 'epoch', v: 1, t: 0, jobId: 'relu#0', epoch: 1, step: 1, trainLoss: 1, testLoss: 1, testAccuracy: 0.875, seconds: 1, samplesPerSec: 1 },
    { type: 'jobEnd', v: 1, t: 0, jobId: 'relu#0', status: 'completed', epoch: 1, step: 1, seconds: 1 },
  ], 'a-done'));
  done.finish('completed');
  RunStore.create(out, config, 'b-live');
  const dead = RunStore.create(out, config, 'c-dead');
  // A pid that certainly is gone: a child that has exited.
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const lockFile = path.join(dead.runDir, 'run.json');
  fs.writeFileSync(lockFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(lockFile, 'utf8')), pid: Number(gone.stdout) }));
  fs.mkdirSync(path.join(out, 'not-a-run'));

  const runs = listRuns(out);
  const byId = Object.fromEntries(runs.map((r) => [r.runId, r]));
  assert.deepEqual(Object.keys(byId).sort(), ['a-done', 'b-live', 'c-dead']);
  assert.equal(byId['a-done'].status, 'completed');
  assert.equal(byId['a-done'].jobsDone, 1);
  assert.equal(byId['a-done'].jobsTotal, 1);
  assert.deepEqual(byId['a-done'].best, { armId: 'relu', label: 'RELU', metric: 'testAccuracy', value: 0.875 });
  assert.equal(byId['b-live'].status, 'running');
  assert.equal(byId['c-dead'].status, 'interrupted');
  assert.deepEqual(listRuns(path.join(out, 'missing')), []);
});
