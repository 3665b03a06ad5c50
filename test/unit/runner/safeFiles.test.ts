// Hostile run folders: symlinks where files belong, FIFOs, huge lines, a reused pid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ActlabEvent } from '../../../src/core/protocol';
import { encodeEvent } from '../../../src/core/protocol';
import { MAX_LINE_WARNINGS, parseEventsText, readEventsFile } from '../../../src/runner/eventsFile';
import { endInterrupted, writeReportFile } from '../../../src/runner/reportFile';
import { RunStore } from '../../../src/runner/runStore';
import { listRuns, readRun, writerAlive } from '../../../src/runner/runs';
import { processStartTime, StorageError, writeFileAtomic } from '../../../src/runner/safeFile';
import { fakeConfig, fakeJob, tempDir } from './fixtures';

const config = fakeConfig('Safe', [fakeJob('relu', 0, {})]);
const step = (i: number): ActlabEvent => ({ type: 'step', v: 1, t: i, jobId: 'relu#0', epoch: 1, step: i, loss: 0.5 });
const noTmp = (dir: string): string[] => fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'));

test('writeFileAtomic refuses a symlink (the target is untouched) and leaves no temporary file', () => {
  const dir = tempDir();
  const outside = path.join(tempDir(), 'precious.txt');
  fs.writeFileSync(outside, 'keep me');
  const link = path.join(dir, 'summary.json');
  fs.symlinkSync(outside, link);
  assert.throws(() => writeFileAtomic(link, 'overwritten'), (e: unknown) => e instanceof StorageError && /symbolic link; refusing/.test(e.message));
  assert.equal(fs.readFileSync(outside, 'utf8'), 'keep me');
  assert.ok(fs.lstatSync(link).isSymbolicLink());
  // A dangling link is refused too (it would create the file outside).
  const dangling = path.join(dir, 'run.json');
  fs.symlinkSync(path.join(tempDir(), 'nothing-yet'), dangling);
  assert.throws(() => writeFileAtomic(dangling, 'x'), /symbolic link/);
  fs.mkdirSync(path.join(dir, 'report.html'));
  assert.throws(() => writeFileAtomic(path.join(dir, 'report.html'), 'x'), /not a regular file/);
  assert.deepEqual(noTmp(dir), []);
  writeFileAtomic(path.join(dir, 'plain.json'), '{}');
  assert.equal(fs.readFileSync(path.join(dir, 'plain.json'), 'utf8'), '{}');
});

test('writeReportFile refuses a symlinked report.html; the file it points to is unchanged', () => {
  const store = RunStore.create(tempDir(), config);
  store.append(step(1));
  store.finish('completed');
  const outside = path.join(tempDir(), 'victim.html');
  fs.writeFileSync(outside, 'original');
  fs.symlinkSync(outside, path.join(store.runDir, 'report.html'));
  assert.throws(() => writeReportFile(store.runDir, () => '<html>'), /symbolic link/);
  assert.equal(fs.readFileSync(outside, 'utf8'), 'original');
  assert.deepEqual(noTmp(store.runDir), []);
});

test('readEventsFile: a symlink or a FIFO is refused (no hang); missing is undefined', () => {
  const dir = tempDir();
  assert.equal(readEventsFile(path.join(dir, 'events.jsonl'), []), undefined);
  fs.symlinkSync('/dev/zero', path.join(dir, 'events.jsonl'));
  assert.throws(() => readEventsFile(path.join(dir, 'events.jsonl'), []), /symbolic link/);
  const fifo = path.join(dir, 'fifo.jsonl');
  execFileSync('mkfifo', [fifo]);
  try {
    assert.throws(() => readEventsFile(fifo, []), /not a regular file/);
  } finally {
    fs.unlinkSync(fifo);
  }
});

