/**
 * The runs this window started (pure Node, no vscode): starts them through the shared scheduler
 * (src/runner/scheduler.ts, the CLI's too, so both write the same run folders), keeps each run's
 * events in memory for panels that open or reload late, and cancels everything on shutdown.
 */
import type { BackendChoice, ResolvedConfig } from '../core/config';
import type { ActlabEvent, RunStatus } from '../core/protocol';
import { buildReportHtml } from '../report/reportHtml';
import { writeReportFile } from '../runner/reportFile';
import type { RunHandle, RunOptions, RunResult } from '../runner/scheduler';
import { ProgressTracker, type RunProgress } from './progress';
import { Signal } from './signal';

export interface StartRequest {
  resolved: ResolvedConfig;
  /** The .actlab.json the run came from (CodeLens and "run again" find runs by it). */
  configPath: string;
  outDir: string;
  parallel: number;
  backend?: BackendChoice;
}

export interface ActiveRun {
  readonly runId: string;
  readonly runDir: string;
  readonly configPath: string;
  readonly resolved: ResolvedConfig;
  /** Every event so far, in order (the replay for a panel that connects late). */
  readonly events: ActlabEvent[];
  readonly done: Promise<RunResult>;
  readonly startedAt: number;
  status: RunStatus;
  stopRequested: boolean;
  progress(): RunProgress;
  /** pids of this run's trainer processes alive now (shutdown and tests check none outlive it). */
  activePids(): number[];
}

export type RunChange = { kind: 'start' | 'progress' | 'end'; run: ActiveRun };

export interface RunManagerDeps {
  startRun: (opts: RunOptions) => RunHandle;
  trainerPath: string;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

/** Finished runs kept in memory for panels opened later; older ones are read from their folder. */
export const KEEP_FINISHED_RUNS = 5;

/** How long shutdown waits for trainers to stop politely before killing them. */
export const SHUTDOWN_GRACE_MS = 2000;
const SHUTDOWN_KILL_WAIT_MS = 1000;

interface Entry {
  run: ActiveRun;
  handle: RunHandle;
  tracker: ProgressTracker;
}

export class RunManager {
  /** Every event of every run this manager started (runDir, events). */
  readonly onEvents = new Signal<{ run: ActiveRun; events: ActlabEvent[] }>();
  readonly onChange = new Signal<RunChange>();
  private readonly entries = new Map<string, Entry>();
  /** Runs started here that ended, kept so a panel opened afterwards replays from memory. */
  private readonly finished = new Map<string, ActiveRun>();

  constructor(private readonly deps: RunManagerDeps) {}

  start(req: StartRequest): ActiveRun {
    const tracker = new ProgressTracker('', req.resolved.name, req.resolved.jobs.map((j) => ({ jobId: j.jobId, epochs: j.training.epochs })));
    const events: ActlabEvent[] = [];
    // Events emitted synchronously inside startRun (runStart) arrive before the handle exists.
    let entry: Entry | undefined;
    const early: ActlabEvent[] = [];
    const onEvent = (e: ActlabEvent): void => {
      if (!entry) { early.push(e); return; }
      this.accept(entry, [e]);
    };
    const handle = this.deps.startRun({
      resolved: req.resolved, outDir: req.outDir, parallel: req.parallel, trainerPath: this.deps.trainerPath,
      backend: req.backend, onEvent, env: this.deps.env,
      // report.html at the end, as from the CLI (the scheduler only calls the hook).
      writeReport: (dir) => writeReportFile(dir, buildReportHtml),
    });
    const now = this.deps.now ?? Date.now;
    const run: ActiveRun = {
      runId: handle.runId, runDir: handle.runDir, configPath: req.configPath, resolved: req.resolved, events,
      done: handle.done, startedAt: now(), status: 'running', stopRequested: false,
      progress: () => ({ ...tracker.snapshot(), runId: handle.runId }),
      activePids: () => handle.activePids(),
    };
    entry = { run, handle, tracker };
    this.entries.set(run.runDir, entry);
    this.onChange.fire({ kind: 'start', run });
    if (early.length) this.accept(entry, early);
    void handle.done.then(
      (result) => this.end(run.runDir, result.status),
      () => this.end(run.runDir, 'failed'),
    );
    return run;
  }

  private accept(entry: Entry, batch: ActlabEvent[]): void {
    let changed = false;
    for (const e of batch) {
      entry.run.events.push(e);
      entry.tracker.apply(e);
      if (e.type === 'jobStart' || e.type === 'epoch' || e.type === 'jobEnd') changed = true;
    }
    this.onEvents.fire({ run: entry.run, events: batch });
    if (changed) this.onChange.fire({ kind: 'progress', run: entry.run });
  }

  private end(runDir: string, status: RunStatus): void {
    const entry = this.entries.get(runDir);
    if (!entry) return;
    this.entries.delete(runDir);
    entry.run.status = status;
    this.finished.set(runDir, entry.run);
    for (const old of [...this.finished.keys()].slice(0, Math.max(0, this.finished.size - KEEP_FINISHED_RUNS))) this.finished.delete(old);
    this.onChange.fire({ kind: 'end', run: entry.run });
  }

  /** Active runs, oldest first. */
  active(): ActiveRun[] {
    return [...this.entries.values()].map((e) => e.run);
  }

  /** An active or finished run started by this manager, by run folder or run id. */
  get(runDirOrId: string): ActiveRun | undefined {
    const direct = this.entries.get(runDirOrId)?.run ?? this.finished.get(runDirOrId);
    if (direct) return direct;
    return [...this.entries.values()].map((e) => e.run).concat([...this.finished.values()]).find((r) => r.runId === runDirOrId);
  }

  isActive(runDir: string): boolean {
    return this.entries.has(runDir);
  }

  /** The newest active run of a config. */
  activeForConfig(configPath: string): ActiveRun | undefined {
    return this.active().filter((r) => r.configPath === configPath).pop();
  }

  /** Asks the run to stop (first call: polite; a second call kills its trainers). */
  stop(runDirOrId: string): boolean {
    const run = this.get(runDirOrId);
    const entry = run && this.entries.get(run.runDir);
    if (!entry) return false;
    entry.run.stopRequested = true;
    entry.handle.cancel();
    this.onChange.fire({ kind: 'progress', run: entry.run });
    return true;
  }

  /** Stops every active run and waits (bounded) until their trainers are gone. */
  async stopAll(graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
    const entries = [...this.entries.values()];
    if (entries.length === 0) return;
    for (const e of entries) { e.run.stopRequested = true; e.handle.cancel(); }
    const all = Promise.all(entries.map((e) => e.handle.done.catch(() => undefined)));
    if (await settlesWithin(all, graceMs)) return;
    for (const e of entries) if (this.entries.has(e.run.runDir)) e.handle.cancel(); // second cancel = kill
    await settlesWithin(all, SHUTDOWN_KILL_WAIT_MS);
  }

  dispose(): void {
    this.onEvents.clear();
    this.onChange.clear();
  }
}

function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void p.then(() => { clearTimeout(timer); resolve(true); });
  });
}
