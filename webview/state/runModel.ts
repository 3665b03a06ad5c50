/**
 * The panel's model of a run: per-job series and per-arm aggregates, built from protocol
 * events. `applyEvents` is the reducer. It mutates the model in place rather than returning a
 * new one: a live run sends thousands of step events and each must cost O(1) (plus O(seeds)
 * for the aggregate it touches), so the chart-facing point arrays are appended to, not copied.
 * No DOM here — tests and the report share it.
 *
 * Job status and metadata (status, epochs, backend, last/best, probes…) come from the shared fold
 * (src/core/runState.ts): each JobState *is* the fold's job record, extended with the series.
 */
import type { ArmSpec, JobSpec, ResolvedConfig } from '../../src/core/config';
import { CURVE_METRICS, DEAD_METRICS, type CurveMetricKey, type DeadMetricKey } from '../../src/core/metrics';
import { epochMetric, probeMetric, type ActlabEvent, type EpochEvent, type LogEvent } from '../../src/core/protocol';
import { applyEvent as foldEvent, newJobFold, type JobFold, type RunPhase, type RunState } from '../../src/core/runState';
import { append, SeedAggregate, type Pt } from './aggregate';
import type { JobColumns } from './packed';
import { drivingSchedule, learnableParamNames } from '../../src/core/activations';

/** The curves, from the metrics table (a row with `curve: true` adds one). */
export type Metric = CurveMetricKey;
export const METRICS: readonly Metric[] = CURVE_METRICS.map((d) => d.key);
/** Per-epoch view: x = epoch (1-based). Per-step view: x = global step. */
export type XAxis = 'epoch' | 'step';
export type Dirty = 'curves' | 'steps' | 'sigma' | 'probes' | 'status' | 'summary';

/** Step curves are averaged over seeds on a grid of this many buckets at most. */
const STEP_BUCKETS = 400;

export interface LayerSeries {
  units: number;
  /** Per dead-unit definition of the metrics table (DEAD_METRICS); an older run may lack one. */
  dead: Record<DeadMetricKey, Pt[]>;
  /** Probe epochs, 0 = at initialisation; column i of `fracPositive` belongs to probeEpochs[i]. */
  probeEpochs: number[];
  fracPositive: number[][];
}

/** The fold's job (status, stepsPerEpoch, epochs, epoch, backend, seconds, message, …) plus the series. */
export interface JobState extends JobFold {
  spec: JobSpec;
  armIndex: number;
  series: Record<XAxis, Record<Metric, Pt[]>>;
  /** σ actually used, per step event (x = global step) and per epoch event (x = epoch). */
  sigmaSteps: Pt[];
  sigmaEpochs: Pt[];
  /** The global step of each sigmaEpochs entry (per-step schedules plot it on the step axis). */
  sigmaEpochSteps: number[];
  /** Learnable expression parameters per epoch event (x = epoch, y = the mean), by name. */
  learned: Map<string, Pt[]>;
  layers: Map<string, LayerSeries>;
  /** Running sums of step losses per step bucket (for the seed mean in the per-step view). */
  bucketSums: Map<number, { sum: number; count: number }>;
}

export interface ArmState {
  spec: ArmSpec;
  index: number;
  jobs: JobState[];
  agg: Record<XAxis, Record<Metric, SeedAggregate>>;
  /** Per layer, per dead-unit definition: the seeds' aggregate over probe epochs. */
  dead: Map<string, Record<DeadMetricKey, SeedAggregate>>;
  /** Learnable expression parameters over seeds per epoch (x = epoch), by name; per-unit ones by their mean over units. */
  learned: Map<string, SeedAggregate>;
  /** Width of a step bucket; set from the first jobStart (epochs × steps per epoch). */
  stepBucket: number;
}

export interface RunModel {
  runId: string;
  config: ResolvedConfig;
  live: boolean;
  arms: ArmState[];
  /** The shared fold; `jobs` is its job map. */
  state: RunState<JobState>;
  jobs: Map<string, JobState>;
  /**
   * Every event applied, in order; a static report's packed jobs are not among them (they are
   * folded from their columns): `allEvents` (./packedFold.ts) puts them back for the CSV.
   */
  events: ActlabEvent[];
  /** A static report's packed jobs by id, in the report's order (./packedFold.ts). */
  packed: Map<string, JobColumns>;
  /** The packed jobs not folded yet: each is folded just before its jobEnd, as the trainer wrote it. */
  pendingPacked: Set<string>;
  /** From the fold: 'pending' until runStart, then running, then runEnd's status. */
  readonly runStatus: RunPhase;
  readonly runSeconds?: number;
  /** Hidden layers in the order first probed. */
  layerNames: string[];
  /** Warnings and errors, most recent last (bounded). */
  logs: LogEvent[];
  dirty: Set<Dirty>;
  /** Events dropped because they named a job the config does not have. */
  unknownJobEvents: number;
  /**
   * Whether the per-step series of the epoch metrics (all but the step loss, which step events
   * feed) are kept. Off until the per-step x axis is first shown (`usePerStepSeries`): at 200
   * arms they are 4 of the 9 aggregate updates of every epoch event, for a view not shown by default.
   */
  perStep: boolean;
}

