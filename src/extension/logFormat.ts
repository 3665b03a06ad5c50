/** Which events reach the output channel, at which level, with which text (pure). */
import { backendLabel, type ActlabEvent } from '../core/protocol';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface LogLine {
  level: LogLevel;
  message: string;
}

const tag = (jobId: string | undefined): string => (jobId ? `[${jobId}] ` : '');
const fmt = (x: number | undefined, digits = 4): string => (x === undefined ? '–' : Number.isFinite(x) ? x.toFixed(digits) : String(x));

/** Step and probe events are too frequent for a log and return undefined. */
export function logLine(e: ActlabEvent): LogLine | undefined {
  switch (e.type) {
    case 'runStart':
      return { level: 'info', message: `run ${e.runId} "${e.name}" started: ${e.jobIds.length} jobs, up to ${e.parallel} at once` };
    case 'runEnd':
      return { level: e.status === 'failed' ? 'error' : 'info', message: `run ${e.runId} ended: ${e.status} after ${e.seconds.toFixed(1)} s` };
    case 'jobStart': {
      const notes = e.backend.notes.length ? ` (${e.backend.notes.join('; ')})` : '';
      return {
        level: 'info',
        message: `${tag(e.jobId)}started on ${backendLabel(e)}${notes}: ${e.parameters} parameters, ${e.epochs} epochs × ${e.stepsPerEpoch} steps`,
      };
    }
    case 'jobEnd': {
      const level: LogLevel = e.status === 'failed' ? 'error' : e.status === 'diverged' ? 'warn' : 'info';
      const msg = e.message ? `: ${e.message}` : '';
      return { level, message: `${tag(e.jobId)}${e.status} at epoch ${e.epoch}, step ${e.step} after ${e.seconds.toFixed(1)} s${msg}` };
    }
    case 'epoch':
      return {
        level: 'debug',
        message: `${tag(e.jobId)}epoch ${e.epoch}: train loss ${fmt(e.trainLoss)}, test loss ${fmt(e.testLoss)}, test acc ${fmt(e.testAccuracy)}`,
      };
    case 'log':
      return { level: e.level, message: `${tag(e.jobId)}${e.message}` };
    default:
      return undefined;
  }
}
