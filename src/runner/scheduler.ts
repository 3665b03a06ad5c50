/**
 * Runs a resolved config's jobs: FIFO, at most `parallel` trainer processes at once, every
 * event to the run store and to `onEvent`. The one scheduler for the CLI and the extension.
 *
 * GPU jobs: one at a time (GPU_JOBS_AT_ONCE), while CPU jobs take the other slots (they may
 * overtake a GPU job waiting for the device). A job asking for 'webgpu' is a GPU job until
 * one such job reports (jobStart) that it fell back to the CPU; a job of another choice
 * ('auto', 'tensorflow') becomes one once a job of that choice reports a GPU backend.
 *
 * Run status: 'completed' when every job completed; otherwise the worst job ending, ranked
 * cancelled > failed > diverged (see combineJobStatuses). A run the user cancelled is
 * 'cancelled' whatever else happened. A run whose events.jsonl could not be written (a full
 * disk) stops and is 'failed', with the reason in run.json and RunResult.error.
 */
import { availableParallelism } from 'node:os';
import type { BackendChoice, JobSpec, ResolvedConfig } from '../core/config';
import { PROTOCOL_VERSION, type ActlabEvent, type JobEndEvent, type JobStatus, type RunStatus } from '../core/protocol';
import { combineJobStatuses, SummaryBuilder, type Summary } from '../core/summary';
import { GPU_BACKENDS, GPU_JOBS_AT_ONCE, threadsPerJob } from '../core/threads';
import { RunStore } from './runStore';
import { startTrainer, type TrainerHandle } from './trainerProcess';

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
  /**
   * Writes report.html once the run's data is complete (before run.json says it ended). The
   * runner does not build pages (src/report does), so the CLI and the extension pass
   * `(dir) => writeReportFile(dir, buildReportHtml)`; without it, no report. A throw is
   * logged as a warning and the run stays good. `run` is what was written, from memory (a
   * hook may ignore it and read the folder).
   */
  writeReport?: (runDir: string, run: { config: ResolvedConfig; events: readonly ActlabEvent[] }) => string;
}

export interface RunResult {
  runId: string;
  runDir: string;
  status: RunStatus;
  jobs: Record<string, JobStatus>;
  summary: Summary;
  /** What could not be written in the run folder ("disk full writing events.jsonl at …"). */
  error?: string;
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
  const run = new ScheduledRun(opts);
  run.begin();
  return {
    runId: run.store.runId,
    runDir: run.store.runDir,
    done: run.done,
    cancel: () => run.cancel(),
    activePids: () => run.activePids(),
  };
}

/** The backend override is part of what ran, so config.json records it too. */
function withBackend(resolved: ResolvedConfig, backend: BackendChoice | undefined): ResolvedConfig {
  return backend ? { ...resolved, jobs: resolved.jobs.map((j) => ({ ...j, backend })) } : resolved;
}

/** One run's state; each method is one step of its life (begin, pump, job end, cancel, finish). */
class ScheduledRun {
  readonly store: RunStore;
  readonly done: Promise<RunResult>;
  private readonly resolved: ResolvedConfig;
  private readonly parallel: number;
  private readonly threads: number;
  private readonly events: ActlabEvent[] = [];
  /** summary.json at each jobEnd, updated per event rather than refolded from all of them. */
  private readonly summaryBuilder: SummaryBuilder;
  private readonly statuses: Record<string, JobStatus> = {};
  private readonly running = new Map<string, TrainerHandle>();
  private readonly queue: JobSpec[];
  /** Backend choices that train on the GPU here (learned from jobStart), and the GPU jobs running. */
  private readonly gpuChoices = new Set<BackendChoice>(['webgpu']);
  private readonly gpuRunning = new Set<string>();
  private readonly started = Date.now();
  private cancelCount = 0;
  private finished = false;
  /** Derived files (summary.json, report.html) that could not be written; the first is reported. */
  private readonly problems: string[] = [];
  private resolveDone: (r: RunResult) => void = () => undefined;

  constructor(private readonly opts: RunOptions) {
    this.resolved = withBackend(opts.resolved, opts.backend);
    this.parallel = Math.max(1, Math.floor(opts.parallel) || 1);
    this.threads = opts.threads ?? threadsPerJob(opts.cores ?? availableParallelism(), this.parallel, this.resolved.jobs.length);
    this.store = RunStore.create(opts.outDir, this.resolved, opts.runId);
    this.summaryBuilder = new SummaryBuilder(this.resolved, this.store.runId);
    this.queue = [...this.resolved.jobs];
    this.done = new Promise<RunResult>((r) => { this.resolveDone = r; });
  }

  begin(): void {
    this.emit({
      type: 'runStart', v: PROTOCOL_VERSION, t: this.started, runId: this.store.runId, name: this.resolved.name,
      jobIds: this.resolved.jobs.map((j) => j.jobId), parallel: this.parallel,
    });
    // Nothing to run: still a well-formed run folder.
    if (this.queue.length === 0) setImmediate(() => this.finish());
    else this.pump();
  }

  activePids(): number[] {
    return [...this.running.values()].map((t) => t.pid).filter((p): p is number => p !== undefined);
  }

  /**
   * First call: queued jobs end 'cancelled', running trainers are asked to stop; later: kill.
   * However long the queue, this is one append and one summary write, so it returns at once
   * and a second Ctrl-C is seen.
   */
  cancel(): void {
    this.cancelCount++;
    if (this.cancelCount > 1) {
      for (const tp of this.running.values()) tp.kill();
      return;
    }
    this.cancelQueued('cancelled before it started');
    for (const tp of this.running.values()) tp.cancel();
    if (this.running.size === 0) this.finish();
  }

  private emit(e: ActlabEvent): void {
    this.emitMany([e]);
  }

