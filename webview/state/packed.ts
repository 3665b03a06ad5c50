/**
 * Decoder of the compact bulk-event form report.html embeds (encoder and format notes:
 * src/report/pack.ts; the webview may not import src/report, so the format is checked here
 * structurally, as the host checks messages). A packed job decodes to its columns
 * (`decodeJob`): the panel folds those straight into its model (./packedFold.ts) without
 * making an event object per row; `eventsOf` makes the events (steps and probes get their
 * epoch's time) for the CSV and the tests.
 */
import { metricsAt, type MetricKey } from '../../src/core/metrics';
import { PROTOCOL_VERSION, type ActlabEvent, type EpochEvent, type LayerProbe, type ProbeEvent, type StepEvent } from '../../src/core/protocol';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const v = PROTOCOL_VERSION;

class PackError extends Error {}

function ints(c: unknown): number[] {
  if (isObj(c) && typeof c.a === 'number' && typeof c.d === 'number' && typeof c.n === 'number') {
    const { a, d, n } = c;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = a + i * d;
    return out;
  }
  if (isObj(c) && Array.isArray(c.z)) {
    let acc = 0;
    return c.z.map((d) => { if (typeof d !== 'number') throw new PackError('bad int column'); return (acc += d); });
  }
  throw new PackError('bad int column');
}

function nums(c: unknown): number[] {
  const num = (x: unknown): number => (typeof x === 'number' ? x : Number.NaN);
  if (Array.isArray(c)) return c.map(num);
  if (isObj(c) && typeof c.n === 'number') return new Array<number>(c.n).fill(num(c.c));
  if (isObj(c) && Array.isArray(c.q) && typeof c.u === 'number' && c.u > 0) { const u = c.u; return c.q.map((k) => num(k) / u); }
  throw new PackError('bad number column');
}

const OPTIONAL_EPOCH_METRICS = metricsAt('epoch').filter((d) => d.optional === true);

export interface EpochColumns {
  epoch: number[]; step: number[]; t: number[]; trainLoss: number[]; testLoss: number[]; seconds: number[]; samplesPerSec: number[];
  /** The optional metrics of the table that the job reported (the encoder packs each one it has). */
  optionals: [MetricKey<'epoch'>, number[]][];
}
export interface StepColumns { epoch: number[]; step: number[]; loss: number[]; sigma?: number[] }
export interface LayerColumns {
  layer: string; units: number;
  deadMean: number[]; deadSigned?: number[]; deadGrad: number[]; meanActivation: number[]; gradNorm: number[];
  /** fracPositive by probe row, for the rows that kept it. */
  rows: Map<number, number[]>;
}
export interface ProbeColumns { epoch: number[]; ms: number[]; layers: LayerColumns[] }
/** One packed job, decoded: a number array per field. */
export interface JobColumns { jobId: string; epochs?: EpochColumns; steps?: StepColumns; probes?: ProbeColumns }

function epochColumns(e: Obj): EpochColumns {
  const optionals = OPTIONAL_EPOCH_METRICS.flatMap((d) => (e[d.key] === undefined ? [] : [[d.key, nums(e[d.key])] as [MetricKey<'epoch'>, number[]]]));
  return {
    epoch: ints(e.epoch), step: ints(e.step), t: ints(e.t), trainLoss: nums(e.trainLoss), testLoss: nums(e.testLoss),
    seconds: nums(e.seconds), samplesPerSec: nums(e.samplesPerSec), optionals,
  };
}

function layerColumns(l: unknown): LayerColumns {
  if (!isObj(l) || typeof l.layer !== 'string' || typeof l.units !== 'number' || !isObj(l.frac) || !Array.isArray(l.frac.at) || !Array.isArray(l.frac.rows)) throw new PackError('bad layer');
  const rows = new Map<number, number[]>();
  const fracRows = l.frac.rows;
  l.frac.at.forEach((i: unknown, k: number) => {
    const row: unknown = fracRows[k];
    if (typeof i === 'number' && Array.isArray(row)) rows.set(i, row.map((x: unknown) => (typeof x === 'number' && x >= 0 ? x / 1000 : Number.NaN)));
  });
  return {
    layer: l.layer, units: l.units, deadMean: nums(l.deadMean), ...(l.deadSigned === undefined ? {} : { deadSigned: nums(l.deadSigned) }),
    deadGrad: nums(l.deadGrad), meanActivation: nums(l.meanActivation), gradNorm: nums(l.gradNorm), rows,
  };
}

/** One packed job's columns (throws on a malformed job). */
export function decodeJob(job: unknown): JobColumns {
  if (!isObj(job) || typeof job.jobId !== 'string') throw new PackError('bad packed job');
  const out: JobColumns = { jobId: job.jobId };
  if (isObj(job.epochs)) out.epochs = epochColumns(job.epochs);
  if (isObj(job.steps)) {
    const s = job.steps;
    out.steps = { epoch: ints(s.epoch), step: ints(s.step), loss: nums(s.loss), ...(s.sigma === undefined ? {} : { sigma: nums(s.sigma) }) };
  }
  if (isObj(job.probes)) {
    const p = job.probes;
    if (!Array.isArray(p.layers)) throw new PackError('bad probe layers');
    out.probes = { epoch: ints(p.epoch), ms: nums(p.ms), layers: p.layers.map(layerColumns) };
  }
  return out;
}

