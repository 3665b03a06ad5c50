/**
 * The compact form report.html embeds a run's bulk events in (epoch, step and probe events):
 * per job, one array per field instead of one object per event, numbers rounded to
 * REPORT_DIGITS significant digits, counters delta-coded. At 200 arms × 5 seeds × 200 epochs
 * the events as JSON objects are over 500 MB (no string that long can even be built); packed,
 * the whole report is ~17 MB.
 *
 * What is kept: every epoch event and every probe's scalars (the CSV button of the report
 * rebuilds the full per-epoch CSV from them), at most `stepsPerJob` step events per job (the
 * step view averages seeds on a 400-bucket grid anyway), and fracPositive (the heatmap's
 * per-unit data, by far the biggest part) at REPORT_FRAC_EPOCHS probe epochs per job, in
 * thousandths. Steps and probes carry no time of their own: the decoder gives them their
 * epoch's. A job whose events do not fit this shape (a field present in some events only, layers
 * that change) is not packed: its events stay plain objects in the page's event list.
 *
 * The decoder is webview/state/packed.ts (the webview may not import src/report): the two
 * files are one format; test/webview/packed.test.ts round-trips it.
 */
import { metricsAt, type MetricKey } from '../core/metrics';
import { epochMetric, type ActlabEvent, type EpochEvent, type ProbeEvent, type StepEvent } from '../core/protocol';

export const PACK_VERSION = 1;
export const REPORT_DIGITS = 4;
/** Probe epochs per job whose per-unit fracPositive is kept (first, last, evenly between). */
export const REPORT_FRAC_EPOCHS = 6;

/** An integer column: an arithmetic run { a, d, n }, or deltas { z } (z[0] is the first value). */
export type IntCol = { a: number; d: number; n: number } | { z: number[] };
/**
 * A number column: one value n times { c, n }, counts over a denominator { q, u } (dead-unit
 * fractions are whole units of a layer), or the rounded values (null = not finite).
 */
export type NumCol = { c: number | null; n: number } | { q: number[]; u: number } | (number | null)[];

export interface PackedLayer {
  layer: string; units: number;
  deadMean: NumCol; deadGrad: NumCol; meanActivation: NumCol; gradNorm: NumCol;
  /** Absent when the run's probes lack it (recorded before it existed). */
  deadSigned?: NumCol;
  /** Rows of fracPositive in thousandths, at the probe rows `at`. */
  frac: { at: number[]; rows: number[][] };
}

export interface PackedJob {
  jobId: string;
  /** The required epoch metrics, and every optional one (the metrics table's) that the job reports. */
  epochs?: { epoch: IntCol; step: IntCol; t: IntCol; trainLoss: NumCol; testLoss: NumCol; seconds: NumCol; samplesPerSec: NumCol } & Partial<Record<MetricKey<'epoch'>, NumCol>>;
  steps?: { epoch: IntCol; step: IntCol; loss: NumCol; sigma?: NumCol };
  probes?: { epoch: IntCol; ms: NumCol; layers: PackedLayer[] };
}

export interface PackedRun { v: typeof PACK_VERSION; jobs: PackedJob[] }

const round = (x: number, digits = REPORT_DIGITS): number | null => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : null);

export function intCol(xs: readonly number[]): IntCol {
  const d = xs.length > 1 ? xs[1]! - xs[0]! : 0;
  if (xs.every((x, i) => x === xs[0]! + i * d)) return { a: xs[0] ?? 0, d, n: xs.length };
  return { z: xs.map((x, i) => (i === 0 ? x : x - xs[i - 1]!)) };
}

export function numCol(xs: readonly number[], digits = REPORT_DIGITS): NumCol {
  const r = xs.map((x) => round(x, digits));
  return r.every((x) => x === r[0]) ? { c: r[0] ?? null, n: r.length } : r;
}

/** A column of an optional field: all present, all absent (undefined), or not packable (null). */
function optional<T>(rows: readonly T[], get: (r: T) => number | undefined): NumCol | undefined | null {
  const vals = rows.map(get);
  if (vals.every((v) => v === undefined)) return undefined;
  if (vals.some((v) => v === undefined)) return null;
  return numCol(vals as number[]);
}

const isInt = (xs: readonly number[]): boolean => xs.every((x) => Number.isSafeInteger(x));

const OPTIONAL_EPOCH_METRICS = metricsAt('epoch').filter((d) => d.optional === true);

function packEpochs(rows: readonly EpochEvent[]): PackedJob['epochs'] | null {
  if (!rows.length) return undefined;
  // Learned expression parameters have no column form: such a job stays plain (its params kept).
  if (rows.some((r) => r.params !== undefined)) return null;
  const optionals: Partial<Record<MetricKey<'epoch'>, NumCol>> = {};
  for (const d of OPTIONAL_EPOCH_METRICS) {
    const col = optional(rows, (r) => epochMetric(r, d.key));
    if (col === null) return null;
    if (col) optionals[d.key] = col;
  }
  const [epoch, step, t] = [rows.map((r) => r.epoch), rows.map((r) => r.step), rows.map((r) => r.t)];
  if (!isInt(epoch) || !isInt(step) || !isInt(t)) return null;
  return {
    epoch: intCol(epoch), step: intCol(step), t: intCol(t),
    trainLoss: numCol(rows.map((r) => r.trainLoss)), testLoss: numCol(rows.map((r) => r.testLoss)),
    ...optionals,
    seconds: numCol(rows.map((r) => r.seconds), 4), samplesPerSec: numCol(rows.map((r) => r.samplesPerSec), 4),
  };
}