  private emitMany(events: readonly ActlabEvent[]): void {
    for (const e of events) { this.events.push(e); this.summaryBuilder.apply(e); }
    const failedBefore = this.store.failure;
    this.store.appendMany(events);
    if (this.opts.onEvent) {
      // A faulty listener must not stop the run or the record of it.
      for (const e of events) try { this.opts.onEvent(e); } catch { /* ignored */ }
    }
    if (!failedBefore && this.store.failure) this.onStorageFailure();
  }

  /** events.jsonl cannot be written: nothing more can be recorded, so the run stops. */
  private onStorageFailure(): void {
    if (this.cancelCount > 0 || this.finished) return;
    this.cancelCount++;
    this.cancelQueued(`not run: ${this.store.failure?.message ?? 'the run folder cannot be written'}`);
    for (const tp of this.running.values()) tp.cancel();
    if (this.running.size === 0) setImmediate(() => this.finish());
  }

  private writeSummary(summary: Summary): void {
    try {
      this.store.writeSummary(summary);
    } catch (err) {
      // summary.json is derived from events.jsonl; the run goes on and says so at the end.
      if (this.problems.length === 0) this.problems.push((err as Error).message);
    }
  }

  private snapshot(): Summary {
    return this.summaryBuilder.summary();
  }

  /** Starts queued jobs while there is room: the first in the queue, or the first CPU job while the GPU is taken. */
  private pump(): void {
    while (this.cancelCount === 0 && this.running.size < this.parallel && this.queue.length > 0) {
      const gpuFree = this.gpuRunning.size < GPU_JOBS_AT_ONCE;
      const next = gpuFree ? 0 : this.queue.findIndex((j) => !this.gpuChoices.has(j.backend));
      if (next < 0) break;
      this.startJob(this.queue.splice(next, 1)[0]!);
    }
  }

  private startJob(job: JobSpec): void {
    if (this.gpuChoices.has(job.backend)) this.gpuRunning.add(job.jobId);
    const tp = startTrainer({
      trainerPath: this.opts.trainerPath, job, env: this.opts.env, threads: this.threads,
      onEvent: (e) => {
        if (e.type === 'jobStart') this.onJobStart(job, GPU_BACKENDS.includes(e.backend.name));
        this.emit(e);
        if (e.type === 'jobEnd') this.onJobEnd(e);
      },
    });
    this.running.set(job.jobId, tp);
    void tp.done.then(() => this.onTrainerExit(job.jobId));
  }

  /** What the backend turned out to be: the choice is (or is not) a GPU one on this machine. */
  private onJobStart(job: JobSpec, onGpu: boolean): void {
    if (onGpu) {
      this.gpuChoices.add(job.backend);
      this.gpuRunning.add(job.jobId);
    } else {
      this.gpuChoices.delete(job.backend);
      this.gpuRunning.delete(job.jobId);
      this.pump();
    }
  }

  private onTrainerExit(jobId: string): void {
    this.running.delete(jobId);
    this.gpuRunning.delete(jobId);
    this.pump();
    if (this.running.size === 0 && (this.queue.length === 0 || this.cancelCount > 0)) this.finish();
  }

  private onJobEnd(e: JobEndEvent): void {
    this.statuses[e.jobId] = e.status;
    if (!this.store.failure) this.writeSummary(this.snapshot());
  }

  /** Ends every queued job 'cancelled' with one append (10,000 jobs: one write, not 10,000). */
  private cancelQueued(message: string): void {
    const jobs = this.queue.splice(0);
    if (jobs.length === 0) return;
    const t = Date.now();
    const ends = jobs.map((job): JobEndEvent => ({
      type: 'jobEnd', v: PROTOCOL_VERSION, t, jobId: job.jobId, status: 'cancelled', epoch: 0, step: 0, seconds: 0, message,
    }));
    for (const e of ends) this.statuses[e.jobId] = e.status;
    this.emitMany(ends);
    // No summary here: the trainers still running stop within seconds (cancel escalates to
    // SIGKILL) and finish() then writes the one summary with every job's ending.
  }

  private finalStatus(): RunStatus {
    if (this.store.failure) return 'failed';
    return this.cancelCount > 0 ? 'cancelled' : combineJobStatuses(Object.values(this.statuses));
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    let status = this.finalStatus();
    this.emit({ type: 'runEnd', v: PROTOCOL_VERSION, t: Date.now(), runId: this.store.runId, status, seconds: (Date.now() - this.started) / 1000 });
    if (this.store.failure) status = 'failed'; // the runEnd itself could not be recorded
    const failure = this.store.failure;
    const summary = this.snapshot();
    // After a failed append the folder's events are incomplete: no summary or report from them.
    if (!failure) {
      this.writeSummary(summary);
      this.writeReport();
    }
    // What failed first: events.jsonl, else summary.json or report.html (a log line about the
    // report that did not fit either is not the news).
    const error = failure?.message ?? this.problems[0] ?? this.store.failure?.message;
    const lockError = this.store.finish(status, error);
    const reported = error ?? lockError?.message;
    this.resolveDone({
      runId: this.store.runId, runDir: this.store.runDir, status, jobs: { ...this.statuses }, summary, ...(reported ? { error: reported } : {}),
    });
  }

  private writeReport(): void {
    if (!this.opts.writeReport) return;
    try {
      this.opts.writeReport(this.store.runDir, { config: this.resolved, events: this.events });
    } catch (err) {
      // The run's data is complete without the report; `actlab report` can write it later.
      const message = `report.html not written: ${(err as Error).message}`;
      this.problems.push(message);
      this.emit({ type: 'log', v: PROTOCOL_VERSION, t: Date.now(), level: 'warn', message });
    }
  }
}