test('readEventsFile streams: lines across chunk boundaries, an over-long line skipped, warnings capped', () => {
  const dir = tempDir();
  const file = path.join(dir, 'events.jsonl');
  const lines: string[] = [];
  // ~3 MiB of events with multi-byte text, so chunks split lines and characters.
  for (let i = 0; i < 12_000; i++) lines.push(encodeEvent({ type: 'log', v: 1, t: i, level: 'info', message: `é ${'x'.repeat(i % 400)} ✓` }));
  for (let i = 0; i < MAX_LINE_WARNINGS + 5; i++) lines.push('{"not":"an event"}');
  fs.writeFileSync(file, `${lines.join('\n')}\n${encodeEvent(step(1))}\n`);
  const warnings: string[] = [];
  const events = readEventsFile(file, warnings) ?? [];
  assert.equal(events.length, 12_001);
  assert.ok(events.every((e, i) => i === 12_000 || (e.type === 'log' && e.message.startsWith('é ') && e.message.endsWith(' ✓'))));
  assert.equal(warnings.length, MAX_LINE_WARNINGS + 1);
  assert.match(warnings[0], /^events\.jsonl:12001: skipped/);
  assert.match(warnings.at(-1) ?? '', /5 more lines skipped/);
  // The same rules for text as for the file.
  assert.equal(parseEventsText(fs.readFileSync(file, 'utf8'), []).length, 12_001);
});

test('readRun: an unreadable events.jsonl throws instead of reading as "missing"', () => {
  const store = RunStore.create(tempDir(), config);
  store.finish('completed');
  fs.rmSync(path.join(store.runDir, 'events.jsonl'));
  assert.deepEqual(readRun(store.runDir).warnings, ['events.jsonl missing']);
  fs.mkdirSync(path.join(store.runDir, 'events.jsonl'));
  assert.throws(() => readRun(store.runDir), /not a regular file/);
});

test('run.json records the writer\'s start time; a live pid with another start time is not the writer', () => {
  const out = tempDir();
  const store = RunStore.create(out, config, 'reused');
  const lockFile = path.join(store.runDir, 'run.json');
  const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as { pid: number; pidStart?: string };
  const mine = processStartTime(process.pid);
  if (process.platform === 'linux') assert.ok(mine && /^\d+$/.test(mine));
  assert.equal(lock.pidStart, mine);
  assert.equal(writerAlive(lock), true);
  assert.equal(listRuns(out)[0].status, 'running');
  // The same pid (alive: this process) but another start time: a reused pid, so interrupted.
  fs.writeFileSync(lockFile, JSON.stringify({ ...lock, pidStart: '1' }));
  assert.equal(writerAlive({ pid: process.pid, pidStart: '1' }), process.platform !== 'linux');
  if (process.platform === 'linux') assert.equal(listRuns(out)[0].status, 'interrupted');
});

test('an interrupted run\'s report ends it failed, with the reason, not "running" forever', () => {
  const out = tempDir();
  const store = RunStore.create(out, config, 'cut');
  const events: ActlabEvent[] = [
    { type: 'runStart', v: 1, t: 1000, runId: 'cut', name: 'Safe', jobIds: ['relu#0'], parallel: 1 },
    { type: 'jobStart', v: 1, t: 1001, jobId: 'relu#0', backend: { name: 'cpu', notes: [] }, parameters: 1, stepsPerEpoch: 1, epochs: 2, trainSize: 1, testSize: 1 },
    step(3),
  ];
  for (const e of events) store.append(e);
  assert.equal(endInterrupted(store.runDir, events), events, 'a live run is left as it is');
  const lockFile = path.join(store.runDir, 'run.json');
  fs.writeFileSync(lockFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(lockFile, 'utf8')), pidStart: '1' }));
  if (process.platform !== 'linux') return;
  const ended = endInterrupted(store.runDir, readRun(store.runDir).events);
  const end = ended.at(-1);
  assert.ok(end?.type === 'runEnd' && end.status === 'failed');
  const jobEnd = ended.find((e) => e.type === 'jobEnd');
  assert.ok(jobEnd?.type === 'jobEnd' && jobEnd.status === 'failed' && /interrupted/.test(jobEnd.message ?? ''));
  assert.equal(readRun(store.runDir).events.length, 3, 'events.jsonl is not touched');
});
