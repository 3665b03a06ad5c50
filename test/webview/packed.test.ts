/** The packed report form (src/report/pack.ts ⇄ webview/state/packed.ts) round-trips a run. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packRun, REPORT_DIGITS } from '../../src/report/pack';
import { buildReportHtml, chunkPacked } from '../../src/report/reportHtml';
import { mergePacked, unpackChunk } from '../../webview/state/packed';
import type { ActlabEvent } from '../../src/core/protocol';
import { makeSynthetic, SIZES } from '../fixtures/webview/synthetic';

const close = (a: number, b: number): boolean => (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= Math.abs(b) * 10 ** (1 - REPORT_DIGITS) + 1e-12;

test('packed events decode to the same epochs and probe values, steps bounded, order kept', () => {
  const run = makeSynthetic(SIZES.small);
  const { plain, packed } = packRun(run.events, 50);
  const jobs = new Map<string, ActlabEvent[]>();
  for (const c of chunkPacked(packed, 4)) {
    const d = unpackChunk(JSON.parse(JSON.stringify(c)));
    assert.ok(typeof d !== 'string', String(d));
    for (const j of d) jobs.set(j.jobId, j.events);
  }
  const out = mergePacked(plain, jobs);
  const count = (es: readonly ActlabEvent[], t: string): number => es.filter((e) => e.type === t).length;
  assert.equal(count(out, 'epoch'), count(run.events, 'epoch'));
  assert.equal(count(out, 'probe'), count(run.events, 'probe'));
  assert.ok(count(out, 'step') <= 51 * run.config.jobs.length);
  const orig = run.events.filter((e) => e.type === 'epoch');
  const got = out.filter((e) => e.type === 'epoch');
  orig.forEach((e, i) => {
    const g = got[i]!;
    assert.ok(e.type === 'epoch' && g.type === 'epoch' && g.jobId === e.jobId && g.epoch === e.epoch && g.step === e.step && g.t === e.t);
    assert.ok(close(g.testLoss, e.testLoss) && close(g.testAccuracy!, e.testAccuracy!), `${g.testLoss} vs ${e.testLoss}`);
  });
  const p0 = run.events.find((e) => e.type === 'probe' && e.epoch === 20);
  const q0 = out.find((e) => e.type === 'probe' && e.epoch === 20 && p0?.type === 'probe' && e.jobId === p0.jobId);
  assert.ok(p0?.type === 'probe' && q0?.type === 'probe');
  assert.equal(q0.layers[0]!.deadMean, p0.layers[0]!.deadMean, 'dead fractions exact (counts over units)');
  assert.equal(q0.layers[0]!.fracPositive.length, p0.layers[0]!.units, 'the last probe keeps its per-unit data');
  // Each job's events stay in trainer order, before its jobEnd.
  for (const id of jobs.keys()) {
    const mine = out.filter((e) => 'jobId' in e && e.jobId === id);
    assert.equal(mine[0]!.type, 'jobStart');
    assert.equal(mine.at(-1)!.type, 'jobEnd');
  }
  assert.equal(out[0]!.type, 'runStart');
  assert.equal(out.at(-1)!.type, 'runEnd');
});

test('a large run is embedded packed in chunks; a small one stays plain', () => {
  const small = buildReportHtml({ ...makeSynthetic({ arms: 2, seeds: 1, epochs: 3 }), script: '', style: '', nonce: 'n' });
  assert.doesNotMatch(small, /actlab-packed/);
  const big = buildReportHtml({ ...makeSynthetic({ arms: 20, seeds: 2, epochs: 60 }), script: '', style: '', nonce: 'n' });
  assert.match(big, /<script type="application\/json" class="actlab-packed">/);
  assert.doesNotMatch(big.replace(/<script type="application\/json"[^>]*>[^<]*<\/script>/g, ''), /"type":"step"/);
});

test('optional epoch metrics of the table (clean training loss) and the signed dead count survive packing', () => {
  const run = makeSynthetic(SIZES.small);
  const events = run.events.map((e): ActlabEvent => {
    if (e.type === 'epoch') return { ...e, cleanTrainLoss: e.trainLoss * 0.9, cleanTrainAccuracy: 0.5 };
    if (e.type === 'probe') return { ...e, layers: e.layers.map((l) => ({ ...l, deadSigned: Math.round(l.deadMean * l.units + 1) / l.units })) };
    return e;
  });
  const { plain, packed } = packRun(events, 50);
  const jobs = new Map<string, ActlabEvent[]>();
  for (const c of chunkPacked(packed, 4)) {
    const d = unpackChunk(JSON.parse(JSON.stringify(c)));
    assert.ok(typeof d !== 'string', String(d));
    for (const j of d) jobs.set(j.jobId, j.events);
  }
  assert.ok(jobs.size > 0, 'the jobs were packed');
  const out = mergePacked(plain, jobs);
  const got = out.filter((e) => e.type === 'epoch');
  events.filter((e) => e.type === 'epoch').forEach((e, i) => {
    const g = got[i]!;
    assert.ok(e.type === 'epoch' && g.type === 'epoch' && close(g.cleanTrainLoss!, e.cleanTrainLoss!) && g.cleanTrainAccuracy === 0.5);
  });
  const probesIn = events.filter((e) => e.type === 'probe');
  const probesOut = out.filter((e) => e.type === 'probe');
  probesIn.forEach((p, i) => {
    const q = probesOut[i]!;
    assert.ok(p.type === 'probe' && q.type === 'probe');
    p.layers.forEach((l, li) => assert.ok(close(q.layers[li]!.deadSigned!, l.deadSigned!), `${q.layers[li]!.deadSigned} vs ${l.deadSigned}`));
  });
  // Without them (an older run), nothing appears.
  const plainRun = packRun(run.events, 50);
  const older = unpackChunk(JSON.parse(JSON.stringify(chunkPacked(plainRun.packed, 4)[0])));
  assert.ok(typeof older !== 'string');
  for (const j of older) for (const e of j.events) {
    if (e.type === 'epoch') assert.equal('cleanTrainLoss' in e, false);
    if (e.type === 'probe') assert.equal('deadSigned' in e.layers[0]!, false);
  }
});

test('a job whose epochs carry learned parameters stays plain: the report keeps its params curves', () => {
  const run = makeSynthetic(SIZES.small);
  const target = run.events.find((e) => e.type === 'epoch')!.jobId;
  const events = run.events.map((e) => (e.type === 'epoch' && e.jobId === target ? { ...e, params: { beta: 1.5 } } : e));
  const { plain, packed } = packRun(events, 50);
  assert.ok(!packed.jobs.some((j) => j.jobId === target), 'not packed');
  const kept = plain.filter((e) => e.type === 'epoch' && e.jobId === target);
  assert.equal(kept.length, events.filter((e) => e.type === 'epoch' && e.jobId === target).length);
  assert.ok(kept.every((e) => e.type === 'epoch' && e.params?.beta === 1.5));
  assert.ok(packed.jobs.length > 0, 'the other jobs are still packed');
});
