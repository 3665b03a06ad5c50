/**
 * A static report's packed jobs folded from their columns (webview/state/packedFold.ts) give the
 * same run model as their events folded one by one (the live path), on a run recorded by the
 * real CLI and trainer and on a synthetic sweep; a job cut short (no jobEnd) too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { eventsToCsv } from '../../src/core/csv';
import type { ActlabEvent } from '../../src/core/protocol';
import type { ResolvedConfig } from '../../src/core/config';
import { summarizeState } from '../../src/core/summary';
import { packRun } from '../../src/report/pack';
import { chunkPacked } from '../../src/report/reportHtml';
import { decodeChunk, eventsOf, mergePacked, type JobColumns } from '../../webview/state/packed';
import { addPacked, allEvents, applyQueued, foldNextPending } from '../../webview/state/packedFold';
import { applyEvents, createModel, usePerStepSeries, type RunModel } from '../../webview/state/runModel';
import { makeSynthetic } from '../fixtures/webview/synthetic';
import { ROOT, loadFixture } from './browser';

/** What the report embeds, decoded as the page decodes it (through JSON). */
function decoded(events: readonly ActlabEvent[]): { plain: ActlabEvent[]; jobs: JobColumns[] } {
  const { plain, packed } = packRun(events, 50);
  const jobs: JobColumns[] = [];
  for (const c of chunkPacked(packed, 3)) {
    const d = decodeChunk(JSON.parse(JSON.stringify(c)));
    assert.ok(typeof d !== 'string', String(d));
    jobs.push(...d);
  }
  return { plain, jobs };
}

function viaEvents(run: { runId: string; config: ResolvedConfig }, plain: readonly ActlabEvent[], jobs: readonly JobColumns[]): RunModel {
  const m = createModel(run.runId, run.config, false);
  applyEvents(m, mergePacked(plain, new Map(jobs.map((c) => [c.jobId, eventsOf(c)]))));
  return m;
}

function viaColumns(run: { runId: string; config: ResolvedConfig }, plain: readonly ActlabEvent[], jobs: readonly JobColumns[]): RunModel {
  const m = createModel(run.runId, run.config, false);
  addPacked(m, jobs);
  for (const e of plain) applyQueued(m, e);
  while (foldNextPending(m) > 0);
  return m;
}

/** The two models agree on everything but the two documented differences (packedFold.ts). */
function assertSameModel(a: RunModel, b: RunModel): void {
  assert.deepEqual(allEvents(b), a.events, 'the events, packed ones put back');
  assert.equal(eventsToCsv(a.config, allEvents(b)), eventsToCsv(a.config, a.events));
  assert.equal(b.pendingPacked.size, 0);
  for (const [id, ja] of a.jobs) {
    const jb = b.jobs.get(id)!;
    assert.deepEqual(jb.lastProbe, ja.lastProbe, `${id}: last probe`);
    assert.deepEqual(jb.probes, b.packed.has(id) ? [] : ja.probes, `${id}: a packed job keeps no probe list`);
    jb.probes = ja.probes;
  }
  assert.deepEqual(b.arms, a.arms);
  assert.deepEqual(b.state, a.state);
  assert.deepEqual([b.layerNames, b.logs, b.unknownJobEvents, [...b.dirty].sort(), b.live], [a.layerNames, a.logs, a.unknownJobEvents, [...a.dirty].sort(), a.live]);
  assert.deepEqual(summarizeState(b.config, b.state, b.runId), summarizeState(a.config, a.state, a.runId));
}

test('a recorded run: the packed fold gives the model its events give', () => {
  const run = loadFixture(join(ROOT, 'test', 'fixtures', 'webview', 'recorded'));
  const { plain, jobs } = decoded(run.events);
  assert.ok(jobs.length === run.config.jobs.length, 'every job was packed');
  const a = viaEvents(run, plain, jobs);
  const b = viaColumns(run, plain, jobs);
  assert.ok(a.arms.every((arm) => arm.agg.epoch.testLoss.length > 0 && arm.dead.size > 0), 'the run has curves and probes');
  // The per-step series, made later from the fold's history, agree too.
  usePerStepSeries(a); usePerStepSeries(b);
  assertSameModel(a, b);
});

test('a synthetic sweep, one job cut short (no jobEnd, no runEnd): the same model', () => {
  const run = makeSynthetic({ arms: 4, seeds: 2, epochs: 6 });
  const cut = run.config.jobs[1]!.jobId;
  const events = run.events.filter((e) => e.type !== 'runEnd' && !(e.type === 'jobEnd' && e.jobId === cut));
  const { plain, jobs } = decoded(events);
  const a = viaEvents(run, plain, jobs);
  const b = viaColumns(run, plain, jobs);
  assert.equal(a.jobs.get(cut)!.status, 'running');
  assertSameModel(a, b);
});

test('per-step series kept from the start (the step axis shown before the fold): the same model', () => {
  const run = makeSynthetic({ arms: 3, seeds: 2, epochs: 4 });
  const { plain, jobs } = decoded(run.events);
  const a = createModel(run.runId, run.config, false); usePerStepSeries(a);
  applyEvents(a, mergePacked(plain, new Map(jobs.map((c) => [c.jobId, eventsOf(c)]))));
  const b = createModel(run.runId, run.config, false); usePerStepSeries(b);
  addPacked(b, jobs);
  for (const e of plain) applyQueued(b, e);
  assert.ok(b.arms[0]!.agg.step.testLoss.length > 0);
  assertSameModel(a, b);
});
