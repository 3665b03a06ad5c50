/**
 * Runs a resolved config's jobs: FIFO, at most `parallel` trainer processes at once, every
 * event to the run store and to `onEvent`. The one scheduler for the CLI and the extension.
 *
 * Run status: 'completed' when every job completed; otherwise the worst job ending, ranked
 * cancelled > failed > diverged (see combineJobStatuses). A run the user cancelled is
 * 'cancelled' whatever else happened.
 */
import { availableParallelism } from 'node:os';
import type { BackendChoice, JobSpec, ResolvedConfig } from '../core/config';
import { PROTOCOL_VERSION, type ActlabEvent, type JobEndEvent, type JobStatus, type RunStatus } from '../core/protocol';
import { writeReport } from '../report/writeReport';
import { combineJobStatuses, summarize, type Summary } from '../core/summary';
import { threadsPerJob } from '../core/threads';
import { RunStore } from './runStore';
import { startTrainer, type TrainerProcess } from './trainerProcess';

export interface RunOptions {
  resolved: ResolvedConfig;
  outDir: string;
  parallel: number;
  trainerPath: string;
  backend?: BackendChoice;
  runId?: string;
  onEvent?: (e: ActlabEvent) => void;
  /**
   * Threads each trainer may use; default: the cores divided among the trainers that run at
   * once (one job alone gets them all). Decided once, so every job of a run trains alike.
   */
  threads?: number;
  /** Cores to divide (default: os.availableParallelism()). */
  cores?: number;
  /** Environment for the trainer processes (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Writes report.html at the end (default: src/report/writeReport; false: no report). A
   * throw is logged as a warning and the run stays good. */
  writeReport?: ((runDir: string) => string) | false;
}

export interface RunResult {
  runId: string;
  runDir: string;
  status: RunStatus;
  jobs: Record<string, JobStatus>;
  summary: Summary;
}

export interface RunHandle {
  runId: string;
  runDir: string;
  done: Promise<RunResult>;
  /** First call: queued jobs end 'cancelled', running trainers are asked to stop (with
   * escalation). A second call kills running trainers at once. */
  cancel(): void;
  /** pids of the trainer processes alive now (for diagnostics and tests). */
  activePids(): number[];
}

export function startRun(opts: RunOptions): RunHandle {
  // The backend override is part of what ran, so config.json records it too.
  const resolved: ResolvedConfig = opts.backend
    ? { ...opts.resolved, jobs: opts.resolved.jobs.map((j) => ({ ...j, backend: opts.backend as BackendChoice })) }
    : opts.resolved;
  const parallel = Math.max(1, Math.floor(opts.parallel) || 1);
  const threads = opts.threads ?? threadsPerJob(opts.cores ?? availableParallelism(), parallel, resolved.jobs.length);
  const store = RunStore.create(opts.outDir, resolved, opts.runId);
  const events: ActlabEvent[] = [];
  const statuses: Record<string, JobStatus> = {};
  const running = new Map<string, TrainerProcess>();
  const queue: JobSpec[] = [...resolved.jobs];
  const started = Date.now();
  let cancelCount = 0;
  let finished = false;

  const emit = (e: ActlabEvent): void => {
    events.push(e);
    store.append(e);
    if (opts.onEvent) {
      // A faulty listener must not stop the run or the record of it.
      try { opts.onEvent(e); } catch { /* ignored */ }
    }
  };
  const snapshot = (): Summary => summarize(resolved, events, store.runId);

  emit({
    type: 'runStart', v: PROTOCOL_VERSION, t: started, runId: store.runId, name: resolved.name,
    jobIds: resolved.jobs.map((j) => j.jobId), parallel,
  });

  let resolveDone: (r: RunResult) => void = () => undefined;
  const done = new Promise<RunResult>((r) => { resolveDone = r; });

  const onJobEnd = (e: JobEndEvent): void => {
    statuses[e.jobId] = e.status;
    store.writeSummary(snapshot());
  };

  const finish = (): void => {
    if (finished) return;
    finished = true;
    const status: RunStatus = cancelCount > 0 ? 'cancelled' : combineJobStatuses(Object.values(statuses));
    emit({ type: 'runEnd', v: PROTOCOL_VERSION, t: Date.now(), runId: store.runId, status, seconds: (Date.now() - started) / 1000 });
    const summary = snapshot();
    store.writeSummary(summary);
    const report = opts.writeReport ?? writeReport;
    if (report) {
      try {
        report(store.runDir);
      } catch (err) {
        // The run's data is complete without the report; `actlab report` can write it later.
        emit({ type: 'log', v: PROTOCOL_VERSION, t: Date.now(), level: 'warn', message: `report.html not written: ${(err as Error).message}` });
      }
    }
    store.finish(status);
    resolveDone({ runId: store.runId, runDir: store.runDir, status, jobs: { ...statuses }, summary });
  };

  const pump = (): void => {
    while (cancelCount === 0 && running.size < parallel && queue.length > 0) {
      const job = queue.shift() as JobSpec;
      const tp = startTrainer({
        trainerPath: opts.trainerPath, job, env: opts.env, threads,
        onEvent: (e) => {
          emit(e);
          if (e.type === 'jobEnd') onJobEnd(e);
        },
      });
      running.set(job.jobId, tp);
      void tp.done.then(() => {
        running.delete(job.jobId);
        pump();
        if (running.size === 0 && (queue.length === 0 || cancelCount > 0)) finish();
      });
    }
  };

  const cancel = (): void => {
    cancelCount++;
    if (cancelCount === 1) {
      for (const job of queue.splice(0)) {
        const e: JobEndEvent = {
          type: 'jobEnd', v: PROTOCOL_VERSION, t: Date.now(), jobId: job.jobId, status: 'cancelled',
          epoch: 0, step: 0, seconds: 0, message: 'cancelled before it started',
        };
        emit(e);
        onJobEnd(e);
      }
      for (const tp of running.values()) tp.cancel();
      if (running.size === 0) finish();
    } else {
      for (const tp of running.values()) tp.kill();
    }
  };

  if (queue.length === 0) {
    // Nothing to run: still a well-formed run folder.
    setImmediate(finish);
  } else {
    pump();
  }

  return {
    runId: store.runId,
    runDir: store.runDir,
    done,
    cancel,
    activePids: () => [...running.values()].map((t) => t.pid).filter((p): p is number => p !== undefined),
  };
}
