/**
 * CSV exports of a run (pure). One file shape for the extension's "Export Run" and anything
 * else that wants a spreadsheet: RFC 4180 quoting, '\n' line ends, a header row.
 *
 * - eventsToCsv: one row per (job, epoch) with every epoch metric and, per probed layer, the
 *   probe's dead fractions, mean activation and gradient norm. Epoch 0 appears only when the
 *   job was probed at initialisation (its metric cells are then empty).
 * - stepsToCsv: one row per recorded step (the throttled step events).
 *
 * The metric columns and their order come from the metrics table (src/core/metrics.ts); job
 * status and rows come from the one fold of events (src/core/runState.ts).
 *
 * Missing values are empty cells; non-finite numbers are written as NaN / Infinity / -Infinity
 * so a diverged loss stays distinguishable from "not measured".
 */
import type { JobSpec, ResolvedConfig } from './config';
import { metricsAt } from './metrics';
import { epochMetric, probeMetric, stepMetric, type ActlabEvent, type EpochEvent, type ProbeEvent, type StepEvent } from './protocol';
import { foldEvents, isEnded, type RunState } from './runState';

type Cell = string | number | undefined;

export function csvCell(v: Cell): string {
  if (v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
    return String(v);
  }
  // A spreadsheet runs a cell that starts with = + - @ (or a tab or CR before one) as a formula
  // (CSV injection, OWASP): a label like "=HYPERLINK(…)" gets a leading ' and stays text.
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly Cell[]): string {
  return cells.map(csvCell).join(',');
}

const EPOCH_COLUMNS = metricsAt('epoch');
const STEP_COLUMNS = metricsAt('step');
const PROBE_COLUMNS = metricsAt('probe');

/** Jobs in config order, then any job seen only in the events (e.g. a config edited mid-run). */
function orderedJobIds(state: RunState): string[] {
  return [...state.jobs.keys()];
}

function sweepKeys(jobs: readonly JobSpec[]): string[] {
  const keys: string[] = [];
  for (const j of jobs) for (const k of Object.keys(j.sweep)) if (!keys.includes(k)) keys.push(k);
  return keys;
}

function jobColumns(job: JobSpec | undefined, jobId: string, keys: readonly string[]): Cell[] {
  return [jobId, job?.armId, job?.activationId, job?.label, job?.seed, ...keys.map((k) => job?.sweep[k])];
}

export function eventsToCsv(config: ResolvedConfig, events: readonly ActlabEvent[]): string {
  const state = foldEvents(config, events);
  const jobsById = new Map(config.jobs.map((j) => [j.jobId, j]));
  const keys = sweepKeys(config.jobs);
  // Layer columns in the order the run first probed them (over all jobs).
  const layers: string[] = [];
  for (const e of events) if (e.type === 'probe') for (const l of e.layers) if (!layers.includes(l.layer)) layers.push(l.layer);

  const header = [
    'jobId', 'armId', 'activationId', 'label', 'seed', ...keys.map((k) => `sweep.${k}`), 'status',
    'epoch', 'step', ...EPOCH_COLUMNS.map((d) => d.csv),
    ...layers.flatMap((l) => PROBE_COLUMNS.map((d) => `${l}.${d.csv}`)),
  ];
  const lines = [csvLine(header)];
  for (const jobId of orderedJobIds(state)) {
    const job = state.jobs.get(jobId)!;
    // By epoch number; a repeated epoch keeps its last event.
    const ep = new Map<number, EpochEvent>(job.history.map((e) => [e.epoch, e]));
    const pr = new Map<number, ProbeEvent>(job.probes.map((e) => [e.epoch, e]));
    const epochNumbers = [...new Set([...ep.keys(), ...pr.keys()])].sort((a, b) => a - b);
    const fixed = jobColumns(jobsById.get(jobId), jobId, keys);
    // Only an ended job has a status cell (a running one may still change it).
    const status = isEnded(job.status) ? job.status : undefined;
    for (const n of epochNumbers) {
      const m = ep.get(n);
      const p = pr.get(n);
      const probeCells = layers.flatMap((name) => {
        const l = p?.layers.find((x) => x.layer === name);
        return PROBE_COLUMNS.map((d) => (l ? probeMetric(l, d.key) : undefined));
      });
      lines.push(csvLine([
        ...fixed, status, n, m?.step, ...EPOCH_COLUMNS.map((d) => (m ? epochMetric(m, d.key) : undefined)), ...probeCells,
      ]));
    }
  }
  return lines.join('\n') + '\n';
}

export function stepsToCsv(config: ResolvedConfig, events: readonly ActlabEvent[]): string {
  const state = foldEvents(config, events);
  const jobsById = new Map(config.jobs.map((j) => [j.jobId, j]));
  const keys = sweepKeys(config.jobs);
  const byJob = new Map<string, StepEvent[]>();
  for (const e of events) {
    if (e.type !== 'step') continue;
    const list = byJob.get(e.jobId);
    if (list) list.push(e);
    else byJob.set(e.jobId, [e]);
  }
  const header = ['jobId', 'armId', 'activationId', 'label', 'seed', ...keys.map((k) => `sweep.${k}`), 'epoch', 'step', ...STEP_COLUMNS.map((d) => d.csv)];
  const lines = [csvLine(header)];
  for (const jobId of orderedJobIds(state)) {
    const fixed = jobColumns(jobsById.get(jobId), jobId, keys);
    const steps = [...(byJob.get(jobId) ?? [])].sort((a, b) => a.step - b.step);
    for (const s of steps) lines.push(csvLine([...fixed, s.epoch, s.step, ...STEP_COLUMNS.map((d) => stepMetric(s, d.key))]));
  }
  return lines.join('\n') + '\n';
}
