/**
 * Trainer process entry (dist/trainer.js).
 * - Forked by the host: waits for {type:'start', job}, sends every event with process.send;
 *   {type:'cancel'}, SIGTERM or SIGINT end the job as 'cancelled'; the host going away
 *   (IPC disconnect) ends the process at once.
 * - By hand: `node dist/trainer.js --job job.json` writes events as JSON lines to stdout.
 * Exit code 0 when the job completed, 1 otherwise. There is always exactly one jobEnd.
 */
import { readFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import type { JobSpec } from '../core/config';
import { encodeEvent, PROTOCOL_VERSION, type JobStatus, type TrainerEvent } from '../core/protocol';
import { errorMessage, runJob } from './loop';
import { jobIdOf, jobSpecProblem, parseHostMessage } from './messages';

/** After a stop request, the loop normally ends within one step; this is the backstop. */
const CANCEL_BACKSTOP_MS = 900;

type Transport = { send(e: TrainerEvent): Promise<void> };

const ipc: Transport = {
  send: (e) => new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    // The callback also fires with an error when the parent is gone; nothing to do then.
    process.send(e, undefined, {}, () => resolve());
  }),
};

const stdout: Transport = {
  send: (e) => new Promise((resolve) => { process.stdout.write(`${encodeEvent(e)}\n`, () => resolve()); }),
};

class TrainerProcess {
  private cancelled = false;
  /** The status of the one jobEnd sent; decides the exit code. */
  private status: JobStatus | undefined;
  private jobId: string | undefined;
  private started = Date.now();
  /** Where the job stands, for a jobEnd written outside the loop. */
  private epoch = 0;
  private step = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly transport: Transport) {}

  emit = (e: TrainerEvent): void => {
    if (this.status) return; // exactly one jobEnd, nothing after it
    if (e.type === 'jobEnd') this.status = e.status;
    if (e.type === 'step' || e.type === 'epoch') {
      this.epoch = Math.max(this.epoch, e.epoch);
      this.step = Math.max(this.step, e.step);
    }
    const p = this.transport.send(e);
    this.pending.add(p);
    void p.then(() => this.pending.delete(p));
  };

  log(level: 'info' | 'warn' | 'error', message: string): void {
    this.emit({ type: 'log', v: PROTOCOL_VERSION, t: Date.now(), level, message, ...(this.jobId ? { jobId: this.jobId } : {}) });
  }

  async run(job: JobSpec, threads = 1): Promise<void> {
    if (this.jobId !== undefined) return this.log('warn', `ignored a second start (job ${job.jobId}); this process runs ${this.jobId}`);
    this.jobId = job.jobId;
    this.started = Date.now();
    await runJob(job, (e) => {
      if (e.type === 'jobStart') dropForeignCrashHandlers();
      this.emit(e);
    }, { cancelled: () => this.cancelled, threads });
    await this.exit();
  }

  /** A cancel request: the loop sees it at its next step; the backstop covers a stuck job. */
  cancel(reason: string): void {
    if (this.cancelled) return;
    this.cancelled = true;
    if (this.jobId === undefined) return void this.exit();
    setTimeout(() => { void this.end('cancelled', `${reason} (the job did not stop in time)`); }, CANCEL_BACKSTOP_MS).unref();
  }

  /** Ends the job from outside the loop (failure or backstop) and exits. */
  async end(status: JobStatus, message: string, jobId = this.jobId): Promise<void> {
    if (!this.status && jobId !== undefined) {
      this.emit({
        type: 'jobEnd', v: PROTOCOL_VERSION, t: Date.now(), jobId, status, epoch: this.epoch, step: this.step, message,
        seconds: (Date.now() - this.started) / 1000,
      });
    }
    await this.exit();
  }

  /** Flushes what was sent, then exits: 0 only when the job completed. */
  async exit(): Promise<never> {
    await Promise.all([...this.pending]);
    process.exit(this.status === 'completed' ? 0 : 1);
  }
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const crashEvents = ['uncaughtException', 'unhandledRejection'] as const;
let crashHandler: ((err: unknown) => void) | undefined;

function installHandlers(trainer: TrainerProcess): void {
  process.on('SIGTERM', () => trainer.cancel('stopped by SIGTERM'));
  process.on('SIGINT', () => trainer.cancel('stopped by SIGINT'));
  crashHandler = (err: unknown): void => { void trainer.end('failed', `trainer crashed: ${errorMessage(err)}`); };
  for (const name of crashEvents) process.on(name, crashHandler);
}

/**
 * The wasm backend's Emscripten glue adds handlers that rethrow every uncaught exception and
 * rejection, which would kill the process before our failing jobEnd is flushed: once the
 * backend is up, ours are the only ones left.
 */
function dropForeignCrashHandlers(): void {
  for (const l of process.listeners('uncaughtException')) if (l !== crashHandler) process.removeListener('uncaughtException', l);
  for (const l of process.listeners('unhandledRejection')) if (l !== crashHandler) process.removeListener('unhandledRejection', l);
}

function runIpc(): void {
  const trainer = new TrainerProcess(ipc);
  installHandlers(trainer);
  // The host gone (killed, even by SIGKILL: the IPC channel closes): nobody is left to report
  // to or to stop us, so exit now, whatever the job is doing, rather than linger as an orphan.
  // The job never blocks synchronously on input (data is read asynchronously, FIFOs and
  // devices refused), so this handler always gets to run.
  process.on('disconnect', () => process.exit(1));
  if (!process.connected) process.exit(1);
  process.on('message', (raw: unknown) => {
    const msg = parseHostMessage(raw);
    if (typeof msg === 'string') {
      const jobId = jobIdOf(raw);
      // A start we cannot run still ends its job, so the host is not left waiting.
      if (jobId !== undefined) return void trainer.end('failed', `invalid job: ${msg}`, jobId);
      return trainer.log('warn', `ignored an invalid message from the host: ${msg}`);
    }
    if (msg.type === 'cancel') return trainer.cancel('cancelled by request');
    void trainer.run(msg.job, msg.threads);
  });
}

function runFromFile(path: string): void {
  // stdout carries the events; anything tfjs or a library prints goes to stderr instead.
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  const trainer = new TrainerProcess(stdout);
  installHandlers(trainer);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    process.stderr.write(`cannot read job file ${path}: ${errorMessage(e)}\n`);
    process.exit(2);
  }
  // Either a JobSpec or a whole start message.
  const job = typeof raw === 'object' && raw !== null && 'job' in raw ? (raw as { job: unknown }).job : raw;
  const problem = jobSpecProblem(job);
  if (problem) {
    process.stderr.write(`invalid job in ${path}: ${problem}\n`);
    process.exit(2);
  }
  const threads = Number(argValue('--threads') ?? 1);
  if (!Number.isInteger(threads) || threads < 1) {
    process.stderr.write('--threads needs a positive integer\n');
    process.exit(2);
  }
  void trainer.run(job as JobSpec, threads);
}

// In a worker thread this bundle is a data-parallel replica (parallel/replica.ts starts itself).
if (isMainThread) {
  const jobFile = argValue('--job');
  if (jobFile) runFromFile(jobFile);
  else if (process.send) runIpc();
  else {
    process.stderr.write('usage: node dist/trainer.js --job job.json [--threads N]   (or fork it and send {type:"start", v, job, threads})\n');
    process.exit(2);
  }
}