/** Epoch row `i` as the event the trainer wrote (field order as the trainer's). */
export function epochEventAt(jobId: string, c: EpochColumns, i: number): EpochEvent {
  const e: EpochEvent = {
    type: 'epoch', v, t: c.t[i] ?? 0, jobId, epoch: c.epoch[i]!, step: c.step[i] ?? 0, trainLoss: c.trainLoss[i]!, testLoss: c.testLoss[i]!,
    seconds: c.seconds[i]!, samplesPerSec: c.samplesPerSec[i]!,
  };
  for (const [k, col] of c.optionals) e[k] = col[i]!;
  return e;
}

/** Layer `l`'s probe at row `i` (an empty fracPositive where the row was not kept: the heatmap leaves that column out). */
export function layerProbeAt(l: LayerColumns, i: number): LayerProbe {
  return {
    layer: l.layer, units: l.units, deadMean: l.deadMean[i]!, ...(l.deadSigned ? { deadSigned: l.deadSigned[i]! } : {}),
    deadGrad: l.deadGrad[i]!, meanActivation: l.meanActivation[i]!, gradNorm: l.gradNorm[i]!, fracPositive: l.rows.get(i) ?? [],
  };
}

/** The time of an epoch's steps and probes: that epoch's event's (init: the first epoch's). */
export function epochTimes(c: JobColumns): (epoch: number) => number {
  const e = c.epochs;
  const times = new Map<number, number>();
  e?.epoch.forEach((ep, i) => times.set(ep, e.t[i] ?? 0));
  const first = e?.t[0] ?? 0;
  const last = e?.t.at(-1) ?? first;
  return (epoch) => times.get(epoch) ?? (epoch <= 0 ? first : last);
}

export function probeEventAt(jobId: string, p: ProbeColumns, i: number, timeOf: (epoch: number) => number): ProbeEvent {
  const ep = p.epoch[i]!;
  return { type: 'probe', v, t: timeOf(ep), jobId, epoch: ep, ms: p.ms[i] ?? 0, layers: p.layers.map((l) => layerProbeAt(l, i)) };
}

/**
 * A decoded job's events in the order a trainer writes them: probe at init, then per epoch its
 * steps, the epoch event and its probe.
 */
export function eventsOf(c: JobColumns): ActlabEvent[] {
  const jobId = c.jobId;
  const timeOf = epochTimes(c);
  const epochs = c.epochs ? c.epochs.epoch.map((_ep, i) => epochEventAt(jobId, c.epochs!, i)) : [];
  const s = c.steps;
  const steps: StepEvent[] = s ? s.epoch.map((ep, i) => ({ type: 'step', v, t: timeOf(ep + 1), jobId, epoch: ep, step: s.step[i] ?? 0, loss: s.loss[i]!, ...(s.sigma ? { sigma: s.sigma[i]! } : {}) })) : [];
  const probes = c.probes ? c.probes.epoch.map((_ep, i) => probeEventAt(jobId, c.probes!, i, timeOf)) : [];
  // Merge by epoch: steps of epoch e (0-based) come before epoch event e + 1 and its probe.
  const out: ActlabEvent[] = [];
  let si = 0; let pi = 0;
  while (pi < probes.length && probes[pi]!.epoch <= 0) out.push(probes[pi++]!);
  for (const ep of epochs) {
    while (si < steps.length && steps[si]!.epoch < ep.epoch) out.push(steps[si++]!);
    out.push(ep);
    while (pi < probes.length && probes[pi]!.epoch <= ep.epoch) out.push(probes[pi++]!);
  }
  while (si < steps.length) out.push(steps[si++]!);
  while (pi < probes.length) out.push(probes[pi++]!);
  return out;
}

/** One packed job's events (decodeJob, then eventsOf). */
export function unpackJob(job: unknown): { jobId: string; events: ActlabEvent[] } {
  const c = decodeJob(job);
  return { jobId: c.jobId, events: eventsOf(c) };
}

/** The decoded jobs of one packed chunk ({ v, jobs }), or an error message. */
export function decodeChunk(data: unknown): JobColumns[] | string {
  try {
    if (!isObj(data) || data.v !== 1 || !Array.isArray(data.jobs)) return 'packed data: unknown format';
    return data.jobs.map(decodeJob);
  } catch (e) {
    return `packed data: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** The jobs of one packed chunk as events, or an error message. */
export function unpackChunk(data: unknown): { jobId: string; events: ActlabEvent[] }[] | string {
  const d = decodeChunk(data);
  return typeof d === 'string' ? d : d.map((c) => ({ jobId: c.jobId, events: eventsOf(c) }));
}

/**
 * The plain events with each packed job's events put where the trainer wrote them: just before
 * that job's jobEnd (or, for a job that never ended, before runEnd).
 */
export function mergePacked(plain: readonly ActlabEvent[], jobs: ReadonlyMap<string, ActlabEvent[]>): ActlabEvent[] {
  const out: ActlabEvent[] = [];
  const done = new Set<string>();
  const flush = (id: string): void => { if (done.has(id)) return; done.add(id); for (const e of jobs.get(id) ?? []) out.push(e); };
  for (const e of plain) {
    if (e.type === 'jobEnd') flush(e.jobId);
    if (e.type === 'runEnd') for (const id of jobs.keys()) flush(id);
    out.push(e);
  }
  for (const id of jobs.keys()) flush(id);
  return out;
}
