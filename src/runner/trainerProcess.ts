/**
 * One trainer child process running one job, seen from the host (the trainer's own side of the
 * process is src/trainer/main.ts). Owns the child's whole life: start, events,
 * cancellation with escalation, and a guaranteed final jobEnd even when the child dies silently.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { JobSpec } from '../core/config';
import {
  PROTOCOL_VERSION, parseEvent, type HostToTrainer, type JobEndEvent, type JobStatus, type TrainerEvent,
} from '../core/protocol';

/** After a cancel message, how long the trainer gets before SIGTERM, then before SIGKILL. */
export const CANCEL_TERM_MS = 1500;
export const CANCEL_KILL_MS = 5000;
/** A trainer that sent its jobEnd should exit promptly; after this it is killed. */
const EXIT_AFTER_END_MS = 5000;
/** How much of the child's stderr is kept for a failure message. */
const STDERR_TAIL_CHARS = 2000;

export interface TrainerStartOptions {
  trainerPath: string;
  job: JobSpec;
  /** Threads the job may use (see the start message); default 1. */
  threads?: number;
  /** Every event, validated; malformed messages arrive as 'log' warnings. */
  onEvent: (e: TrainerEvent) => void;
  env?: NodeJS.ProcessEnv;
  /** Escalation delays after cancel() (defaults CANCEL_TERM_MS, CANCEL_KILL_MS). */
  cancelTermMs?: number;
  cancelKillMs?: number;
}

/** The host's handle on a running trainer process. */
export interface TrainerHandle {
  readonly pid: number | undefined;
  /** Resolves after the child has exited, with the job's final event (received or synthesized). */
  readonly done: Promise<JobEndEvent>;
  /** Asks the trainer to stop; escalates to SIGTERM and SIGKILL if it does not. Idempotent. */
  cancel(): void;
  /** Immediate SIGKILL (a second Ctrl-C). The job still ends 'cancelled'. */
  kill(): void;
}

export function startTrainer(opts: TrainerStartOptions): TrainerHandle {
  const child = new TrainerChild(opts, spawnTrainer(opts));
  child.start();
  return child;
}

function spawnTrainer(opts: TrainerStartOptions): ChildProcess {
  return fork(opts.trainerPath, [], {
    // The host may run under tsx or with --inspect; none of that belongs in the trainer.
    execArgv: [],
    // stdout is ignored (tfjs prints banners there); stderr is kept for failure messages.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    // JSON IPC turns NaN/Infinity into null, and a diverged loss must arrive as NaN.
    serialization: 'advanced',
    env: opts.env ?? process.env,
  });
}

/** Why a child that exited without a jobEnd ended: as the user asked, or a failure. */
function silentEnd(stopped: boolean, code: number | null, sig: NodeJS.Signals | null, stderrTail: string): { status: JobStatus; message: string } {
  const how = sig ? `signal ${sig}` : `code ${String(code)}`;
  const tail = stderrTail.trim();
  return stopped
    ? { status: 'cancelled', message: `cancelled (trainer ended by ${how})` }
    : { status: 'failed', message: `trainer exited with ${how} without ending the job${tail ? `\n${tail}` : ''}` };
}

