import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrainerEvent } from '../../../src/core/protocol';
import { startTrainer } from '../../../src/runner/trainerProcess';
import { FAKE_TRAINER, alive, fakeJob } from './fixtures';

function run(sweep: Record<string, number | string>, epochs = 2, extra: { cancelTermMs?: number; cancelKillMs?: number } = {}) {
  const events: TrainerEvent[] = [];
  let onStarted: () => void = () => undefined;
  // Resolves once the trainer has taken the job (its signal handlers are installed by then):
  // a fixed sleep is not enough on a loaded machine, where a child takes longer to boot.
  const started = new Promise<void>((resolve) => { onStarted = resolve; });
  const tp = startTrainer({
    trainerPath: FAKE_TRAINER, job: fakeJob('a', 0, sweep, epochs), ...extra,
    onEvent: (e) => { events.push(e); if (e.type === 'jobStart') onStarted(); },
  });
  return { tp, events, started };
}

test('a completed job: events in order, final jobEnd from the trainer', async () => {
  const { tp, events } = run({ mode: 'ok', ms: 5 }, 3);
  const end = await tp.done;
  assert.equal(end.status, 'completed');
  assert.deepEqual(events.filter((e) => e.type === 'epoch').map((e) => e.epoch), [1, 2, 3]);
  assert.equal(events[0].type, 'jobStart');
  assert.equal(events.at(-1)?.type, 'jobEnd');
  assert.equal(events.filter((e) => e.type === 'jobEnd').length, 1);
});

test('a crash without jobEnd becomes failed, with the exit code and stderr tail', async () => {
  const { tp, events } = run({ mode: 'crash' });
  const end = await tp.done;
  assert.equal(end.status, 'failed');
  assert.match(end.message ?? '', /code 3/);
  assert.match(end.message ?? '', /simulated crash in the trainer/);
  assert.equal(events.at(-1), end);
  assert.equal(alive(tp.pid as number), false);
});

test('malformed messages and events for another job become log warnings, not a crash', async () => {
  const { tp, events } = run({ mode: 'garbage', ms: 5 });
  const end = await tp.done;
  assert.equal(end.status, 'completed');
  const warns = events.filter((e) => e.type === 'log').map((e) => (e.type === 'log' ? `${e.level}: ${e.message}` : ''));
  assert.equal(warns.length, 2);
  assert.match(warns[0], /^warn: invalid message from trainer: malformed 'epoch'/);
  assert.match(warns[1], /^warn: trainer sent a 'jobEnd' event for job 'someone-else#0'/);
  assert.ok(events.every((e) => !('jobId' in e) || e.jobId === 'a#0'));
});

test('cancel: the trainer ends the job as cancelled and exits', async () => {
  const { tp, started } = run({ mode: 'ok', ms: 10_000 }, 5);
  await started;
  const t0 = Date.now();
  tp.cancel();
  const end = await tp.done;
  assert.equal(end.status, 'cancelled');
  assert.ok(Date.now() - t0 < 1000);
  assert.equal(alive(tp.pid as number), false);
});

test('cancel escalates to SIGKILL for a trainer that ignores cancel and SIGTERM', async () => {
  const { tp, started } = run({ mode: 'deaf', ms: 10_000 }, 5, { cancelTermMs: 100, cancelKillMs: 300 });
  await started;
  tp.cancel();
  const end = await tp.done;
  assert.equal(end.status, 'cancelled');
  assert.match(end.message ?? '', /SIGKILL/);
  assert.equal(alive(tp.pid as number), false);
});

test('a missing trainer file fails the job with the reason', async () => {
  const events: TrainerEvent[] = [];
  const tp = startTrainer({ trainerPath: '/nonexistent/trainer.js', job: fakeJob('a', 0, {}), onEvent: (e) => events.push(e) });
  const end = await tp.done;
  assert.equal(end.status, 'failed');
  assert.match(end.message ?? '', /Cannot find module/);
});

test('a non-finite loss crosses the IPC channel as NaN (the step that diverged is kept)', async () => {
  const { tp, events } = run({ mode: 'diverge', ms: 5 }, 3);
  const end = await tp.done;
  assert.equal(end.status, 'diverged');
  const steps = events.filter((e) => e.type === 'step');
  assert.equal(steps.length, 2, 'both step events arrive, the NaN one included');
  assert.ok(steps[1]?.type === 'step' && Number.isNaN(steps[1].loss));
  assert.equal(events.filter((e) => e.type === 'log').length, 0, 'no invalid-message warnings');
});
