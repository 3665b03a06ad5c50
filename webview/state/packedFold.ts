/**
 * Folds a static report's packed jobs (./packed.ts, decoded to columns) straight into the run
 * model: the same series, aggregates and fold state as their events would give, without the
 * event objects. At 200 arms × 5 seeds × 200 epochs those were ~600,000 events (and 400,000
 * layer probes), kept for good in the model's event list: most of the page's garbage collection.
 *
 * Differences from folding the events, on purpose: the model's `events` lacks the packed
 * jobs' bulk events (`allEvents` rebuilds them, for the CSV), and a packed job's fold record
 * holds its last probe (`lastProbe`, what the summary reads) but not the list of every probe
 * (`probes`, which nothing in the panel reads). Epoch events are made, one per row: the fold's
 * history, last and best are made of them.
 * test/webview/packedFold.test.ts checks both paths give the same model.
 */
import type { ActlabEvent } from '../../src/core/protocol';
import { applyEvent as foldEvent } from '../../src/core/runState';
import { epochEventAt, eventsOf, mergePacked, probeEventAt, epochTimes, type JobColumns } from './packed';
import { applyEpoch, applyEvent, applyLayer, applyStep, type RunModel } from './runModel';

/** A fracPositive row the report did not keep (never written to: the heatmap only reads rows). */
const NO_ROW: number[] = [];

/** Hands the model a report's packed jobs; each is folded when the queue reaches its jobEnd (`applyQueued`). */
export function addPacked(m: RunModel, jobs: readonly JobColumns[]): void {
  for (const c of jobs) { m.packed.set(c.jobId, c); m.pendingPacked.add(c.jobId); }
}

/** Rows of a packed job (its work, counted like events). */
const rowsOf = (c: JobColumns): number => (c.epochs?.epoch.length ?? 0) + (c.steps?.epoch.length ?? 0) + (c.probes?.epoch.length ?? 0);

/** Folds one packed job; returns its rows. */
export function foldPackedJob(m: RunModel, c: JobColumns): number {
  m.pendingPacked.delete(c.jobId);
  const job = m.jobs.get(c.jobId);
  if (!job) { m.unknownJobEvents += rowsOf(c); return rowsOf(c); }
  const arm = m.arms[job.armIndex]!;
  // Within a job the order of kinds does not change the model: steps, epochs and probes feed
  // different series and aggregates, each in its rows' order.
  if (c.epochs) {
    for (let i = 0; i < c.epochs.epoch.length; i++) {
      const e = epochEventAt(c.jobId, c.epochs, i);
      foldEvent(m.state, e);
      applyEpoch(m, arm, job, e);
    }
  }
  const s = c.steps;
  if (s) for (let i = 0; i < s.epoch.length; i++) applyStep(m, arm, job, s.step[i] ?? 0, s.loss[i]!, s.sigma?.[i]);
  const p = c.probes;
  if (p && p.epoch.length) {
    let last = -1;
    for (let i = 0; i < p.epoch.length; i++) {
      const ep = p.epoch[i]!;
      for (const l of p.layers) applyLayer(m, arm, job, ep, l.layer, l.units, (key) => l[key]?.[i], l.rows.get(i) ?? NO_ROW);
      if (last < 0 || ep >= p.epoch[last]!) last = i;
    }
    // The fold's rule (the latest of the highest epoch), over this job's rows.
    if (!job.lastProbe || p.epoch[last]! >= job.lastProbe.epoch) job.lastProbe = probeEventAt(c.jobId, p, last, epochTimes(c));
    m.dirty.add('probes').add('summary');
  }
  return rowsOf(c);
}

/**
 * Applies one queued event, folding first the packed jobs the trainer wrote before it (a job's
 * before its jobEnd; every one left before runEnd). Returns the work done (events and rows).
 */
export function applyQueued(m: RunModel, e: ActlabEvent): number {
  let work = 1;
  if (m.pendingPacked.size && (e.type === 'jobEnd' || e.type === 'runEnd')) {
    const ids = e.type === 'jobEnd' ? [e.jobId] : [...m.pendingPacked];
    for (const id of ids) { const c = m.pendingPacked.has(id) ? m.packed.get(id) : undefined; if (c) work += foldPackedJob(m, c); }
  }
  applyEvent(m, e);
  return work;
}

/** Folds the next packed job still pending (one that never ended, once the queue is empty); its rows, 0 when none. */
export function foldNextPending(m: RunModel): number {
  const id = m.pendingPacked.values().next();
  if (id.done) return 0;
  const c = m.packed.get(id.value);
  if (!c) { m.pendingPacked.delete(id.value); return 1; }
  return foldPackedJob(m, c);
}

/** Every event of the run as the trainer wrote it: the model's events with the packed jobs' put back. */
export function allEvents(m: RunModel): readonly ActlabEvent[] {
  if (!m.packed.size) return m.events;
  return mergePacked(m.events, new Map([...m.packed].map(([id, c]) => [id, eventsOf(c)])));
}