class TrainerChild implements TrainerHandle {
  readonly done: Promise<JobEndEvent>;
  private readonly started = Date.now();
  private stderrTail = '';
  private lastEpoch = 0;
  private lastStep = 0;
  private jobEnd: JobEndEvent | undefined;
  private cancelRequested = false;
  private exited = false;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly opts: TrainerStartOptions, private readonly child: ChildProcess) {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => this.keepStderr(chunk));
    child.on('message', (raw: unknown) => this.onMessage(raw));
    // 'error' fires when the process cannot be spawned or a signal cannot be delivered; the
    // 'close' handler still settles the job.
    child.on('error', (err) => this.keepStderr(`\n${err.message}`));
    this.done = new Promise<JobEndEvent>((resolve) => {
      // 'close' (not 'exit'): stderr has been fully read, so the tail is complete.
      child.on('close', (code, sig) => resolve(this.onClose(code, sig)));
    });
  }

  get pid(): number | undefined { return this.child.pid; }

  start(): void {
    const { job, threads } = this.opts;
    this.send({ type: 'start', v: PROTOCOL_VERSION, job, ...(threads && threads > 1 ? { threads } : {}) });
  }

  cancel(): void {
    if (this.cancelRequested || this.exited || this.jobEnd) return;
    this.cancelRequested = true;
    this.send({ type: 'cancel', v: PROTOCOL_VERSION });
    this.timers.push(setTimeout(() => this.signal('SIGTERM'), this.opts.cancelTermMs ?? CANCEL_TERM_MS));
    this.timers.push(setTimeout(() => this.signal('SIGKILL'), this.opts.cancelKillMs ?? CANCEL_KILL_MS));
  }

  kill(): void {
    this.cancelRequested = true;
    this.signal('SIGKILL');
  }

  private keepStderr(text: string): void {
    this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_CHARS);
  }

  private warn(message: string): void {
    this.opts.onEvent({ type: 'log', v: PROTOCOL_VERSION, t: Date.now(), jobId: this.opts.job.jobId, level: 'warn', message });
  }

  private send(msg: HostToTrainer): void {
    if (!this.child.connected) return;
    // The callback swallows "channel closed" races with a child that is already exiting.
    this.child.send(msg, (err) => { if (err && !this.exited) this.warn(`could not send '${msg.type}' to the trainer: ${err.message}`); });
  }

  private signal(sig: NodeJS.Signals): void {
    if (this.exited) return;
    try { this.child.kill(sig); } catch { /* already gone */ }
  }

  /** Validates one IPC message; a problem becomes a warning, never an event of the job. */
  private accept(raw: unknown): TrainerEvent | undefined {
    const parsed = parseEvent(raw);
    if (typeof parsed === 'string') return void this.warn(`invalid message from trainer: ${parsed}`);
    if (parsed.type === 'runStart' || parsed.type === 'runEnd') return void this.warn(`trainer sent a run-level '${parsed.type}' event`);
    // One process, one job: an event for another job would corrupt that job's record.
    const jobId = this.opts.job.jobId;
    if (parsed.jobId !== undefined && parsed.jobId !== jobId) return void this.warn(`trainer sent a '${parsed.type}' event for job '${parsed.jobId}'`);
    return parsed;
  }

  private onMessage(raw: unknown): void {
    if (this.jobEnd) return; // nothing after the end counts
    const e = this.accept(raw);
    if (!e) return;
    if ('epoch' in e && typeof e.epoch === 'number' && e.type !== 'probe') this.lastEpoch = Math.max(this.lastEpoch, e.epoch);
    if ('step' in e && typeof e.step === 'number') this.lastStep = Math.max(this.lastStep, e.step);
    if (e.type === 'jobEnd') {
      this.jobEnd = e;
      this.timers.push(setTimeout(() => this.signal('SIGKILL'), EXIT_AFTER_END_MS));
    }
    this.opts.onEvent(e);
  }

  /** The job's final event: the one received, or one synthesized from how the child exited. */
  private onClose(code: number | null, sig: NodeJS.Signals | null): JobEndEvent {
    this.exited = true;
    for (const t of this.timers) clearTimeout(t);
    if (this.jobEnd) return this.jobEnd;
    // A child we were stopping (or one stopped by Ctrl-C reaching its process group) ended
    // as the user asked; anything else is a failure, explained by its exit and stderr.
    const { status, message } = silentEnd(this.cancelRequested || sig === 'SIGINT', code, sig, this.stderrTail);
    const end: JobEndEvent = {
      type: 'jobEnd', v: PROTOCOL_VERSION, t: Date.now(), jobId: this.opts.job.jobId, status,
      epoch: this.lastEpoch, step: this.lastStep, message, seconds: (Date.now() - this.started) / 1000,
    };
    this.jobEnd = end;
    this.opts.onEvent(end);
    return end;
  }
}
