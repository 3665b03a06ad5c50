/**
 * What a run would need, checked before its jobs exist: the job count (counted, not expanded),
 * the model's parameters and one trainer's memory (estimateMemory.ts), then the run time. Past
 * the config's limits (limits.ts) the first three are located errors and the time a warning;
 * within them, the job count and estimated time as information.
 */
import type { RawConfig } from './config';
import { type Doc, type Path, pathText } from './configDoc';
import type { Diagnostic, ValidateOptions } from './diagnostics';
import { DEFAULT_PARALLEL, estimateRunSeconds, formatDuration, type SpeedCalibration } from './estimate';
import { estimateFootprint, formatBytes, type Footprint } from './estimateMemory';
import { countJobs, resolveConfig, resolveShapes } from './expand';
import { type LimitName, type Limits, limitsOf } from './limits';

/** Above this many jobs the validator warns (with the estimated time). */
export const MANY_JOBS = 50;

const n = (x: number): string => x.toLocaleString('en-US');
const raise = (name: LimitName, value: number): string => `"limits": { "${name}": ${Math.ceil(value)} }`;

/** The nearest part of `path` that is written in the file (a default has no place of its own). */
function written(doc: Doc, path: Path): Path {
  let p = path;
  while (p.length > 1 && !doc.node(p)) p = p.slice(0, -1);
  return p;
}

function located(doc: Doc, path: Path, code: string, message: string, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  const at = written(doc, path);
  return { severity, code, path: at, range: doc.node(at) ? doc.valueRange(at) : doc.range(doc.root.offset, 1), message };
}

function jobsPath(doc: Doc): Path {
  return doc.node(['activations']) ? ['activations'] : [];
}

function tooManyJobs(doc: Doc, count: number, limit: number): Diagnostic {
  const path = jobsPath(doc);
  return {
    severity: 'error', code: 'too-many-jobs', path, range: path.length ? doc.keyRange(path) : doc.range(doc.root.offset, 1),
    message: `This file expands to ${n(count)} jobs (arms × sweep values × seeds), more than the limit of ${n(limit)}; sweep fewer values or seeds, or raise it with ${raise('jobs', count)}.`,
  };
}

/** Which written field sets the largest part of the memory estimate. */
function memoryPath(doc: Doc, raw: RawConfig, fp: Footprint): Path {
  const largestLayer = (key: 'parameters' | 'activations'): Path => fp.layers.reduce((a, b) => (b[key] > a[key] ? b : a)).path;
  const { weightBytes: w, activationBytes: a, dataBytes: d } = fp;
  if (w >= a && w >= d) return largestLayer('parameters');
  if (a >= d) return doc.node(['training', 'batchSize']) ? ['training', 'batchSize'] : largestLayer('activations');
  if (raw.data.dataset !== 'teacher') return ['data', 'trainSize'];
  const t = raw.data;
  const written = (k: 'n' | 'd' | 'width'): number => { const v = t[k]; return typeof v === 'number' ? v : 0; };
  for (const k of ['n', 'd', 'width'] as const) if (t[k] !== undefined && written(k) === Math.max(written('n'), written('d'), written('width'))) return ['data', k];
  return ['data'];
}

