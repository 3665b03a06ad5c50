/**
 * Run progress for the terminal. On a TTY: one line redrawn in place (bar, jobs done, current
 * epochs, best accuracy so far, ETA), with job endings and warnings printed above it. Otherwise:
 * one plain line per job start, epoch and end. Lines wrap at the terminal width; ids and
 * messages are cleaned of control characters. Jobs cancelled before they started are not
 * listed one by one: the run's closing lines count them.
 */
import type { ResolvedConfig } from '../core/config';
import { backendLabel, type ActlabEvent, type EpochEvent, type JobEndEvent, type JobStartEvent } from '../core/protocol';
import { duration, pct } from './format';
import { clean, terminalWidth, wrap } from './terminal';

export interface Progress {
  onEvent(e: ActlabEvent): void;
  /** Removes the live line (TTY) so that what follows starts on a clean line. */
  stop(): void;
}

interface JobState { epochs: number; epoch: number; started: boolean; ended: boolean }

const REDRAW_MS = 100;

export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, config: ResolvedConfig): Progress {
  const tty = stream.isTTY === true;
  const jobs = new Map<string, JobState>(config.jobs.map((j) => [j.jobId, { epochs: j.training.epochs, epoch: 0, started: false, ended: false }]));
  const total = jobs.size;
  const totalEpochs = config.jobs.reduce((s, j) => s + j.training.epochs, 0);
  const started = Date.now();
  let done = 0;
  let bestAcc: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let drawn = false;
  const notesShown = new Set<string>();

  const clear = (): void => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  const liveLine = (): string => progressLine(stream, jobs, { done, total, totalEpochs, started, bestAcc });
  const draw = (): void => {
    timer = undefined;
    stream.write(`\r\x1b[2K${liveLine()}`);
    drawn = true;
  };
  const scheduleDraw = (): void => { if (!timer) timer = setTimeout(draw, REDRAW_MS); };
  const say = (text: string): void => {
    clear();
    stream.write(`${wrap(text, terminalWidth(stream), '    ').join('\n')}\n`);
    if (tty) scheduleDraw();
  };

  return {
    onEvent(e) {
      switch (e.type) {
        case 'jobStart': {
          const s = jobs.get(e.jobId);
          if (s) s.started = true;
          if (!tty) say(startLine(e));
          const fresh = e.backend.notes.filter((n) => !notesShown.has(n));
          fresh.forEach((n) => notesShown.add(n));
          if (fresh.length) say(backendNotesLine(backendLabel(e), fresh));
          break;
        }
        case 'epoch': {
          const s = jobs.get(e.jobId);
          if (s) s.epoch = e.epoch;
          if (e.testAccuracy !== undefined && Number.isFinite(e.testAccuracy)) bestAcc = Math.max(bestAcc ?? 0, e.testAccuracy);
          if (!tty) say(epochLine(e, s?.epochs));
          break;
        }
        case 'jobEnd': {
          const s = jobs.get(e.jobId);
          // Cancelled before it started: the run's closing lines count these; a line each (and
          // a jump in the [n/total] count) would bury what did run.
          if (s && !s.started && e.status === 'cancelled') { s.ended = true; break; }
          if (s && !s.ended) { s.ended = true; done++; }
          say(endLine(e, done, total));
          break;
        }
        case 'log':
          if (e.level === 'warn' || e.level === 'error') say(`${e.level}${e.jobId ? ` ${clean(e.jobId)}` : ''}: ${clean(e.message)}`);
          break;
        case 'step':
          if (tty) scheduleDraw();
          break;
        default:
          break;
      }
      if (tty) scheduleDraw();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      clear();
    },
  };
}

interface Totals { done: number; total: number; totalEpochs: number; started: number; bestAcc: number | undefined }

/** The live bar: epochs done of all, ETA, best accuracy so far, the jobs in progress. */
function progressLine(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, jobs: Map<string, JobState>, t: Totals): string {
  const { done, total, totalEpochs, started, bestAcc } = t;
  let epochsDone = 0;
  const current: string[] = [];
  for (const [id, s] of jobs) {
    epochsDone += s.ended ? s.epochs : s.epoch;
    if (!s.ended && s.epoch > 0) current.push(`${clean(id, 60)} ${s.epoch}/${s.epochs}`);
  }
  const frac = totalEpochs > 0 ? epochsDone / totalEpochs : 0;
  const width = 16;
  const filled = Math.round(frac * width);
  const elapsed = (Date.now() - started) / 1000;
  const eta = epochsDone > 0 && frac < 1 ? ` · ETA ${duration((elapsed * (totalEpochs - epochsDone)) / epochsDone)}` : '';
  const best = bestAcc !== undefined ? ` · best ${pct(bestAcc)}` : '';
  const cur = current.length ? ` · ${current.join(', ')}` : '';
  const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} jobs${best}${eta}${cur}`;
  // Truncated to the terminal width: a wrapped line could not be redrawn in place.
  const cols = terminalWidth(stream);
  return line.length > cols - 1 ? `${line.slice(0, cols - 2)}…` : line;
}

function startLine(e: JobStartEvent): string {
  return `start ${clean(e.jobId)} (${clean(backendLabel(e), 60)}, ${e.parameters.toLocaleString('en-US')} parameters, ${e.trainSize} train / ${e.testSize} test)`;
}

function epochLine(e: EpochEvent, epochs: number | undefined): string {
  const acc = e.testAccuracy !== undefined ? `, test acc ${pct(e.testAccuracy)}` : '';
  return `${clean(e.jobId)} epoch ${e.epoch}/${epochs ?? '?'}: train loss ${e.trainLoss.toFixed(4)}, test loss ${e.testLoss.toFixed(4)}${acc} (${Math.round(e.samplesPerSec)} samples/s)`;
}

function endLine(e: JobEndEvent, done: number, total: number): string {
  const where = e.status === 'completed' ? '' : ` at epoch ${e.epoch}, step ${e.step}`;
  const msg = e.message && e.status !== 'completed' ? `: ${clean(e.message)}` : '';
  return `[${done}/${total}] ${clean(e.jobId)} ${e.status}${where} (${duration(e.seconds)})${msg}`;
}

/**
 * The backend notes (why each faster backend was not used), the same for every job of a run,
 * said once and in one line: on a machine without GPU or native packages they are expected, and
 * five lines of them buried the first epochs. The full notes stay in jobStart (events.jsonl, the
 * panel); here each loses its parenthesised set-up hint, and README "Backends" is named once.
 */
export function backendNotesLine(backend: string, notes: readonly string[]): string {
  const short = notes.map((n) => clean(n).replace(/\s*\([^()]*\)\s*$/, ''));
  return `backend ${backend}; not used: ${short.join('; ')} (set-up: README, "Backends")`;
}