/** At most about `max` steps: every k-th and the last (a long run has more epochs than `max`). */
export function thinSteps(steps: readonly StepEvent[], max: number): StepEvent[] {
  if (steps.length <= max) return [...steps];
  const k = Math.ceil(steps.length / max);
  return steps.filter((_s, i) => i % k === 0 || i === steps.length - 1);
}

function packSteps(rows: readonly StepEvent[]): PackedJob['steps'] | null {
  if (!rows.length) return undefined;
  const sigma = optional(rows, (r) => r.sigma);
  const [epoch, step] = [rows.map((r) => r.epoch), rows.map((r) => r.step)];
  if (sigma === null || !isInt(epoch) || !isInt(step)) return null;
  return { epoch: intCol(epoch), step: intCol(step), loss: numCol(rows.map((r) => r.loss)), ...(sigma ? { sigma } : {}) };
}

/** Indices of `n` rows to keep out of `total`: first, last and evenly spaced between. */
export function spread(total: number, n: number): number[] {
  if (total <= n) return Array.from({ length: total }, (_, i) => i);
  const out = new Set<number>();
  for (let i = 0; i < n; i++) out.add(Math.round((i * (total - 1)) / (n - 1)));
  return [...out];
}

function packProbes(rows: readonly ProbeEvent[]): PackedJob['probes'] | null {
  if (!rows.length) return undefined;
  const names = rows[0]!.layers.map((l) => `${l.layer}:${l.units}`).join();
  if (rows.some((r) => r.layers.map((l) => `${l.layer}:${l.units}`).join() !== names) || !isInt(rows.map((r) => r.epoch))) return null;
  const at = spread(rows.length, REPORT_FRAC_EPOCHS);
  const layers = rows[0]!.layers.map((l0, li): PackedLayer => {
    const col = (f: 'deadMean' | 'deadSigned' | 'deadGrad' | 'meanActivation' | 'gradNorm'): NumCol => {
      const xs = rows.map((r) => r.layers[li]![f] ?? Number.NaN);
      const q = xs.map((x) => x * l0.units);
      const whole = (f === 'deadMean' || f === 'deadSigned' || f === 'deadGrad') && q.every((x) => Math.abs(x - Math.round(x)) < 1e-6);
      return whole && xs.some((x) => x !== xs[0]) ? { q: q.map(Math.round), u: l0.units } : numCol(xs);
    };
    const signed = rows.every((r) => r.layers[li]!.deadSigned !== undefined);
    return {
      layer: l0.layer, units: l0.units, deadMean: col('deadMean'), deadGrad: col('deadGrad'), meanActivation: col('meanActivation'), gradNorm: col('gradNorm'),
      ...(signed ? { deadSigned: col('deadSigned') } : {}),
      frac: { at, rows: at.map((i) => rows[i]!.layers[li]!.fracPositive.map((f) => (Number.isFinite(f) ? Math.round(f * 1000) : -1))) },
    };
  });
  return { epoch: intCol(rows.map((r) => r.epoch)), ms: numCol(rows.map((r) => r.ms), 2), layers };
}

/** Steps kept per job: a budget of ~200k over the run, 200 to 2000 per job. */
export function stepsPerJob(jobs: number): number {
  return Math.max(200, Math.min(2000, Math.floor(200_000 / Math.max(1, jobs))));
}

/**
 * Splits `events` into what stays plain (run and job start/end events, logs, and the bulk
 * events of jobs that cannot be packed) and the packed bulk of every other job.
 */
export function packRun(events: readonly ActlabEvent[], maxSteps?: number): { plain: ActlabEvent[]; packed: PackedRun } {
  const bulk = new Map<string, { epochs: EpochEvent[]; steps: StepEvent[]; probes: ProbeEvent[] }>();
  for (const e of events) {
    if (e.type !== 'epoch' && e.type !== 'step' && e.type !== 'probe') continue;
    let b = bulk.get(e.jobId);
    if (!b) bulk.set(e.jobId, (b = { epochs: [], steps: [], probes: [] }));
    if (e.type === 'epoch') b.epochs.push(e); else if (e.type === 'step') b.steps.push(e); else b.probes.push(e);
  }
  const perJob = maxSteps ?? stepsPerJob(bulk.size);
  const jobs: PackedJob[] = [];
  const unpacked = new Set<string>();
  for (const [jobId, b] of bulk) {
    const epochs = packEpochs(b.epochs);
    const steps = packSteps(thinSteps(b.steps, perJob));
    const probes = packProbes(b.probes);
    if (epochs === null || steps === null || probes === null) { unpacked.add(jobId); continue; }
    jobs.push({ jobId, ...(epochs ? { epochs } : {}), ...(steps ? { steps } : {}), ...(probes ? { probes } : {}) });
  }
  const plain = events.filter((e) => (e.type !== 'epoch' && e.type !== 'step' && e.type !== 'probe') || unpacked.has(e.jobId));
  return { plain, packed: { v: PACK_VERSION, jobs } };
}
