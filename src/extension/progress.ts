/**
 * Progress of one run, folded from its events (pure). Feeds the status bar, the progress
 * notification and the CodeLens. A job that ends early (diverged, failed, cancelled) counts all
 * its epochs as done, so the fraction reaches 1 when every job has ended. Job states come from the
 * shared fold (core/runState); this file only counts.
 */
import type { ActlabEvent, RunStatus } from '../core/protocol';
import { applyEvent, isEnded, newJobFold, type JobFold, type RunState } from '../core/runState';

export interface RunProgress {
  runId: string;
  name: string;
  status: RunStatus;
  jobsTotal: number;
  jobsDone: number;
  jobsRunning: number;
  diverged: number;
  failed: number;
  cancelled: number;
  /** 0..1 over all planned epochs of all jobs. */
  fraction: number;
}

export interface PlannedJob {
  jobId: string;
  epochs: number;
}

export class ProgressTracker {
  private readonly state: RunState;

  constructor(readonly runId: string, readonly name: string, jobs: readonly PlannedJob[]) {
    this.state = {
      status: 'pending',
      jobs: new Map(jobs.map((j) => [j.jobId, { ...newJobFold(j.jobId, undefined), epochs: j.epochs }])),
    };
  }

  apply(e: ActlabEvent): void {
    applyEvent(this.state, e, (jobId) => newJobFold(jobId, undefined));
  }

  snapshot(): RunProgress {
    let total = 0;
    let done = 0;
    const jobs: JobFold[] = [...this.state.jobs.values()];
    for (const j of jobs) {
      const planned = Math.max(1, j.epochs);
      total += planned;
      done += isEnded(j.status) ? planned : Math.min(planned, j.epoch);
    }
    const count = (s: string): number => jobs.filter((j) => j.status === s).length;
    return {
      runId: this.runId,
      name: this.name,
      status: this.state.status === 'pending' ? 'running' : this.state.status,
      jobsTotal: jobs.length,
      jobsDone: jobs.filter((j) => isEnded(j.status)).length,
      jobsRunning: count('running'),
      diverged: count('diverged'),
      failed: count('failed'),
      cancelled: count('cancelled'),
      fraction: total > 0 ? done / total : 0,
    };
  }
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "3/12 jobs · 40% · 1 diverged" */
export function progressMessage(p: RunProgress): string {
  const parts = [`${p.jobsDone}/${plural(p.jobsTotal, 'job')}`, `${Math.floor(p.fraction * 100)}%`];
  if (p.diverged) parts.push(`${p.diverged} diverged`);
  if (p.failed) parts.push(`${p.failed} failed`);
  return parts.join(' · ');
}

/** Status bar text for every active run together; empty when nothing runs. */
export function statusBarText(runs: readonly RunProgress[]): string {
  if (runs.length === 0) return '';
  const jobsDone = runs.reduce((s, r) => s + r.jobsDone, 0);
  const jobsTotal = runs.reduce((s, r) => s + r.jobsTotal, 0);
  const frac = runs.reduce((s, r) => s + r.fraction * r.jobsTotal, 0) / Math.max(1, jobsTotal);
  const what = runs.length === 1 ? runs[0].name : plural(runs.length, 'run');
  return `$(beaker~spin) ${what}: ${jobsDone}/${jobsTotal} jobs · ${Math.floor(frac * 100)}%`;
}

/** One line for the end of a run (notification and log). */
export function endMessage(p: RunProgress, seconds: number): string {
  const time = seconds >= 90 ? `${(seconds / 60).toFixed(1)} min` : `${seconds.toFixed(1)} s`;
  const extra = [p.diverged && `${p.diverged} diverged`, p.failed && `${p.failed} failed`, p.cancelled && `${p.cancelled} cancelled`]
    .filter(Boolean).join(', ');
  return `${p.name}: ${p.status} — ${plural(p.jobsTotal, 'job')} in ${time}${extra ? ` (${extra})` : ''}`;
}
