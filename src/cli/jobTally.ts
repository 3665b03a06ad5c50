/**
 * Jobs counted by what happened to them, from a run's events alone.
 *
 * A stand-in, kept small on purpose: src/core is getting a shared fold of events into per-job
 * state; when it lands, `tallyJobs` should become a thin count over it. Until then this is the
 * one place the CLI decides a job's state. The difference from summary.json's statuses: a job
 * cancelled before its trainer sent `jobStart` is "not started", not "cancelled", so that a
 * Ctrl-C on a 12-job sweep reads "2 completed, 10 not started" rather than "12/12".
 */
import type { ActlabEvent, JobStatus } from '../core/protocol';

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
  const started = new Set<string>();
  const ended = new Map<string, JobStatus>();
  for (const e of events) {
    if (e.type === 'jobStart') started.add(e.jobId);
    else if (e.type === 'jobEnd' && !ended.has(e.jobId)) ended.set(e.jobId, e.status);
  }
  const byState = new Map<JobState, number>();
  const notStarted = new Set<string>();
  for (const id of jobIds) {
    const end = ended.get(id);
    let state: JobState;
    if (end === 'cancelled' && !started.has(id)) {
      state = 'not started';
      notStarted.add(id);
    } else {
      state = end ?? (started.has(id) ? 'running' : 'queued');
    }
    byState.set(state, (byState.get(state) ?? 0) + 1);
  }
  const endedCount = jobIds.filter((id) => ended.has(id)).length;
  return { total: jobIds.length, ended: endedCount, byState, notStarted };
}

/** "2 completed, 10 not started" (states in a fixed order, zeros left out). */
export function describeTally(t: JobTally): string {
  return ORDER.filter((s) => (t.byState.get(s) ?? 0) > 0).map((s) => `${t.byState.get(s)} ${s}`).join(', ') || 'no jobs';
}
