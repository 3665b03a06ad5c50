/**
 * One trainer child process running one job. Owns the child's whole life: start, events,
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

export interface TrainerProcessOptions {
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

export interface TrainerProcess {
  readonly pid: number | undefined;
  /** Resolves after the child has exited, with the job's final event (received or synthesized). */
  readonly done: Promise<JobEndEvent>;
  /** Asks the trainer to stop; escalates to SIGTERM and SIGKILL if it does not. Idempotent. */
  cancel(): void;
  /** Immediate SIGKILL (a second Ctrl-C). The job still ends 'cancelled'. */
  kill(): void;
}

export function startTrainer(opts: TrainerProcessOptions): TrainerProcess {
  const { job, onEvent } = opts;
  const started = Date.now();
  let stderrTail = '';
  let lastEpoch = 0;
  let lastStep = 0;
  let jobEnd: JobEndEvent | undefined;
  let cancelRequested = false;
  let exited = false;
  const timers: NodeJS.Timeout[] = [];

  const child: ChildProcess = fork(opts.trainerPath, [], {
    // The host may run under tsx or with --inspect; none of that belongs in the trainer.
    execArgv: [],
    // stdout is ignored (tfjs prints banners there); stderr is kept for failure messages.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    // JSON IPC turns NaN/Infinity into null, and a diverged loss must arrive as NaN.
    serialization: 'advanced',
    env: opts.env ?? process.env,
  });

  const warn = (message: string): void => {
    onEvent({ type: 'log', v: PROTOCOL_VERSION, t: Date.now(), jobId: job.jobId, level: 'warn', message });
  };
  const send = (msg: HostToTrainer): void => {
    if (!child.connected) return;
    // The callback swallows "channel closed" races with a child that is already exiting.
    child.send(msg, (err) => { if (err && !exited) warn(`could not send '${msg.type}' to the trainer: ${err.message}`); });
  };
  const signal = (sig: NodeJS.Signals): void => {
    if (exited) return;
    try { child.kill(sig); } catch { /* already gone */ }
  };

  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
  });

  child.on('message', (raw: unknown) => {
    if (jobEnd) return; // nothing after the end counts
    const parsed = parseEvent(raw);
    if (typeof parsed === 'string') return warn(`invalid message from trainer: ${parsed}`);
    if (parsed.type === 'runStart' || parsed.type === 'runEnd') return warn(`trainer sent a run-level '${parsed.type}' event`);
    // One process, one job: an event for another job would corrupt that job's record.
    if (parsed.jobId !== undefined && parsed.jobId !== job.jobId) return warn(`trainer sent a '${parsed.type}' event for job '${parsed.jobId}'`);
    if ('epoch' in parsed && typeof parsed.epoch === 'number' && parsed.type !== 'probe') lastEpoch = Math.max(lastEpoch, parsed.epoch);
    if ('step' in parsed && typeof parsed.step === 'number') lastStep = Math.max(lastStep, parsed.step);
    if (parsed.type === 'jobEnd') {
      jobEnd = parsed;
      timers.push(setTimeout(() => signal('SIGKILL'), EXIT_AFTER_END_MS));
    }
    onEvent(parsed);
  });

  // 'error' fires when the process cannot be spawned or a signal cannot be delivered; the
  // 'close' handler below still settles the job.
  child.on('error', (err) => { stderrTail = `${stderrTail}\n${err.message}`.slice(-STDERR_TAIL_CHARS); });

  const done = new Promise<JobEndEvent>((resolve) => {
    // 'close' (not 'exit'): stderr has been fully read, so the tail is complete.
    child.on('close', (code, sig) => {
      exited = true;
      for (const t of timers) clearTimeout(t);
      if (jobEnd) return resolve(jobEnd);
      // A child we were stopping (or one stopped by Ctrl-C reaching its process group) ended
      // as the user asked; anything else is a failure, explained by its exit and stderr.
      const stopped = cancelRequested || sig === 'SIGINT';
      const status: JobStatus = stopped ? 'cancelled' : 'failed';
      const how = sig ? `signal ${sig}` : `code ${String(code)}`;
      const tail = stderrTail.trim();
      const message = stopped
        ? `cancelled (trainer ended by ${how})`
        : `trainer exited with ${how} without ending the job${tail ? `\n${tail}` : ''}`;
      const end: JobEndEvent = {
        type: 'jobEnd', v: PROTOCOL_VERSION, t: Date.now(), jobId: job.jobId, status,
        epoch: lastEpoch, step: lastStep, message, seconds: (Date.now() - started) / 1000,
      };
      jobEnd = end;
      onEvent(end);
      resolve(end);
    });
  });

  send({ type: 'start', v: PROTOCOL_VERSION, job, ...(opts.threads && opts.threads > 1 ? { threads: opts.threads } : {}) });

  return {
    get pid() { return child.pid; },
    done,
    cancel() {
      if (cancelRequested || exited || jobEnd) return;
      cancelRequested = true;
      send({ type: 'cancel', v: PROTOCOL_VERSION });
      timers.push(setTimeout(() => signal('SIGTERM'), opts.cancelTermMs ?? CANCEL_TERM_MS));
      timers.push(setTimeout(() => signal('SIGKILL'), opts.cancelKillMs ?? CANCEL_KILL_MS));
    },
    kill() {
      cancelRequested = true;
      signal('SIGKILL');
    },
  };
}