function footprintDiagnostics(doc: Doc, raw: RawConfig, limits: Limits): Diagnostic[] {
  // The largest job decides: size sweeps (model.hidden, data.trainSize, data.n) give several shapes.
  const fps = resolveShapes(raw).map(({ model, data, batchSizes }) => estimateFootprint(model, data, Math.max(...batchSizes)));
  const fp = fps.reduce((x, y) => (y.parameters > x.parameters ? y : x));
  const mem = fps.reduce((x, y) => (y.totalBytes > x.totalBytes ? y : x));
  const out: Diagnostic[] = [];
  if (fp.parameters > limits.parameters) {
    const layer = fp.layers.reduce((x, y) => (y.parameters > x.parameters ? y : x));
    out.push(located(doc, layer.path, 'too-many-parameters',
      `The model has ${n(fp.parameters)} trainable parameters (${n(layer.parameters)} in ${pathText(layer.path)}), more than the limit of ${n(limits.parameters)}; use smaller layers, or raise it with ${raise('parameters', fp.parameters)} if the machine can hold them.`));
  }
  const mib = mem.totalBytes / 2 ** 20;
  if (mib > limits.memoryMiB) {
    const path = memoryPath(doc, raw, mem);
    out.push(located(doc, path, 'too-much-memory',
      `One trainer would need about ${formatBytes(mem.totalBytes)} (weights and optimizer state ${formatBytes(mem.weightBytes)}, a batch of activations ${formatBytes(mem.activationBytes)}, the data ${formatBytes(mem.dataBytes)}), more than the limit of ${n(limits.memoryMiB)} MiB; the largest part comes from ${pathText(path)}: make it smaller, or raise the limit with ${raise('memoryMiB', mib)}.`));
  }
  return out;
}

/** "~40 s" or, calibrated, "~40 s–~1 min (…)"; `seconds` for the hours limit. */
function estimateText(seconds: number, speed: SpeedCalibration | undefined): { text: string; seconds: number } {
  const where = `on the wasm backend with ${DEFAULT_PARALLEL} trainers in parallel`;
  if (!speed) return { text: `estimated ${formatDuration(seconds)} ${where}`, seconds };
  const lo = formatDuration(seconds * speed.low);
  const hi = formatDuration(seconds * speed.high);
  const range = lo === hi ? lo : `${lo}–${hi}`;
  return { text: `estimated ${range} ${where}, from the measured speed of ${speed.jobs} recent job${speed.jobs === 1 ? '' : 's'} on this machine`, seconds: seconds * speed.high };
}

export function jobDiagnostic(doc: Doc, config: RawConfig, options: ValidateOptions = {}): { diagnostics: Diagnostic[]; jobCount?: number } {
  const limits = limitsOf(config);
  let count: number;
  try {
    count = countJobs(config);
  } catch {
    return { diagnostics: [] };
  }
  if (count > limits.jobs) return { diagnostics: [tooManyJobs(doc, count, limits.jobs)], jobCount: count };
  let footprint: Diagnostic[];
  try {
    footprint = footprintDiagnostics(doc, config, limits);
  } catch {
    // A config that validated but cannot be sized has nothing to refuse here.
    footprint = [];
  }
  if (footprint.length) return { diagnostics: footprint, jobCount: count };
  let resolved;
  try {
    resolved = resolveConfig(config);
  } catch {
    return { diagnostics: [], jobCount: count };
  }
  const jobs = resolved.jobs;
  const arms = resolved.arms.length;
  const seeds = jobs.length / Math.max(1, arms);
  const path = jobsPath(doc);
  const range = path.length ? doc.keyRange(path) : doc.range(doc.root.offset, 1);
  const estimate = estimateText(estimateRunSeconds(jobs, DEFAULT_PARALLEL), options.speed?.[config.model.type]);
  const what = `${arms} arm${arms === 1 ? '' : 's'} × ${seeds} seed${seeds === 1 ? '' : 's'} = ${jobs.length} job${jobs.length === 1 ? '' : 's'}`;
  let diagnostic: Diagnostic;
  if (estimate.seconds > limits.hours * 3600) {
    diagnostic = {
      severity: 'warning', code: 'long-run', path, range,
      message: `This file expands to ${what}: ${estimate.text}, more than ${limits.hours} h (limits.hours). Fewer sweep values, seeds or epochs run faster; ${raise('hours', estimate.seconds / 3600)} silences this.`,
    };
  } else if (jobs.length > MANY_JOBS) {
    diagnostic = {
      severity: 'warning', code: 'many-jobs', path, range,
      message: `This file expands to ${what}, more than ${MANY_JOBS}: ${estimate.text}. Fewer sweep values or seeds run faster.`,
    };
  } else {
    diagnostic = { severity: 'info', code: 'job-count', path, range, message: `${what} (${estimate.text}).` };
  }
  return { diagnostics: [diagnostic], jobCount: jobs.length };
}
