/**
 * `actlab merge`: folds a planned run's jobs/<i>/events.jsonl into the run's own files, so that
 * a cluster run folder ends up like a local one (events.jsonl with runStart … runEnd, summary.json
 * from the same summarize, report.html from the same writer, run.json with the final status).
 *
 * Always rebuilt from the job files, never from a previous merge: merging twice gives the same
 * folder, and a merge after rerunning a failed index picks up the new attempt.
 * A job without a jobEnd (killed, or still running) and a job that never ran get a synthesized
 * 'failed' jobEnd in the merged stream, so the summary and the status say the run is incomplete.
 */
import * as path from 'node:path';
import type { ResolvedConfig } from '../core/config';
import { PROTOCOL_VERSION, encodeEvent, type ActlabEvent, type JobEndEvent, type RunStatus } from '../core/protocol';
import { combineJobStatuses, summarize, type Summary } from '../core/summary';
import { readJobFiles, readRunLock, type JobFileRecord } from './jobFiles';
import { readPlannedConfig } from './jobRunner';
import { writeRunLock } from './plan';
import { EVENTS_FILE, SUMMARY_FILE, summaryJson, writeFileAtomic } from './runStore';

/** How one job stands in a merge. `unfinished`: its file has no jobEnd; `missing`: no file. */
export type JobOutcomeState = JobEndEvent['status'] | 'unfinished' | 'missing';

export interface JobOutcome {
  index: number;
  jobId: string;
  state: JobOutcomeState;
  message?: string;
}

export interface MergeResult {
  runId: string;
  runDir: string;
  status: RunStatus;
  /** Every job completed. */
  complete: boolean;
  jobs: JobOutcome[];
  summary: Summary;
  warnings: string[];
  /** report.html, when a writer was given and it worked. */
  report?: string;
}

export interface MergeOptions {
  /** As the scheduler's hook: `(dir) => writeReportFile(dir, buildReportHtml)`. */
  writeReport?: (runDir: string) => string;
}

const lastOf = <T>(xs: readonly T[], f: (x: T) => number | undefined): number => xs.reduce((m, x) => Math.max(m, f(x) ?? 0), 0);

/** The end a job without one gets in the merged stream. */
function synthesizedEnd(rec: JobFileRecord, t: number): JobEndEvent {
  const message = rec.state === 'pending'
    ? `never ran: no jobs/${rec.index}/events.jsonl`
    : `did not end: jobs/${rec.index}/events.jsonl has no jobEnd (the task was killed, or is still running)`;
  return {
    type: 'jobEnd', v: PROTOCOL_VERSION, t, jobId: rec.jobId, status: 'failed', message, seconds: 0,
    epoch: lastOf(rec.events, (e) => (e.type === 'epoch' ? e.epoch : undefined)),
    step: lastOf(rec.events, (e) => (e.type === 'step' || e.type === 'epoch' ? e.step : undefined)),
  };
}

function outcomeOf(rec: JobFileRecord): JobOutcome {
  if (rec.end) return { index: rec.index, jobId: rec.jobId, state: rec.end.status, ...(rec.end.message ? { message: rec.end.message } : {}) };
  return { index: rec.index, jobId: rec.jobId, state: rec.state === 'pending' ? 'missing' : 'unfinished' };
}

/** The run's event stream from its job files, in job-index order, between runStart and runEnd. */
export function foldJobEvents(runId: string, config: ResolvedConfig, records: readonly JobFileRecord[], parallel: number): ActlabEvent[] {
  // A loop, not Math.min(...times): a big sweep has more events than a call has arguments.
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const r of records) for (const e of r.events) { t0 = Math.min(t0, e.t); t1 = Math.max(t1, e.t); }
  if (t0 === Infinity) t0 = t1 = Date.now();
  const body: ActlabEvent[] = [];
  const statuses: JobEndEvent['status'][] = [];
  for (const rec of records) {
    body.push(...rec.events);
    const end = rec.end ?? synthesizedEnd(rec, t1);
    if (!rec.end) body.push(end);
    statuses.push(end.status);
  }
  const status = combineJobStatuses(statuses);
  return [
    { type: 'runStart', v: PROTOCOL_VERSION, t: t0, runId, name: config.name, jobIds: config.jobs.map((j) => j.jobId), parallel },
    ...body,
    { type: 'runEnd', v: PROTOCOL_VERSION, t: t1, runId, status, seconds: (t1 - t0) / 1000 },
  ];
}

export function mergeRun(runDir: string, opts: MergeOptions = {}): MergeResult {
  const config = readPlannedConfig(runDir);
  const lock = readRunLock(runDir);
  const runId = lock?.runId ?? path.basename(runDir);
  const records = readJobFiles(runDir, config);
  const events = foldJobEvents(runId, config, records, lock?.submitted?.parallel ?? 1);
  const end = events[events.length - 1];
  const status: RunStatus = end?.type === 'runEnd' ? end.status : 'failed';
  writeFileAtomic(path.join(runDir, EVENTS_FILE), events.map((e) => `${encodeEvent(e)}\n`).join(''));
  const summary = summarize(config, events, runId);
  writeFileAtomic(path.join(runDir, SUMMARY_FILE), summaryJson(summary));
  const jobs = records.map(outcomeOf);
  const result: MergeResult = {
    runId, runDir, status, complete: jobs.every((j) => j.state === 'completed'), jobs, summary,
    warnings: records.flatMap((r) => r.warnings.map((w) => `jobs/${r.index}/${w}`)),
  };
  if (opts.writeReport) {
    try {
      result.report = opts.writeReport(runDir);
    } catch (err) {
      // The merged data is complete without the page; `actlab report` can write it later.
      result.warnings.push(`report.html not written: ${(err as Error).message}`);
    }
  }
  if (lock) {
    const now = new Date().toISOString();
    writeRunLock(runDir, { ...lock, status, ended: now, merged: { at: now, complete: result.complete } });
  }
  return result;
}
