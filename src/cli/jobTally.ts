/**
 * Jobs counted by what happened to them, from a run's events alone, over the shared fold
 * (src/core/runState.ts). The one difference from summary.json's statuses: a job cancelled
 * before its trainer sent `jobStart` is "not started", not "cancelled", so that a Ctrl-C on a
 * 12-job sweep reads "2 completed, 10 not started" rather than "12/12".
 */
import type { ActlabEvent, JobStatus } from '../core/protocol';
import { applyEvent, newJobFold, type RunState } from '../core/runState';

export type JobState = JobStatus | 'not started' | 'running' | 'queued';

/** The order counts are shown in: what finished, then what did not. */
const ORDER: JobState[] = ['completed', 'diverged', 'failed', 'cancelled', 'not started', 'running', 'queued'];

export interface JobTally {
  total: number;
  /** Jobs with a jobEnd (every state but running and queued). */
  ended: number;
  byState: Map<JobState, number>;
  /** Jobs that ended without ever starting. */
  notStarted: Set<string>;
}

/** `jobIds`: every job of the run (config.json); events may name only some of them. */
export function tallyJobs(jobIds: readonly string[], events: Iterable<ActlabEvent>): JobTally {
  const run: RunState = { status: 'pending', jobs: new Map(jobIds.map((id) => [id, newJobFold(id, undefined)])) };
  for (const e of events) applyEvent(run, e);
  const byState = new Map<JobState, number>();
  const notStarted = new Set<string>();
  let ended = 0;
  for (const id of jobIds) {
    const job = run.jobs.get(id)!;
    if (job.end) ended++;
    const state: JobState = job.status === 'cancelled' && !job.start ? 'not started' : job.status;
    if (state === 'not started') notStarted.add(id);
    byState.set(state, (byState.get(state) ?? 0) + 1);
  }
  return { total: jobIds.length, ended, byState, notStarted };
}

/** "2 completed, 10 not started" (states in a fixed order, zeros left out). */
export function describeTally(t: JobTally): string {
  return ORDER.filter((s) => (t.byState.get(s) ?? 0) > 0).map((s) => `${t.byState.get(s)} ${s}`).join(', ') || 'no jobs';
}
