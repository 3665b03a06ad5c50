/**
 * CSV exports of a run (pure). One file shape for the extension's "Export Run" and anything
 * else that wants a spreadsheet: RFC 4180 quoting, '\n' line ends, a header row.
 *
 * - eventsToCsv: one row per (job, epoch) with every epoch metric and, per probed layer, the
 *   probe's dead fractions, mean activation and gradient norm. Epoch 0 appears only when the
 *   job was probed at initialisation (its metric cells are then empty).
 * - stepsToCsv: one row per recorded step (the throttled step events).
 *
 * Missing values are empty cells; non-finite numbers are written as NaN / Infinity / -Infinity
 * so a diverged loss stays distinguishable from "not measured".
 */
import type { JobSpec, ResolvedConfig } from './config';
import type { ActlabEvent, EpochEvent, JobStatus, ProbeEvent, StepEvent } from './protocol';

type Cell = string | number | undefined;

export function csvCell(v: Cell): string {
  if (v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
    return String(v);
  }
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvLine(cells: readonly Cell[]): string {
  return cells.map(csvCell).join(',');
}

const PROBE_FIELDS = ['deadMean', 'deadGrad', 'meanActivation', 'gradNorm'] as const;

/** Jobs in config order, then any job seen only in the events (e.g. a config edited mid-run). */
function orderedJobIds(config: ResolvedConfig, events: readonly ActlabEvent[]): string[] {
  const ids = config.jobs.map((j) => j.jobId);
  const seen = new Set(ids);
  for (const e of events) {
    if ('jobId' in e && typeof e.jobId === 'string' && !seen.has(e.jobId)) {
      seen.add(e.jobId);
      ids.push(e.jobId);
    }
  }
  return ids;
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
  const jobsById = new Map(config.jobs.map((j) => [j.jobId, j]));
  const keys = sweepKeys(config.jobs);
  const layers: string[] = [];
  const epochs = new Map<string, Map<number, EpochEvent>>();
  const probes = new Map<string, Map<number, ProbeEvent>>();
  const status = new Map<string, JobStatus>();
  const at = <T>(m: Map<string, Map<number, T>>, id: string): Map<number, T> => {
    let inner = m.get(id);
    if (!inner) m.set(id, (inner = new Map()));
    return inner;
  };
  for (const e of events) {
    if (e.type === 'epoch') at(epochs, e.jobId).set(e.epoch, e);
    else if (e.type === 'probe') {
      at(probes, e.jobId).set(e.epoch, e);
      for (const l of e.layers) if (!layers.includes(l.layer)) layers.push(l.layer);
    } else if (e.type === 'jobEnd') status.set(e.jobId, e.status);
  }

  const header = [
    'jobId', 'armId', 'activationId', 'label', 'seed', ...keys.map((k) => `sweep.${k}`), 'status',
    'epoch', 'step', 'trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy', 'sigma', 'seconds', 'samplesPerSec',
    ...layers.flatMap((l) => PROBE_FIELDS.map((f) => `${l}.${f}`)),
  ];
  const lines = [csvLine(header)];
  for (const jobId of orderedJobIds(config, events)) {
    const ep = epochs.get(jobId) ?? new Map<number, EpochEvent>();
    const pr = probes.get(jobId) ?? new Map<number, ProbeEvent>();
    const epochNumbers = [...new Set([...ep.keys(), ...pr.keys()])].sort((a, b) => a - b);
    const fixed = jobColumns(jobsById.get(jobId), jobId, keys);
    for (const n of epochNumbers) {
      const m = ep.get(n);
      const p = pr.get(n);
      const probeCells = layers.flatMap((name) => {
        const l = p?.layers.find((x) => x.layer === name);
        return PROBE_FIELDS.map((f) => l?.[f]);
      });
      lines.push(csvLine([
        ...fixed, status.get(jobId), n, m?.step, m?.trainLoss, m?.testLoss, m?.trainAccuracy, m?.testAccuracy,
        m?.sigma, m?.seconds, m?.samplesPerSec, ...probeCells,
      ]));
    }
  }
  return lines.join('\n') + '\n';
}

export function stepsToCsv(config: ResolvedConfig, events: readonly ActlabEvent[]): string {
  const jobsById = new Map(config.jobs.map((j) => [j.jobId, j]));
  const keys = sweepKeys(config.jobs);
  const byJob = new Map<string, StepEvent[]>();
  for (const e of events) {
    if (e.type !== 'step') continue;
    const list = byJob.get(e.jobId);
    if (list) list.push(e);
    else byJob.set(e.jobId, [e]);
  }
  const header = ['jobId', 'armId', 'activationId', 'label', 'seed', ...keys.map((k) => `sweep.${k}`), 'epoch', 'step', 'loss', 'sigma'];
  const lines = [csvLine(header)];
  for (const jobId of orderedJobIds(config, events)) {
    const fixed = jobColumns(jobsById.get(jobId), jobId, keys);
    const steps = [...(byJob.get(jobId) ?? [])].sort((a, b) => a.step - b.step);
    for (const s of steps) lines.push(csvLine([...fixed, s.epoch, s.step, s.loss, s.sigma]));
  }
  return lines.join('\n') + '\n';
}