// Every key of METRICS is set, which is what Record<Metric, T> promises.
const metricRecord = <T>(make: () => T): Record<Metric, T> =>
  Object.fromEntries(METRICS.map((k) => [k, make()])) as Record<Metric, T>;

export function createModel(runId: string, config: ResolvedConfig, live: boolean): RunModel {
  const arms: ArmState[] = config.arms.map((spec, index) => ({
    spec, index, jobs: [],
    agg: { epoch: metricRecord(() => new SeedAggregate()), step: metricRecord(() => new SeedAggregate()) },
    dead: new Map(),
    // Made up front so that the charts hold these arrays from the start.
    learned: new Map(learnableParamNames(spec.activation).map((n) => [n, new SeedAggregate()])),
    stepBucket: 0,
  }));
  const armIndex = new Map(config.arms.map((a, i) => [a.armId, i]));
  const state: RunState<JobState> = { status: 'pending', jobs: new Map() };
  const jobs = state.jobs;
  for (const spec of config.jobs) {
    const i = armIndex.get(spec.armId);
    if (i === undefined) continue;
    const job: JobState = {
      ...newJobFold(spec.jobId, spec), spec, armIndex: i,
      series: { epoch: metricRecord(() => []), step: metricRecord(() => []) },
      sigmaSteps: [], sigmaEpochs: [], sigmaEpochSteps: [], learned: new Map(), layers: new Map(), bucketSums: new Map(),
    };
    jobs.set(spec.jobId, job);
    arms[i]!.jobs.push(job);
  }
  return {
    runId, config, live, arms, state, jobs, events: [], packed: new Map(), pendingPacked: new Set(), layerNames: [], logs: [],
    get runStatus() { return state.status; },
    get runSeconds() { return state.seconds; },
    dirty: new Set(['curves', 'steps', 'sigma', 'probes', 'status', 'summary']), unknownJobEvents: 0, perStep: false,
  };
}

/** The epoch metrics on the step axis (x = the epoch's last step): at the epoch's step, for one job. */
function addPerStep(arm: ArmState, job: JobState, e: EpochEvent): void {
  for (const k of METRICS) {
    if (k === 'trainLoss') continue;
    const v = epochMetric(e, k);
    if (v === undefined) continue;
    append(job.series.step[k], { x: e.step, y: v });
    arm.agg.step[k].set(e.epoch, e.step, job.spec.jobId, v);
  }
}

/** Keeps the per-step series from now on, filled in from every epoch event so far (the fold's history). */
export function usePerStepSeries(m: RunModel): void {
  if (m.perStep) return;
  m.perStep = true;
  for (const arm of m.arms) for (const job of arm.jobs) for (const e of job.history) addPerStep(arm, job, e);
}

/** Applies `events` (or those in [from, to)). */
export function applyEvents(model: RunModel, events: readonly ActlabEvent[], from = 0, to = events.length): void {
  for (let i = from; i < to; i++) applyEvent(model, events[i]!);
}

/** Applies one event. */
export function applyEvent(m: RunModel, e: ActlabEvent): void {
  m.events.push(e);
  // Status and metadata first (the shared fold); then this model's series.
  const job = foldEvent(m.state, e);
  switch (e.type) {
    case 'runStart':
      m.dirty.add('status');
      return;
    case 'runEnd':
      m.live = false;
      m.dirty.add('status');
      return;
    case 'log':
      if (e.level === 'warn' || e.level === 'error') {
        m.logs.push(e);
        if (m.logs.length > 50) m.logs.shift();
        m.dirty.add('status');
      }
      return;
    default:
      break;
  }
  if (!job) { m.unknownJobEvents++; return; }
  const arm = m.arms[job.armIndex]!;
  switch (e.type) {
    case 'jobStart':
      if (!arm.stepBucket) arm.stepBucket = Math.max(1, Math.ceil((e.epochs * e.stepsPerEpoch) / STEP_BUCKETS));
      m.dirty.add('status').add('summary');
      return;
    case 'step':
      applyStep(m, arm, job, e.step, e.loss, e.sigma);
      return;
    case 'epoch':
      applyEpoch(m, arm, job, e);
      return;
    case 'probe':
      for (const p of e.layers) applyLayer(m, arm, job, e.epoch, p.layer, p.units, (key) => probeMetric(p, key), p.fracPositive);
      m.dirty.add('probes').add('summary');
      return;
    case 'jobEnd':
      m.dirty.add('status').add('summary');
      return;
  }
}

