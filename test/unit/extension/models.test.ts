import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { codeLenses } from '../../../src/extension/codeLensModel';
import { ProgressTracker, endMessage, progressMessage, statusBarText } from '../../../src/extension/progress';
import { jobItem, jobRows, relativeTime, runItem } from '../../../src/extension/runsTreeModel';
import { resolveBackend, resolveParallel, resolveRunsFolder } from '../../../src/extension/settings';
import { panelKey, parsePanelTarget, parseWebviewMessage } from '../../../src/extension/webviewMessages';
import { logLine } from '../../../src/extension/logFormat';
import type { RunInfo } from '../../../src/runner/runs';
import { config, events } from './fixtures';

test('codeLenses: run with the job count, errors block running, stop while running', () => {
  assert.deepEqual(codeLenses({ jobCount: 12, errorCount: 0 }).map((l) => [l.title, l.action]), [
    ['$(play) Run 12 jobs', 'run'], ['$(graph-line) Preview activations', 'preview'],
  ]);
  assert.equal(codeLenses({ jobCount: 1, errorCount: 0 })[0].title, '$(play) Run 1 job');
  assert.deepEqual(codeLenses({ errorCount: 2 }).map((l) => [l.title, l.action]), [['$(error) 2 errors: fix to run', 'showProblems']]);
  assert.deepEqual(codeLenses({ jobCount: 4, errorCount: 0, running: { jobsDone: 1, jobsTotal: 4 } }).map((l) => [l.title, l.action]), [
    ['$(debug-stop) Stop', 'stop'], ['$(sync~spin) 1/4 jobs done', 'openResults'],
  ]);
});

test('ProgressTracker: epochs and ended jobs drive the fraction; an early end counts as done', () => {
  const p = new ProgressTracker('r1', 'tiny', config.jobs.map((j) => ({ jobId: j.jobId, epochs: j.training.epochs })));
  assert.equal(p.snapshot().fraction, 0);
  for (const e of events.slice(0, 8)) p.apply(e); // up to job 1's first epoch
  let s = p.snapshot();
  assert.equal(s.jobsRunning, 2);
  assert.equal(s.fraction, 1 / 4);
  for (const e of events.slice(8, 11)) p.apply(e); // job 2 diverges at epoch 1 of 2
  s = p.snapshot();
  assert.equal(s.jobsDone, 1);
  assert.equal(s.diverged, 1);
  assert.equal(s.fraction, 3 / 4);
  for (const e of events.slice(11)) p.apply(e);
  s = p.snapshot();
  assert.equal(s.fraction, 1);
  assert.equal(s.status, 'completed');
  assert.equal(progressMessage(s), '2/2 jobs · 100% · 1 diverged');
  assert.equal(statusBarText([s]), '$(beaker~spin) tiny: 2/2 jobs · 100%');
  assert.equal(statusBarText([]), '');
  assert.equal(endMessage(s, 12.34), 'tiny: completed — 2 jobs in 12.3 s (1 diverged)');
});

const info = (over: Partial<RunInfo> = {}): RunInfo => ({
  runId: '2026-11-22T06-00-00-tiny', runDir: '/w/.actlab/runs/2026-11-22T06-00-00-tiny', name: 'tiny', status: 'completed',
  started: '2026-11-22T06:00:00.000Z', jobsDone: 2, jobsTotal: 2, ...over,
});

test('runItem: status icon, description, context value for menus', () => {
  const now = Date.parse('2026-11-22T06:10:00.000Z');
  const done = runItem(info({ best: { armId: 'a', label: 'N-ReLU', metric: 'testAccuracy', value: 0.9812 } }), now);
  assert.equal(done.icon.id, 'pass');
  assert.equal(done.contextValue, 'run.finished');
  assert.equal(done.description, 'completed · 2 jobs · 10 min ago');
  assert.match(done.tooltip, /98\.12% test accuracy/);
  const live = runItem(info({ status: 'running', jobsDone: 1 }), now);
  assert.equal(live.icon.id, 'sync~spin');
  assert.equal(live.contextValue, 'run.running');
  assert.equal(live.description, '1/2 jobs · 10 min ago');
  assert.equal(runItem(info({ status: 'interrupted' }), now).icon.id, 'debug-disconnect');
  assert.equal(relativeTime('garbage', now), '');
  assert.equal(relativeTime('2026-11-20T06:10:00.000Z', now), '2 d ago');
});

