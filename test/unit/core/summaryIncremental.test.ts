/**
 * summary.json at every jobEnd (issue 17): the runner used to refold every event each time, and
 * to filter all jobs per arm, so a 3,000-job run spent O(jobs × events) on summaries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import type { ActlabEvent } from '../../../src/core/protocol';
import { SummaryBuilder, summarize } from '../../../src/core/summary';
import { fakeConfig, fakeJob } from '../runner/fixtures';

const v = 1 as const;
const t = 0;
const ARMS = 1000;
const SEEDS = 3;
const EPOCHS = 20;

function runEvents(jobIds: readonly string[]): ActlabEvent[][] {
  return jobIds.map((jobId, k) => [
    { type: 'jobStart', v, t, jobId, backend: { name: 'wasm', notes: [] }, parameters: 10, stepsPerEpoch: 1, epochs: EPOCHS, trainSize: 1, testSize: 1 },
    ...Array.from({ length: EPOCHS }, (_, e): ActlabEvent => ({
      type: 'epoch', v, t, jobId, epoch: e + 1, step: e + 1, trainLoss: 1 / (e + 1), testLoss: 1 / (e + 2),
      testAccuracy: 0.5 + ((k * 7919 + e) % 100) / 250, seconds: 1, samplesPerSec: 100 + k,
    })),
    { type: 'jobEnd', v, t, jobId, status: k % 97 === 0 ? 'diverged' : 'completed', epoch: EPOCHS, step: EPOCHS, seconds: 20 },
  ]);
}

test('the incremental summary equals a fold of every event, at every point checked', () => {
  const jobs = Array.from({ length: 40 }, (_, i) => fakeJob(`a${i % 13}`, i, { lr: i % 13 }, EPOCHS));
  const config = fakeConfig('inc', jobs);
  const b = new SummaryBuilder(config, 'r');
  const seen: ActlabEvent[] = [];
  const perJob = runEvents(jobs.map((j) => j.jobId));
  perJob.forEach((evs, k) => {
    for (const e of evs) { b.apply(e); seen.push(e); }
    if (k % 5 === 0 || k === perJob.length - 1) assert.deepEqual(b.summary(), summarize(config, seen, 'r'), `after job ${k}`);
  });
});

test('jobs of arms the config does not list are in no arm, as before', () => {
  // The first job (k = 0) diverges in runEvents: the listed arm gets the second.
  const jobs = [fakeJob('b', 1, {}, 2), fakeJob('a', 1, {}, 2)];
  const config = { ...fakeConfig('orphans', jobs), arms: fakeConfig('orphans', jobs).arms.slice(1) };
  const events = runEvents(jobs.map((j) => j.jobId)).flat();
  const s = summarize(config, events, 'r');
  assert.deepEqual(s.arms.map((a) => a.armId), ['a']);
  assert.equal(s.best?.armId, 'a');
});

test(`a summary at each of ${(ARMS * SEEDS).toLocaleString('en-US')} jobEnds costs time linear in the events`, (t2) => {
  const jobs = Array.from({ length: ARMS * SEEDS }, (_, i) => fakeJob(`arm${i % ARMS}`, Math.floor(i / ARMS), { lr: i % ARMS }, EPOCHS));
  const config = fakeConfig('big', jobs);
  const perJob = runEvents(jobs.map((j) => j.jobId));
  const t0 = performance.now();
  const b = new SummaryBuilder(config, 'r');
  let last;
  for (const evs of perJob) {
    for (const e of evs) b.apply(e);
    last = b.summary();
  }
  const ms = performance.now() - t0;
  const budget = 5000 * Math.min(3, Math.max(1, os.loadavg()[0] / os.availableParallelism()));
  t2.diagnostic(`${perJob.length} summaries over ${perJob.length * (EPOCHS + 2)} events: ${ms.toFixed(0)} ms (budget ${budget.toFixed(0)} ms)`);
  assert.ok(ms < budget, `${ms.toFixed(0)} ms`);
  assert.equal(last!.arms.length, ARMS);
  assert.equal(last!.arms.reduce((n, a) => n + a.completed, 0), perJob.length - Math.ceil(perJob.length / 97));
});