/** A step event's values (the event path and the packed fold, ./packedFold.ts, share it). */
export function applyStep(m: RunModel, arm: ArmState, job: JobState, step: number, loss: number, sigma: number | undefined): void {
  append(job.series.step.trainLoss, { x: step, y: loss });
  if (sigma !== undefined) { append(job.sigmaSteps, { x: step, y: sigma }); m.dirty.add('sigma'); }
  const w = arm.stepBucket || 1;
  const b = Math.floor(step / w);
  const acc = job.bucketSums.get(b) ?? { sum: 0, count: 0 };
  acc.sum += loss; acc.count++;
  job.bucketSums.set(b, acc);
  arm.agg.step.trainLoss.set(b, (b + 0.5) * w, job.spec.jobId, acc.sum / acc.count);
  m.dirty.add('steps');
}

/** An epoch event, after the shared fold took it. */
export function applyEpoch(m: RunModel, arm: ArmState, job: JobState, e: EpochEvent): void {
  const id = job.spec.jobId;
  for (const k of METRICS) {
    const v = epochMetric(e, k);
    if (v === undefined) continue;
    append(job.series.epoch[k], { x: e.epoch, y: v });
    arm.agg.epoch[k].set(e.epoch, e.epoch, id, v);
  }
  // In the per-step view train loss comes from step events; the rest sit at the epoch's last step.
  if (m.perStep) addPerStep(arm, job, e);
  if (e.sigma !== undefined) { append(job.sigmaEpochs, { x: e.epoch, y: e.sigma }); job.sigmaEpochSteps.push(e.step); m.dirty.add('sigma'); }
  for (const [name, v] of Object.entries(e.params ?? {})) {
    const y = typeof v === 'number' ? v : v.mean;
    const pts = job.learned.get(name) ?? [];
    append(pts, { x: e.epoch, y });
    job.learned.set(name, pts);
    let agg = arm.learned.get(name);
    if (!agg) { agg = new SeedAggregate(); arm.learned.set(name, agg); }
    agg.set(e.epoch, e.epoch, id, y);
    m.dirty.add('sigma');
  }
  m.dirty.add('curves').add('steps').add('status').add('summary');
}

/** One layer of a probe: its dead-unit values by definition (undefined: not reported) and per-unit fracPositive. */
export function applyLayer(
  m: RunModel, arm: ArmState, job: JobState, epoch: number, layer: string, units: number,
  dead: (key: DeadMetricKey) => number | undefined, fracPositive: number[],
): void {
  if (!m.layerNames.includes(layer)) m.layerNames.push(layer);
  let s = job.layers.get(layer);
  if (!s) {
    s = { units, dead: perDeadMetric(() => []), probeEpochs: [], fracPositive: [] };
    job.layers.set(layer, s);
  }
  s.probeEpochs.push(epoch);
  s.fracPositive.push(fracPositive);
  let d = arm.dead.get(layer);
  if (!d) { d = perDeadMetric(() => new SeedAggregate()); arm.dead.set(layer, d); }
  for (const { key } of DEAD_METRICS) {
    const y = dead(key);
    if (y === undefined) continue;
    append(s.dead[key], { x: epoch, y });
    d[key].set(epoch, epoch, job.spec.jobId, y);
  }
}

function perDeadMetric<T>(make: () => T): Record<DeadMetricKey, T> {
  return Object.fromEntries(DEAD_METRICS.map((d) => [d.key, make()])) as Record<DeadMetricKey, T>;
}

export interface JobCounts { done: number; running: number; queued: number; failed: number; total: number }

export function jobCounts(m: RunModel): JobCounts {
  const c: JobCounts = { done: 0, running: 0, queued: 0, failed: 0, total: m.jobs.size };
  for (const j of m.jobs.values()) {
    if (j.status === 'queued') c.queued++;
    else if (j.status === 'running') c.running++;
    else { c.done++; if (j.status !== 'completed') c.failed++; }
  }
  return c;
}

/** σ schedule of an arm, when its activation has one. */
export function armSigma(arm: ArmSpec): import('../../src/core/config').Schedule | undefined {
  // The registry knows which parameter drives σ (an expression's scheduled parameter too).
  return drivingSchedule(arm.activation);
}
