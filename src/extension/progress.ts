/**
 * Progress of one run, folded from its events (pure). Feeds the status bar, the progress
 * notification and the CodeLens. A job that ends early (diverged, failed, cancelled) counts all
 * its epochs as done, so the fraction reaches 1 when every job has ended.
 */
import type { ActlabEvent, RunStatus } from '../core/protocol';

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
  private status: RunStatus = 'running';
  private readonly epochsDone = new Map<string, number>();
  private readonly started = new Set<string>();
  private readonly ended = new Map<string, string>();
  private readonly planned: Map<string, number>;

  constructor(readonly runId: string, readonly name: string, jobs: readonly PlannedJob[]) {
    this.planned = new Map(jobs.map((j) => [j.jobId, Math.max(1, j.epochs)]));
  }

  apply(e: ActlabEvent): void {
    switch (e.type) {
      case 'jobStart':
        this.started.add(e.jobId);
        if (!this.planned.has(e.jobId)) this.planned.set(e.jobId, Math.max(1, e.epochs));
        break;
      case 'epoch':
        this.epochsDone.set(e.jobId, Math.max(this.epochsDone.get(e.jobId) ?? 0, e.epoch));
        break;
      case 'jobEnd':
        this.ended.set(e.jobId, e.status);
        this.epochsDone.set(e.jobId, this.planned.get(e.jobId) ?? e.epoch);
        break;
      case 'runEnd':
        this.status = e.status;
        break;
      default:
        break;
    }
  }

  snapshot(): RunProgress {
    let total = 0;
    let done = 0;
    for (const [id, epochs] of this.planned) {
      total += epochs;
      done += Math.min(epochs, this.epochsDone.get(id) ?? 0);
    }
    const count = (s: string): number => [...this.ended.values()].filter((x) => x === s).length;
    return {
      runId: this.runId,
      name: this.name,
      status: this.status,
      jobsTotal: this.planned.size,
      jobsDone: this.ended.size,
      jobsRunning: [...this.started].filter((id) => !this.ended.has(id)).length,
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
