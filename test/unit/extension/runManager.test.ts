import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunManager } from '../../../src/extension/runManager';
import type { RunHandle, RunOptions, RunResult } from '../../../src/runner/scheduler';
import type { ActlabEvent } from '../../../src/core/protocol';
import { config, events } from './fixtures';

/** A scheduler stand-in: replays the fixture events on demand, records cancels. */
function fakeScheduler(opts: { ignoreFirstCancel?: boolean } = {}) {
  const state = { cancels: 0, options: undefined as RunOptions | undefined, emit: (_e: ActlabEvent) => {}, finish: (_s: RunResult['status']) => {} };
  const startRun = (o: RunOptions): RunHandle => {
    state.options = o;
    let resolve: (r: RunResult) => void = () => {};
    const done = new Promise<RunResult>((r) => { resolve = r; });
    state.emit = (e) => o.onEvent?.(e);
    state.finish = (status) => resolve({ runId: 'r1', runDir: '/runs/r1', status, jobs: {}, summary: { v: 1, runId: 'r1', name: 'tiny', status, arms: [] } });
    o.onEvent?.(events[0]); // runStart is emitted synchronously inside startRun
    return {
      runId: 'r1', runDir: '/runs/r1', done, activePids: () => [],
      cancel: () => {
        state.cancels++;
        if (!(opts.ignoreFirstCancel && state.cancels === 1)) state.finish('cancelled');
      },
    };
  };
  return { state, startRun };
}

test('RunManager starts through the scheduler, buffers every event, tracks progress, ends', async () => {
  const { state, startRun } = fakeScheduler();
  const m = new RunManager({ startRun, trainerPath: '/ext/dist/trainer.js', env: { ELECTRON_RUN_AS_NODE: '1' } });
  const changes: string[] = [];
  const seen: ActlabEvent[] = [];
  m.onChange.on((c) => changes.push(c.kind));
  m.onEvents.on(({ events: batch }) => seen.push(...batch));
  const run = m.start({ resolved: config, configPath: '/w/a.actlab.json', outDir: '/runs', parallel: 2, backend: 'cpu' });
  assert.equal(state.options?.trainerPath, '/ext/dist/trainer.js');
  assert.equal(state.options?.parallel, 2);
  assert.equal(state.options?.env?.ELECTRON_RUN_AS_NODE, '1');
  assert.equal(run.events.length, 1, 'the synchronous runStart is kept');
  assert.equal(m.activeForConfig('/w/a.actlab.json'), run);
  for (const e of events.slice(1)) state.emit(e);
  assert.equal(run.events.length, events.length);
  assert.equal(seen.length, events.length);
  assert.equal(run.progress().fraction, 1);
  state.finish('completed');
  await run.done;
  await new Promise((r) => setImmediate(r));
  assert.equal(m.active().length, 0);
  assert.equal(run.status, 'completed');
  assert.equal(m.get('r1'), run, 'a finished run stays reachable for late panels');
  assert.equal(changes[0], 'start');
  assert.equal(changes[changes.length - 1], 'end');
});

test('RunManager.stop cancels; stopAll escalates to a second cancel when the first is ignored', async () => {
  const a = fakeScheduler();
  const m = new RunManager({ startRun: a.startRun, trainerPath: 't' });
  m.start({ resolved: config, configPath: '/w/a.actlab.json', outDir: '/runs', parallel: 1 });
  assert.equal(m.stop('/runs/r1'), true);
  assert.equal(a.state.cancels, 1);
  await new Promise((r) => setImmediate(r));
  assert.equal(m.stop('/runs/r1'), false, 'nothing left to stop');

  const b = fakeScheduler({ ignoreFirstCancel: true });
  const m2 = new RunManager({ startRun: b.startRun, trainerPath: 't' });
  m2.start({ resolved: config, configPath: '/w/a.actlab.json', outDir: '/runs', parallel: 1 });
  const t0 = Date.now();
  await m2.stopAll(50);
  assert.equal(b.state.cancels, 2);
  assert.ok(Date.now() - t0 < 1000);
  assert.equal(m2.active().length, 0);
});
