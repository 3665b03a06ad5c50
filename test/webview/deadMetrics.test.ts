/** The dead-units view's definitions come from the metrics table (Node: the run model only). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActlabEvent } from '../../src/core/protocol';
import { DEAD_METRICS } from '../../src/core/metrics';
import { shownMetrics } from '../../webview/charts/dead';
import { applyEvents, createModel } from '../../webview/state/runModel';
import { loadFixture } from './browser';

const fx = loadFixture();

const withSigned = (events: readonly ActlabEvent[]): ActlabEvent[] => events.map((e) => (e.type === 'probe'
  ? { ...e, layers: e.layers.map((l) => ({ ...l, deadSigned: Math.min(1, l.deadMean + 0.25) })) } : e));

test('each probe definition gets its series per layer; the signed one where the probes carry it', () => {
  const m = createModel(fx.runId, fx.config, false);
  applyEvents(m, withSigned(fx.events));
  const arm = m.arms[0]!;
  const layer = [...arm.dead.keys()][0]!;
  for (const d of DEAD_METRICS) assert.ok(arm.dead.get(layer)![d.key].mean.length > 0, `${d.key} aggregated`);
  const job = arm.jobs[0]!;
  const series = job.layers.get(layer)!.dead;
  const firstProbe = fx.events.find((e) => e.type === 'probe' && e.jobId === job.jobId);
  assert.ok(firstProbe?.type === 'probe');
  assert.equal(series.deadSigned[0]!.y, Math.min(1, firstProbe.layers[0]!.deadMean + 0.25));
  assert.deepEqual(shownMetrics(m).map((d) => d.key), DEAD_METRICS.map((d) => d.key));
});

test('a run recorded before the signed count gets no empty chart for it; a run without probes yet shows all', () => {
  const old = createModel(fx.runId, fx.config, false);
  applyEvents(old, fx.events);
  assert.ok(fx.events.some((e) => e.type === 'probe') && fx.events.every((e) => e.type !== 'probe' || e.layers.every((l) => l.deadSigned === undefined)));
  assert.deepEqual(shownMetrics(old).map((d) => d.key), ['deadMean', 'deadGrad']);
  const fresh = createModel(fx.runId, fx.config, true);
  assert.deepEqual(shownMetrics(fresh).map((d) => d.key), DEAD_METRICS.map((d) => d.key));
});
