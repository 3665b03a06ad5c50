import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeEvent, type ActlabEvent } from '../../../src/core/protocol';
import { compareSource, folderSource, managerSource, previewSource } from '../../../src/extension/panelSources';
import { panelKey, panelTitle, parsePanelTarget } from '../../../src/extension/webviewMessages';
import { RunManager } from '../../../src/extension/runManager';
import { jobEventsFile } from '../../../src/runner/jobFiles';
import { planRun } from '../../../src/runner/plan';
import type { RunHandle, RunOptions } from '../../../src/runner/scheduler';
import { config, events } from './fixtures';

test('folderSource follows a run folder another process is writing, and stops at runEnd', async () => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'actlab-src-'));
  try {
    fs.writeFileSync(path.join(runDir, 'config.json'), JSON.stringify(config));
    fs.writeFileSync(path.join(runDir, 'run.json'), JSON.stringify({
      v: 1, runId: 'r1', name: 'tiny', pid: process.pid, hostname: os.hostname(), status: 'running', started: new Date().toISOString(),
    }));
    const file = path.join(runDir, 'events.jsonl');
    fs.writeFileSync(file, `${encodeEvent(events[0])}\n`);
    const src = folderSource(runDir, 10);
    assert.equal(src.runId, 'r1');
    assert.equal(src.live(), true);
    assert.equal(src.snapshot().length, 1);
    const got: ActlabEvent[] = [];
    const stop = src.follow((e) => got.push(...e));
    fs.appendFileSync(file, `${encodeEvent(events[1])}\n${encodeEvent(events[2])}\n`);
    await sleep(60);
    assert.deepEqual(got.map((e) => e.type), ['jobStart', 'jobStart']);
    assert.equal(src.snapshot().length, 3, 'the snapshot includes what was followed');
    fs.appendFileSync(file, `${events.slice(3).map(encodeEvent).join('\n')}\n`);
    await sleep(60);
    assert.equal(got.length, events.length - 1);
    assert.equal(src.live(), false, 'runEnd ends the following');
    stop();
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
});

test('folderSource of a finished run is not live and follows nothing', () => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'actlab-src-'));
  try {
    fs.writeFileSync(path.join(runDir, 'config.json'), JSON.stringify(config));
    fs.writeFileSync(path.join(runDir, 'events.jsonl'), `${events.map(encodeEvent).join('\n')}\n`);
    const src = folderSource(runDir);
    assert.equal(src.live(), false);
    assert.equal(src.snapshot().length, events.length);
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
});

test('managerSource forwards only its own run\'s events; previewSource has none', () => {
  const emits: ((e: ActlabEvent) => void)[] = [];
  let n = 0;
  const startRun = (o: RunOptions): RunHandle => {
    const id = `r${++n}`;
    emits.push((e) => o.onEvent?.(e));
    return { runId: id, runDir: `/runs/${id}`, done: new Promise(() => undefined), cancel: () => undefined, activePids: () => [] };
  };
  const m = new RunManager({ startRun, trainerPath: 't' });
  const a = m.start({ resolved: config, configPath: '/a', outDir: '/runs', parallel: 1 });
  m.start({ resolved: config, configPath: '/b', outDir: '/runs', parallel: 1 });
  const src = managerSource(a, m);
  const got: ActlabEvent[] = [];
  src.follow((e) => got.push(...e));
  emits[1](events[1]);
  emits[0](events[2]);
  assert.deepEqual(got, [events[2]]);
  assert.equal(src.live(), true);
  assert.deepEqual(src.snapshot(), [events[2]]);
  const p = previewSource(config);
  assert.deepEqual([p.snapshot(), p.live(), p.runId], [[], false, 'preview']);
});

test('folderSource opens a planned cluster run live and follows its job files as tasks write them', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'actlab-src-cluster-'));
  try {
    const { runDir } = planRun({ resolved: config, outDir: out });
    const src = folderSource(runDir, 10);
    assert.equal(src.live(), true);
    assert.deepEqual(src.snapshot().map((e) => e.type), ['runStart']);
    const got: ActlabEvent[] = [];
    const stop = src.follow((e) => got.push(...e));
    const job0 = events.filter((e) => 'jobId' in e && e.jobId === config.jobs[0]!.jobId);
    fs.mkdirSync(path.dirname(jobEventsFile(runDir, 0)), { recursive: true });
    fs.writeFileSync(jobEventsFile(runDir, 0), `${job0.map(encodeEvent).join('\n')}\n`);
    await sleep(80);
    assert.deepEqual(got.map((e) => e.type), job0.map((e) => e.type), 'a task\'s events reach the panel as its file grows');
    stop();
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('compareSource: two recorded run folders as one panel run (prefixed arms, never live); its target survives a reload', () => {
  const fx = path.join(__dirname, '..', '..', 'fixtures', 'webview');
  const dirs = [path.join(fx, 'recorded'), path.join(fx, 'sweep')];
  const read = dirs.map((d) => JSON.parse(fs.readFileSync(path.join(d, 'config.json'), 'utf8')) as { arms: unknown[] });
  const src = compareSource(dirs);
  assert.equal(src.config.arms.length, read[0]!.arms.length + read[1]!.arms.length);
  assert.match(src.runId, /^compare:/);
  assert.match(src.config.name, /^Compare: /);
  assert.equal(src.live(), false);
  assert.equal(src.runDir, undefined, 'no single run folder');
  assert.equal(src.folder, fx, 'files saved from it go beside the runs');
  assert.ok(src.snapshot().some((e) => e.type === 'runStart' && e.runId === src.runId));
  const target = { kind: 'compare' as const, runDirs: dirs };
  assert.deepEqual(parsePanelTarget({ target }), target);
  assert.equal(parsePanelTarget({ target: { kind: 'compare', runDirs: [dirs[0]] } }), undefined, 'one run is not a comparison');
  assert.equal(parsePanelTarget({ target: { kind: 'compare', runDirs: [dirs[0], 3] } }), undefined);
  assert.notEqual(panelKey(target), panelKey({ kind: 'compare', runDirs: [...dirs].reverse() }));
  assert.equal(panelTitle(target, src.config.name, src.runId), src.config.name);
});
