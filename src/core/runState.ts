/**
 * The one fold of events into per-job state (pure). The summary, the CSV export, the Runs view,
 * the panel and the reproduction scripts all read a run through it, so "what state is this job
 * in" and "what were its last and best numbers" have one answer and one set of status names.
 *
 * `applyEvent` is incremental and O(1) per event (plus O(metrics) for an epoch), so the panel can
 * fold a live stream; `foldEvents` is the same over a whole list. The state is mutated in place.
 *
 * Rules (the summary's, kept exactly — summary.json must not change for the same events):
 * - a job is 'queued' until its jobStart, then 'running', then what its jobEnd says; a jobStart
 *   after the jobEnd does not revive it.
 * - `last` is the last epoch event received; `epoch` the highest finished epoch.
 * - `best` per epoch metric with a direction (metrics table): the best finite value so far.
 * - `lastProbe` is the probe with the highest epoch (the latest received among equals).
 */
import type { JobSpec, ResolvedConfig } from './config';
import { isBetter, metricsAt, type MetricKey } from './metrics';
import {
  backendLabel, epochMetric, type ActlabEvent, type EpochEvent, type JobEndEvent, type JobStartEvent, type JobStatus,
  type ProbeEvent, type RunEndEvent, type RunStatus,
} from './protocol';

/** The one job status union: not started, training, or how it ended. */
export type JobPhase = 'queued' | 'running' | JobStatus;
/** The run as its events declare it: 'pending' until runStart. */
export type RunPhase = 'pending' | RunStatus;

export interface JobFold {
  jobId: string;
  /** Undefined for a job the events name but the config does not have (a config edited mid-run). */
  spec: JobSpec | undefined;
  status: JobPhase;
  /** Planned epochs: the config's, then the trainer's (jobStart). */
  epochs: number;
  /** 0 until jobStart. */
  stepsPerEpoch: number;
  /** Last finished epoch (the highest seen; 0 before the first). */
  epoch: number;
  start?: JobStartEvent;
  /** "wasm", or "wasm ×2" when trained on two threads (from jobStart). */
  backend?: string;
  threads?: number;
  /** The last epoch event received. */
  last?: EpochEvent;
  /** Every epoch event, in arrival order. */
  history: EpochEvent[];
  /** Best finite value per epoch metric that has a direction (lower or higher is better). */
  best: Partial<Record<MetricKey<'epoch'>, number>>;
  /** Every probe, in arrival order, and the latest by epoch. */
  probes: ProbeEvent[];
  lastProbe?: ProbeEvent;
  end?: JobEndEvent;
  /** From jobEnd: time to the end of training, and why it ended when not completed. */
  seconds?: number;
  message?: string;
}

export interface RunState<J extends JobFold = JobFold> {
  runId?: string;
  name?: string;
  status: RunPhase;
  /** From runEnd. */
  seconds?: number;
  end?: RunEndEvent;
  /** Jobs in config order, then any job first seen in the events. */
  jobs: Map<string, J>;
}

export function newJobFold(jobId: string, spec: JobSpec | undefined): JobFold {
  return { jobId, spec, status: 'queued', epochs: spec?.training.epochs ?? 0, stepsPerEpoch: 0, epoch: 0, history: [], best: {}, probes: [] };
}

/** A run state with one job per config job, before any event. */
export function createRunState(config: ResolvedConfig): RunState {
  return { status: 'pending', jobs: new Map(config.jobs.map((j) => [j.jobId, newJobFold(j.jobId, j)])) };
}

/** Metrics compared for `best`: those with a direction. */
const RANKED = metricsAt('epoch').filter((d) => d.better !== 'none');

/**
 * Applies one event; returns the job it touched (undefined for run-level events and job-less
 * logs). A job unknown to the state is added (with `spec` undefined) when `addUnknown` is set,
 * else the event is ignored for jobs and undefined returned.
 */
export function applyEvent<J extends JobFold>(s: RunState<J>, e: ActlabEvent, addUnknown?: (jobId: string) => J): J | undefined {
  switch (e.type) {
    case 'runStart':
      s.runId = e.runId;
      s.name = e.name;
      if (s.status === 'pending') s.status = 'running';
      return undefined;
    case 'runEnd':
      s.status = e.status;
      s.seconds = e.seconds;
      s.end = e;
      return undefined;
    case 'log':
      return e.jobId === undefined ? undefined : s.jobs.get(e.jobId);
    default:
      break;
  }
  let job = s.jobs.get(e.jobId);
  if (!job) {
    if (!addUnknown) return undefined;
    job = addUnknown(e.jobId);
    s.jobs.set(e.jobId, job);
  }
  switch (e.type) {
    case 'jobStart':
      if (job.status === 'queued') job.status = 'running';
      job.start = e;
      job.epochs = e.epochs;
      job.stepsPerEpoch = e.stepsPerEpoch;
      job.backend = backendLabel(e);
      job.threads = e.threads ?? 1;
      break;
    case 'epoch':
      job.epoch = Math.max(job.epoch, e.epoch);
      job.last = e;
      job.history.push(e);
      for (const d of RANKED) {
        const value = epochMetric(e, d.key);
        const b = job.best[d.key];
        if (value !== undefined && Number.isFinite(value) && (b === undefined || isBetter(d, value, b))) job.best[d.key] = value;
      }
      break;
    case 'probe':
      job.probes.push(e);
      if (!job.lastProbe || e.epoch >= job.lastProbe.epoch) job.lastProbe = e;
      break;
    case 'jobEnd':
      job.status = e.status;
      job.end = e;
      job.seconds = e.seconds;
      if (e.message !== undefined) job.message = e.message;
      break;
    default:
      break;
  }
  return job;
}

/** Folds a whole event list. Jobs the config lacks are kept (spec undefined) so exports keep their rows. */
export function foldEvents(config: ResolvedConfig, events: readonly ActlabEvent[]): RunState {
  const s = createRunState(config);
  const add = (jobId: string): JobFold => newJobFold(jobId, undefined);
  for (const e of events) applyEvent(s, e, add);
  return s;
}

/** A job of the config (spec known). */
export type ConfigJob<J extends JobFold = JobFold> = J & { spec: JobSpec };

export function configJobs<J extends JobFold>(s: RunState<J>): ConfigJob<J>[] {
  return [...s.jobs.values()].filter((j): j is ConfigJob<J> => j.spec !== undefined);
}

export const isEnded = (status: JobPhase): status is JobStatus => status !== 'queued' && status !== 'running';

/**
 * The run status from its jobs' statuses: completed only if all completed; otherwise the worst
 * ending, ranked cancelled > failed > diverged (a user's cancel explains everything after it; a
 * failure is a broken job, a divergence a legitimate result of the experiment).
 */
export function combineJobStatuses(statuses: readonly JobStatus[]): JobStatus {
  if (statuses.includes('cancelled')) return 'cancelled';
  if (statuses.includes('failed')) return 'failed';
  if (statuses.includes('diverged')) return 'diverged';
  return 'completed';
}

/**
 * The run's status for a summary: what runEnd said; without one (a live or crashed run), the
 * combined ending once every config job has ended, else 'running'.
 */
export function runStatusOf(s: RunState): RunStatus {
  if (s.end) return s.end.status;
  const ended: JobStatus[] = [];
  for (const j of configJobs(s)) {
    if (!isEnded(j.status)) return 'running';
    ended.push(j.status);
  }
  return ended.length > 0 ? combineJobStatuses(ended) : 'running';
}
