/** The panel's pure parts in Node: the event reducer, seed aggregates, smoothing, message validation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOL_VERSION, type ActlabEvent } from '../../src/core/protocol';
import { SeedAggregate } from '../../webview/state/aggregate';
import { applyEvents, createModel, jobCounts, usePerStepSeries } from '../../webview/state/runModel';
import { emaInto } from '../../webview/state/smoothing';
import { restoreView, DEFAULT_VIEW } from '../../webview/state/viewState';
import { parseHostToWebview } from '../../webview/host';
import { sortArms } from '../../webview/components/summaryTable';
import { summarize } from '../../src/core/summary';
import { loadFixture } from './browser';

const fx = loadFixture();
const v = PROTOCOL_VERSION;

test('SeedAggregate: mean, sample std, min/max per key, updated in place', () => {
  const a = new SeedAggregate();
  a.set(1, 1, 'j1', 1);
  const meanPoint = a.mean[0];
  a.set(1, 1, 'j2', 3);
  a.set(2, 2, 'j1', 5);
  assert.equal(a.mean[0], meanPoint, 'same point object: charts holding it see the update');
  assert.deepEqual(a.mean.map((p) => p.y), [2, 5]);
  assert.deepEqual([a.min[0]!.y, a.max[0]!.y], [1, 3]);
  assert.ok(Math.abs(a.stdHi[0]!.y - (2 + Math.SQRT2)) < 1e-12);
  assert.deepEqual(a.n, [2, 1]);
  a.set(0, 0, 'j3', 7); // out of order: inserted before, x kept sorted
  assert.deepEqual(a.mean.map((p) => p.x), [0, 1, 2]);
  a.set(2, 2, 'j2', Number.NaN); // a diverged seed leaves the others' mean alone
  assert.equal(a.mean[2]!.y, 5);
});

test('SeedAggregate: a repeated value replaces the earlier one; running updates equal a recomputation', () => {
  const a = new SeedAggregate();
  a.set(1, 1, 'j1', 1);
  a.set(1, 1, 'j2', 3);
  a.set(1, 1, 'j1', 5); // a job's epoch reported again: its value is replaced, not added
  assert.deepEqual([a.mean[0]!.y, a.min[0]!.y, a.max[0]!.y, a.n[0]], [4, 3, 5, 2]);
  a.set(1, 1, 'j2', Number.NaN);
  assert.deepEqual([a.mean[0]!.y, a.stdHi[0]!.y, a.n[0]], [5, 5, 1]);
  // Welford's running mean and std against the two-pass formulas on values far from 0.
  const b = new SeedAggregate();
  const xs = [1e6 + 0.1, 1e6 + 0.4, 1e6 - 0.3, 1e6 + 0.25, 1e6];
  xs.forEach((x, i) => b.set(0, 0, `j${i}`, x));
  const m = xs.reduce((t, x) => t + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((t, x) => t + (x - m) ** 2, 0) / (xs.length - 1));
  assert.ok(Math.abs(b.mean[0]!.y - m) < 1e-9);
  assert.ok(Math.abs(b.stdHi[0]!.y - b.mean[0]!.y - sd) < 1e-9, `${b.stdHi[0]!.y - b.mean[0]!.y} vs ${sd}`);
});

test('reducer: per-step series of the epoch metrics are made on first use, the same whether before or after the events', () => {
  const m = createModel(fx.runId, fx.config, false);
  const half = Math.floor(fx.events.length / 2);
  applyEvents(m, fx.events, 0, half);
  assert.equal(m.arms[0]!.agg.step.testLoss.length, 0, 'not kept until the per-step axis is used');
  usePerStepSeries(m);
  applyEvents(m, fx.events, half);
  for (const arm of m.arms) {
    const step = arm.agg.step.testLoss;
    const epoch = arm.agg.epoch.testLoss;
    assert.deepEqual(step.mean.map((p) => p.y), epoch.mean.map((p) => p.y));
    const steps = fx.events.filter((e) => e.type === 'epoch' && e.jobId === arm.jobs[0]!.spec.jobId).map((e) => (e.type === 'epoch' ? e.step : 0));
    assert.deepEqual(step.mean.map((p) => p.x), steps, 'at each epoch\'s last step');
    for (const job of arm.jobs) assert.equal(job.series.step.testLoss.length, job.series.epoch.testLoss.length);
  }
});

test('reducer: per-job series and per-arm aggregates from the recorded run', () => {
  const m = createModel(fx.runId, fx.config, false);
  applyEvents(m, fx.events);
  const epochs = fx.config.jobs[0]!.training.epochs;
  for (const arm of m.arms) {
    assert.equal(arm.agg.epoch.testAccuracy.mean.length, epochs);
    const finals = arm.jobs.map((j) => j.series.epoch.testAccuracy.at(-1)!.y);
    const mean = finals.reduce((s, x) => s + x, 0) / finals.length;
    assert.ok(Math.abs(arm.agg.epoch.testAccuracy.mean.at(-1)!.y - mean) < 1e-12);
    // Same as summary.json's final test accuracy.
    const s = summarize(fx.config, fx.events).arms[arm.index]!;
    assert.ok(Math.abs(s.finalTestAccuracy!.mean - mean) < 1e-12);
  }
  assert.deepEqual(jobCounts(m), { done: 6, running: 0, queued: 0, failed: 0, total: 6 });
  assert.deepEqual(m.layerNames, ['dense1', 'dense2']);
  const nrelu = m.arms.find((a) => a.spec.activation.type === 'nrelu')!;
  assert.equal(nrelu.jobs[0]!.sigmaEpochs.length, epochs);
  assert.equal(m.runStatus, 'completed');
  assert.equal(m.unknownJobEvents, 0);
});

test('reducer: events for unknown jobs are counted, not applied', () => {
  const m = createModel(fx.runId, fx.config, true);
  applyEvents(m, [{ type: 'step', v, t: 0, jobId: 'nope#1', epoch: 0, step: 0, loss: 1 } as ActlabEvent]);
  assert.equal(m.unknownJobEvents, 1);
});

test('EMA writes a new array and never touches the raw one', () => {
  const raw = [{ x: 0, y: 10 }, { x: 1, y: 0 }, { x: 2, y: Number.NaN }, { x: 3, y: 0 }];
  const copy = JSON.stringify(raw);
  const out = emaInto(raw, 0.5, []);
  assert.equal(JSON.stringify(raw), copy);
  assert.equal(out[0]!.y, 10, 'debiased: the first point is the first value');
  assert.ok(Math.abs(out[1]!.y - 10 / 3) < 1e-12);
  assert.ok(Number.isNaN(out[2]!.y), 'gaps stay gaps');
  assert.equal(emaInto(raw, 0, [])[3]!.y, 0, 'weight 0 = raw');
});

test('host messages are validated; NaN travels as null', () => {
  const ok = parseHostToWebview({ type: 'events', v, runId: 'r', events: [{ type: 'step', v, t: 1, jobId: 'a', epoch: 0, step: 0, loss: null }] });
  assert.ok(typeof ok !== 'string' && ok.type === 'events');
  assert.ok(typeof ok !== 'string' && ok.type === 'events' && ok.events[0]!.type === 'step' && Number.isNaN(ok.events[0]!.loss));
  assert.equal(parseHostToWebview({ type: 'init', v, runId: 'r', config: { name: 'x' }, events: [], live: true }), 'config: not a resolved config');
  assert.equal(parseHostToWebview({ type: 'events', v: 2, runId: 'r', events: [] }), 'unsupported protocol version 2');
  assert.equal(parseHostToWebview({ type: 'bogus', v }), "unknown message type 'bogus'");
  assert.equal(parseHostToWebview({ type: 'events', v, runId: 'r', events: [{ type: 'epoch', v, t: 1 }] }), "malformed 'epoch' event");
});

test('view state restores only well-typed fields', () => {
  assert.deepEqual(restoreView(undefined), DEFAULT_VIEW);
  const r = restoreView({ tab: 'dead', xAxis: 'step', smoothing: 2, band: 'std', logScale: 'yes' });
  assert.equal(r.tab, 'dead');
  assert.equal(r.xAxis, 'step');
  assert.equal(r.band, 'std');
  assert.equal(r.smoothing, DEFAULT_VIEW.smoothing);
  assert.equal(r.logScale, DEFAULT_VIEW.logScale);
});

test('summary sort: by mean, missing values last, stable', () => {
  const s = summarize(fx.config, fx.events);
  const arms = [...s.arms, { ...s.arms[0]!, armId: 'empty', finalTestAccuracy: undefined }];
  const desc = sortArms(arms, 'finalTestAccuracy', -1).map((i) => arms[i]!.armId);
  assert.equal(desc.at(-1), 'empty');
  assert.deepEqual(desc.slice(0, 3), [...s.arms].sort((a, b) => b.finalTestAccuracy!.mean - a.finalTestAccuracy!.mean).map((a) => a.armId));
  assert.deepEqual(sortArms(arms, '', -1), [0, 1, 2, 3]);
});

test('reducer: learnable expression parameters become a per-job series (the σ view plots them)', () => {
  const m = createModel(fx.runId, fx.config, false);
  const jobId = fx.config.jobs[0]!.jobId;
  const epoch = (e: number, params: Record<string, number | { mean: number; min: number; max: number }>): ActlabEvent =>
    ({ type: 'epoch', v, t: 0, jobId, epoch: e, step: e, trainLoss: 1, testLoss: 1, seconds: 1, samplesPerSec: 1, params });
  applyEvents(m, [epoch(1, { a: 0.25 }), epoch(2, { a: 0.3, s: { mean: 0.1, min: 0, max: 0.2 } })]);
  const job = m.arms.flatMap((a) => a.jobs).find((j) => j.spec.jobId === jobId)!;
  assert.deepEqual(job.learned.get('a'), [{ x: 1, y: 0.25 }, { x: 2, y: 0.3 }]);
  assert.deepEqual(job.learned.get('s'), [{ x: 2, y: 0.1 }]);
  assert.ok(m.dirty.has('sigma'));
});