test('runItem: a planned cluster run shows its jobs\' progress from jobs/ and offers no Stop', () => {
  const now = Date.parse('2026-11-22T06:10:00.000Z');
  const planned = runItem(info({ status: 'running', jobsDone: 3, jobsTotal: 6,
    cluster: { state: 'submitted', total: 6, done: 2, running: 1, failed: 1, pending: 2 } }), now);
  assert.equal(planned.description, 'submitted · 2/6 done · 1 running · 1 failed · 2 pending · 10 min ago');
  assert.equal(planned.contextValue, 'run.cluster');
  assert.equal(planned.icon.id, 'sync~spin');
  const idle = runItem(info({ status: 'running', jobsDone: 0, jobsTotal: 6,
    cluster: { state: 'planned', total: 6, done: 0, running: 0, failed: 0, pending: 6 } }), now);
  assert.equal(idle.icon.id, 'server-process');
});

test('jobRows: states from events; a dead run leaves started jobs interrupted', () => {
  const all = jobRows(config, events, false);
  assert.deepEqual(all.map((r) => r.state), ['completed', 'diverged']);
  assert.equal(all[0].epoch, 2);
  assert.equal(all[0].testAccuracy, 0.65);
  const partial = events.slice(0, 4);
  assert.deepEqual(jobRows(config, partial, true).map((r) => r.state), ['running', 'running']);
  assert.deepEqual(jobRows(config, partial, false).map((r) => r.state), ['interrupted', 'interrupted']);
  assert.deepEqual(jobRows(config, [], false).map((r) => r.state), ['notRun', 'notRun']);
  const item = jobItem('/r', all[0]);
  assert.equal(item.description, 'completed · 2/2 · 65.0%');
  assert.equal(item.icon.color, 'testing.iconPassed');
  assert.equal(jobItem('/r', all[1]).description, 'diverged · 1/2 · loss NaN');
});

test('settings: runs folder next to the config by default, ${workspaceFolder}, absolute; parallel and backend', () => {
  const cfg = join('/ws', 'exp', 'a.actlab.json');
  assert.equal(resolveRunsFolder('', cfg, '/ws'), join('/ws', 'exp', '.actlab', 'runs'));
  assert.equal(resolveRunsFolder(undefined, cfg), join('/ws', 'exp', '.actlab', 'runs'));
  assert.equal(resolveRunsFolder('${workspaceFolder}/runs', cfg, '/ws'), join('/ws', 'runs'));
  assert.equal(resolveRunsFolder('/tmp/r', cfg, '/ws'), '/tmp/r');
  assert.equal(resolveRunsFolder('out', cfg, '/ws'), join('/ws', 'exp', 'out'));
  assert.equal(resolveParallel(0, 8), 8);
  assert.equal(resolveParallel(3, 8), 3);
  assert.equal(resolveParallel(-1, 0), 1);
  assert.equal(resolveParallel('x', 2), 2);
  assert.equal(resolveBackend('wasm'), 'wasm');
  assert.equal(resolveBackend('gpu'), 'auto');
});

test('parseWebviewMessage accepts the protocol and rejects the rest', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready', v: 1 }), { type: 'ready', v: 1 });
  assert.deepEqual(parseWebviewMessage({ type: 'request', v: 1, requestId: 3, action: 'stop', extra: 1 }), { type: 'request', v: 1, requestId: 3, action: 'stop' });
  assert.equal(typeof parseWebviewMessage({ type: 'request', v: 1, requestId: 3, action: 'rm -rf' }), 'string');
  assert.equal(typeof parseWebviewMessage({ type: 'request', v: 1, requestId: '3', action: 'stop' }), 'string');
  assert.equal(typeof parseWebviewMessage({ type: 'ready', v: 2 }), 'string');
  assert.equal(typeof parseWebviewMessage(null), 'string');
  assert.equal(typeof parseWebviewMessage({ type: 'eval', v: 1 }), 'string');
});

test('parsePanelTarget reads the target from the top level or under host, validates it', () => {
  assert.deepEqual(parsePanelTarget({ target: { kind: 'run', runDir: '/r' }, zoom: 2 }), { kind: 'run', runDir: '/r' });
  assert.deepEqual(parsePanelTarget({ host: { target: { kind: 'preview', configPath: '/a.actlab.json' } } }), { kind: 'preview', configPath: '/a.actlab.json' });
  assert.equal(parsePanelTarget({ target: { kind: 'run', runDir: 5 } }), undefined);
  assert.equal(parsePanelTarget(undefined), undefined);
  assert.equal(panelKey({ kind: 'run', runDir: '/r' }), 'run:/r');
});

test('logLine: job starts and ends and trainer logs at their levels; steps are not logged', () => {
  assert.equal(logLine(events[1])?.level, 'info');
  assert.match(logLine(events[1])?.message ?? '', /^\[nrelu\[sigma=0\.05\]#1\] started on cpu: 50 parameters/);
  assert.equal(logLine(events[10])?.level, 'warn');
  assert.equal(logLine(events[4]), undefined);
  assert.deepEqual(logLine({ v: 1, t: 0, type: 'log', level: 'error', message: 'boom' }), { level: 'error', message: 'boom' });
});
