/**
 * Decoder of the compact bulk-event form report.html embeds (encoder and format notes:
 * src/report/pack.ts; the webview may not import src/report, so the format is checked here
 * structurally, as the host checks messages). Steps and probes get their epoch's time.
 */
import { metricsAt } from '../../src/core/metrics';
import { PROTOCOL_VERSION, type ActlabEvent, type EpochEvent, type LayerProbe, type ProbeEvent, type StepEvent } from '../../src/core/protocol';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const v = PROTOCOL_VERSION;

class PackError extends Error {}

function ints(c: unknown, n?: number): number[] {
  if (isObj(c) && typeof c.a === 'number' && typeof c.d === 'number' && typeof c.n === 'number') {
    return Array.from({ length: c.n }, (_, i) => (c.a as number) + i * (c.d as number));
  }
  if (isObj(c) && Array.isArray(c.z)) {
    let acc = 0;
    return c.z.map((d) => { if (typeof d !== 'number') throw new PackError('bad int column'); return (acc += d); });
  }
  throw new PackError(`bad int column${n === undefined ? '' : ` (${n})`}`);
}

function nums(c: unknown): number[] {
  const num = (x: unknown): number => (typeof x === 'number' ? x : Number.NaN);
  if (Array.isArray(c)) return c.map(num);
  if (isObj(c) && typeof c.n === 'number') return new Array<number>(c.n).fill(num(c.c));
  if (isObj(c) && Array.isArray(c.q) && typeof c.u === 'number' && c.u > 0) return c.q.map((k) => num(k) / (c.u as number));
  throw new PackError('bad number column');
}

const OPTIONAL_EPOCH_METRICS = metricsAt('epoch').filter((d) => d.optional === true);

function epochEvents(jobId: string, e: Obj): EpochEvent[] {
  const epoch = ints(e.epoch); const step = ints(e.step); const t = ints(e.t);
  const [trainLoss, testLoss, seconds, samplesPerSec] = [nums(e.trainLoss), nums(e.testLoss), nums(e.seconds), nums(e.samplesPerSec)];
  // The optional metrics of the table that the job reported (the encoder packs each one it has).
  const optionals = OPTIONAL_EPOCH_METRICS.flatMap((d) => (e[d.key] === undefined ? [] : [[d.key, nums(e[d.key])] as const]));
  return epoch.map((ep, i) => ({
    type: 'epoch', v, t: t[i] ?? 0, jobId, epoch: ep, step: step[i] ?? 0, trainLoss: trainLoss[i]!, testLoss: testLoss[i]!,
    ...Object.fromEntries(optionals.map(([k, col]) => [k, col[i]!])),
    seconds: seconds[i]!, samplesPerSec: samplesPerSec[i]!,
  }));
}

function stepEvents(jobId: string, s: Obj, timeOf: (epoch: number) => number): StepEvent[] {
  const epoch = ints(s.epoch); const step = ints(s.step); const loss = nums(s.loss);
  const sigma = s.sigma === undefined ? undefined : nums(s.sigma);
  return epoch.map((ep, i) => ({ type: 'step', v, t: timeOf(ep + 1), jobId, epoch: ep, step: step[i] ?? 0, loss: loss[i]!, ...(sigma ? { sigma: sigma[i]! } : {}) }));
}

function probeEvents(jobId: string, p: Obj, timeOf: (epoch: number) => number): ProbeEvent[] {
  const epoch = ints(p.epoch); const ms = nums(p.ms);
  if (!Array.isArray(p.layers)) throw new PackError('bad probe layers');
  const layers = p.layers.map((l: unknown) => {
    if (!isObj(l) || typeof l.layer !== 'string' || typeof l.units !== 'number' || !isObj(l.frac) || !Array.isArray(l.frac.at) || !Array.isArray(l.frac.rows)) throw new PackError('bad layer');
    const rows = new Map<number, number[]>();
    l.frac.at.forEach((i: unknown, k: number) => {
      const row = (l.frac as Obj).rows as unknown[];
      if (typeof i === 'number' && Array.isArray(row[k])) rows.set(i, (row[k] as unknown[]).map((x) => (typeof x === 'number' && x >= 0 ? x / 1000 : Number.NaN)));
    });
    const deadSigned = l.deadSigned === undefined ? undefined : nums(l.deadSigned);
    return { layer: l.layer, units: l.units, deadMean: nums(l.deadMean), deadSigned, deadGrad: nums(l.deadGrad), meanActivation: nums(l.meanActivation), gradNorm: nums(l.gradNorm), rows };
  });
  return epoch.map((ep, i) => ({
    type: 'probe', v, t: timeOf(ep), jobId, epoch: ep, ms: ms[i] ?? 0,
    layers: layers.map((l): LayerProbe => ({
      layer: l.layer, units: l.units, deadMean: l.deadMean[i]!, ...(l.deadSigned ? { deadSigned: l.deadSigned[i]! } : {}),
      deadGrad: l.deadGrad[i]!, meanActivation: l.meanActivation[i]!, gradNorm: l.gradNorm[i]!,
      // Not kept for this probe epoch: an empty row (the heatmap leaves the column out).
      fracPositive: l.rows.get(i) ?? [],
    })),
  }));
}

/**
 * One packed job's events in the order a trainer writes them: probe at init, then per epoch its
 * steps, the epoch event and its probe.
 */
export function unpackJob(job: unknown): { jobId: string; events: ActlabEvent[] } {
  if (!isObj(job) || typeof job.jobId !== 'string') throw new PackError('bad packed job');
  const jobId = job.jobId;
  const epochs = isObj(job.epochs) ? epochEvents(jobId, job.epochs) : [];
  const times = new Map(epochs.map((e) => [e.epoch, e.t]));
  const first = epochs[0]?.t ?? 0;
  const timeOf = (epoch: number): number => times.get(epoch) ?? (epoch <= 0 ? first : epochs.at(-1)?.t ?? first);
  const steps = isObj(job.steps) ? stepEvents(jobId, job.steps, timeOf) : [];
  const probes = isObj(job.probes) ? probeEvents(jobId, job.probes, timeOf) : [];
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
  return { jobId, events: out };
}

/** The jobs of one packed chunk ({ v, jobs }), or an error message. */
export function unpackChunk(data: unknown): { jobId: string; events: ActlabEvent[] }[] | string {
  try {
    if (!isObj(data) || data.v !== 1 || !Array.isArray(data.jobs)) return 'packed data: unknown format';
    return data.jobs.map(unpackJob);
  } catch (e) {
    return `packed data: ${e instanceof Error ? e.message : String(e)}`;
  }
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
