import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActlabEvent } from '../../../src/core/protocol';
import { applyEvent, configJobs, createRunState, foldEvents, runStatusOf } from '../../../src/core/runState';
import { fakeConfig, fakeJob } from '../runner/fixtures';

const v = 1 as const;
const t = 0;
const config = fakeConfig('fold', [fakeJob('relu', 0, {}), fakeJob('relu', 1, {}), fakeJob('gelu', 0, {})]);
const start = (jobId: string, threads?: number): ActlabEvent => ({
  type: 'jobStart', v, t, jobId, backend: { name: 'wasm', notes: [] }, ...(threads ? { threads } : {}), parameters: 1, stepsPerEpoch: 3, epochs: 2, trainSize: 1, testSize: 1,
});
const epoch = (jobId: string, e: number, testAccuracy: number, testLoss: number): ActlabEvent => ({
  type: 'epoch', v, t, jobId, epoch: e, step: e * 3, trainLoss: 1, testLoss, testAccuracy, seconds: 1, samplesPerSec: 10,
});
const events: ActlabEvent[] = [
  { type: 'runStart', v, t, runId: 'r', name: 'fold', jobIds: config.jobs.map((j) => j.jobId), parallel: 2 },
  start('relu#0', 2), epoch('relu#0', 1, 0.9, 0.3), epoch('relu#0', 2, 0.8, Number.NaN),
  { type: 'probe', v, t, jobId: 'relu#0', epoch: 2, layers: [], ms: 1 },
  { type: 'probe', v, t, jobId: 'relu#0', epoch: 0, layers: [], ms: 1 },
  { type: 'jobEnd', v, t, jobId: 'relu#0', status: 'diverged', epoch: 2, step: 6, seconds: 4, message: 'loss is NaN' },
  start('relu#1'), epoch('relu#1', 1, 0.5, 0.7),
  epoch('ghost#0', 1, 0.1, 1),
];

test('one fold: statuses, last and best (from the metrics table), backend label, probes, unknown jobs', () => {
  const s = foldEvents(config, events);
  assert.equal(s.runId, 'r');
  assert.equal(s.status, 'running');
  const [a, b, c] = configJobs(s);
  assert.deepEqual([a!.status, b!.status, c!.status], ['diverged', 'running', 'queued']);
  assert.equal(a!.backend, 'wasm ×2');
  assert.equal(a!.threads, 2);
  assert.equal(b!.threads, 1);
  assert.equal(a!.epoch, 2);
  assert.equal(a!.last?.testAccuracy, 0.8);
  assert.equal(a!.best.testAccuracy, 0.9, 'higher is better');
  assert.equal(a!.best.testLoss, 0.3, 'lower is better; NaN never best');
  assert.equal(a!.best.sigma, undefined, 'σ has no direction');
  assert.equal(a!.lastProbe?.epoch, 2, 'the latest probe by epoch');
  assert.equal(a!.probes.length, 2);
  assert.equal(a!.message, 'loss is NaN');
  assert.equal(a!.seconds, 4);
  assert.equal(c!.stepsPerEpoch, 0);
  assert.equal(c!.epochs, config.jobs[2]!.training.epochs);
  assert.equal(s.jobs.get('ghost#0')?.spec, undefined, 'a job only the events name is kept, without a spec');
  assert.deepEqual([...s.jobs.keys()], ['relu#0', 'relu#1', 'gelu#0', 'ghost#0'], 'config order, then first seen');
});

test('incremental applyEvent gives the same state; a late jobStart does not revive an ended job', () => {
  const s = createRunState(config);
  for (const e of events) applyEvent(s, e);
  assert.equal(s.jobs.has('ghost#0'), false, 'unknown jobs are ignored unless asked for');
  assert.equal(s.jobs.get('relu#0')?.status, 'diverged');
  applyEvent(s, start('relu#0'));
  assert.equal(s.jobs.get('relu#0')?.status, 'diverged');
});

test('run status: runEnd when present, else the combined ending once every job ended, else running', () => {
  assert.equal(createRunState(config).status, 'pending');
  assert.equal(runStatusOf(foldEvents(config, events)), 'running');
  const ended: ActlabEvent[] = [
    ...events,
    { type: 'jobEnd', v, t, jobId: 'relu#1', status: 'completed', epoch: 2, step: 6, seconds: 1 },
    { type: 'jobEnd', v, t, jobId: 'gelu#0', status: 'cancelled', epoch: 0, step: 0, seconds: 0 },
  ];
  assert.equal(runStatusOf(foldEvents(config, ended)), 'cancelled');
  const s = foldEvents(config, [...ended, { type: 'runEnd', v, t, runId: 'r', status: 'failed', seconds: 9 }]);
  assert.equal(runStatusOf(s), 'failed');
  assert.equal(s.status, 'failed');
  assert.equal(s.seconds, 9);
});
