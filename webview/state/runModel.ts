/**
 * The panel's model of a run: per-job series and per-arm aggregates, built from protocol
 * events. `applyEvents` is the reducer. It mutates the model in place rather than returning a
 * new one: a live run sends thousands of step events and each must cost O(1) (plus O(seeds)
 * for the aggregate it touches), so the chart-facing point arrays are appended to, not copied.
 * No DOM here — tests and the report share it.
 */
import type { ArmSpec, JobSpec, ResolvedConfig } from '../../src/core/config';
import { backendLabel, type ActlabEvent, type JobStatus, type LayerProbe, type LogEvent, type RunStatus } from '../../src/core/protocol';
import { SeedAggregate, type Pt } from './aggregate';

export const METRICS = ['trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy'] as const;
export type Metric = (typeof METRICS)[number];
/** Per-epoch view: x = epoch (1-based). Per-step view: x = global step. */
export type XAxis = 'epoch' | 'step';
export type Dirty = 'curves' | 'steps' | 'sigma' | 'probes' | 'status' | 'summary';

/** Step curves are averaged over seeds on a grid of this many buckets at most. */
const STEP_BUCKETS = 400;

export interface LayerSeries {
  units: number;
  deadMean: Pt[];
  deadGrad: Pt[];
  /** Probe epochs, 0 = at initialisation; column i of `fracPositive` belongs to probeEpochs[i]. */
  probeEpochs: number[];
  fracPositive: number[][];
}

export interface JobState {
  spec: JobSpec;
  armIndex: number;
  status: 'queued' | 'running' | JobStatus;
  stepsPerEpoch: number;
  epochs: number;
  /** Last finished epoch. */
  epoch: number;
  backend?: string;
  seconds?: number;
  message?: string;
  series: Record<XAxis, Record<Metric, Pt[]>>;
  /** σ actually used, per step event (x = global step) and per epoch event (x = epoch). */
  sigmaSteps: Pt[];
  sigmaEpochs: Pt[];
  /** The global step of each sigmaEpochs entry (per-step schedules plot it on the step axis). */
  sigmaEpochSteps: number[];
  layers: Map<string, LayerSeries>;
  /** Running sums of step losses per step bucket (for the seed mean in the per-step view). */
  bucketSums: Map<number, { sum: number; count: number }>;
}

export interface ArmState {
  spec: ArmSpec;
  index: number;
  jobs: JobState[];
  agg: Record<XAxis, Record<Metric, SeedAggregate>>;
  dead: Map<string, { deadMean: SeedAggregate; deadGrad: SeedAggregate }>;
  /** Width of a step bucket; set from the first jobStart (epochs × steps per epoch). */
  stepBucket: number;
}

export interface RunModel {
  runId: string;
  config: ResolvedConfig;
  live: boolean;
  arms: ArmState[];
  jobs: Map<string, JobState>;
  /** Every event applied, in order (the summary and the CSV read them). */
  events: ActlabEvent[];
  runStatus: RunStatus | 'pending';
  runSeconds?: number;
  /** Hidden layers in the order first probed. */
  layerNames: string[];
  /** Warnings and errors, most recent last (bounded). */
  logs: LogEvent[];
  dirty: Set<Dirty>;
  /** Events dropped because they named a job the config does not have. */
  unknownJobEvents: number;
}

const metricRecord = <T>(make: () => T): Record<Metric, T> =>
  ({ trainLoss: make(), testLoss: make(), trainAccuracy: make(), testAccuracy: make() });

export function createModel(runId: string, config: ResolvedConfig, live: boolean): RunModel {
  const arms: ArmState[] = config.arms.map((spec, index) => ({
    spec, index, jobs: [],
    agg: { epoch: metricRecord(() => new SeedAggregate()), step: metricRecord(() => new SeedAggregate()) },
    dead: new Map(),
    stepBucket: 0,
  }));
  const armIndex = new Map(config.arms.map((a, i) => [a.armId, i]));
  const jobs = new Map<string, JobState>();
  for (const spec of config.jobs) {
    const i = armIndex.get(spec.armId);
    if (i === undefined) continue;
    const job: JobState = {
      spec, armIndex: i, status: 'queued', stepsPerEpoch: 0, epochs: spec.training.epochs, epoch: 0,
      series: { epoch: metricRecord(() => []), step: metricRecord(() => []) },
      sigmaSteps: [], sigmaEpochs: [], sigmaEpochSteps: [], layers: new Map(), bucketSums: new Map(),
    };
    jobs.set(spec.jobId, job);
    arms[i]!.jobs.push(job);
  }
  return {
    runId, config, live, arms, jobs, events: [], runStatus: 'pending', layerNames: [], logs: [],
    dirty: new Set(['curves', 'steps', 'sigma', 'probes', 'status', 'summary']), unknownJobEvents: 0,
  };
}

export function applyEvents(model: RunModel, events: readonly ActlabEvent[]): void {
  for (const e of events) applyEvent(model, e);
}

function applyEvent(m: RunModel, e: ActlabEvent): void {
  m.events.push(e);
  switch (e.type) {
    case 'runStart':
      m.runStatus = 'running';
      m.dirty.add('status');
      return;
    case 'runEnd':
      m.runStatus = e.status;
      m.runSeconds = e.seconds;
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
  const job = m.jobs.get(e.jobId);
  if (!job) { m.unknownJobEvents++; return; }
  const arm = m.arms[job.armIndex]!;
  switch (e.type) {
    case 'jobStart':
      job.status = 'running';
      job.stepsPerEpoch = e.stepsPerEpoch;
      job.epochs = e.epochs;
      job.backend = backendLabel(e);
      if (!arm.stepBucket) arm.stepBucket = Math.max(1, Math.ceil((e.epochs * e.stepsPerEpoch) / STEP_BUCKETS));
      m.dirty.add('status').add('summary');
      return;
    case 'step': {
      const id = job.spec.jobId;
      job.series.step.trainLoss.push({ x: e.step, y: e.loss });
      if (e.sigma !== undefined) { job.sigmaSteps.push({ x: e.step, y: e.sigma }); m.dirty.add('sigma'); }
      const w = arm.stepBucket || 1;
      const b = Math.floor(e.step / w);
      const acc = job.bucketSums.get(b) ?? { sum: 0, count: 0 };
      acc.sum += e.loss; acc.count++;
      job.bucketSums.set(b, acc);
      arm.agg.step.trainLoss.set(b, (b + 0.5) * w, id, acc.sum / acc.count);
      m.dirty.add('steps');
      return;
    }
    case 'epoch': {
      const id = job.spec.jobId;
      job.epoch = Math.max(job.epoch, e.epoch);
      const values: Record<Metric, number | undefined> = {
        trainLoss: e.trainLoss, testLoss: e.testLoss, trainAccuracy: e.trainAccuracy, testAccuracy: e.testAccuracy,
      };
      for (const k of Object.keys(values) as Metric[]) {
        const v = values[k];
        if (v === undefined) continue;
        job.series.epoch[k].push({ x: e.epoch, y: v });
        arm.agg.epoch[k].set(e.epoch, e.epoch, id, v);
        // In the per-step view train loss comes from step events; the rest sit at the epoch's last step.
        if (k !== 'trainLoss') {
          job.series.step[k].push({ x: e.step, y: v });
          arm.agg.step[k].set(e.epoch, e.step, id, v);
        }
      }
      if (e.sigma !== undefined) { job.sigmaEpochs.push({ x: e.epoch, y: e.sigma }); job.sigmaEpochSteps.push(e.step); m.dirty.add('sigma'); }
      m.dirty.add('curves').add('steps').add('status').add('summary');
      return;
    }
    case 'probe':
      for (const layer of e.layers) applyProbe(m, arm, job, e.epoch, layer);
      m.dirty.add('probes').add('summary');
      return;
    case 'jobEnd':
      job.status = e.status;
      job.seconds = e.seconds;
      if (e.message !== undefined) job.message = e.message;
      m.dirty.add('status').add('summary');
      return;
  }
}

function applyProbe(m: RunModel, arm: ArmState, job: JobState, epoch: number, p: LayerProbe): void {
  if (!m.layerNames.includes(p.layer)) m.layerNames.push(p.layer);
  let s = job.layers.get(p.layer);
  if (!s) {
    s = { units: p.units, deadMean: [], deadGrad: [], probeEpochs: [], fracPositive: [] };
    job.layers.set(p.layer, s);
  }
  s.deadMean.push({ x: epoch, y: p.deadMean });
  s.deadGrad.push({ x: epoch, y: p.deadGrad });
  s.probeEpochs.push(epoch);
  s.fracPositive.push(p.fracPositive);
  let d = arm.dead.get(p.layer);
  if (!d) { d = { deadMean: new SeedAggregate(), deadGrad: new SeedAggregate() }; arm.dead.set(p.layer, d); }
  d.deadMean.set(epoch, epoch, job.spec.jobId, p.deadMean);
  d.deadGrad.set(epoch, epoch, job.spec.jobId, p.deadGrad);
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
  const a = arm.activation;
  return 'sigma' in a ? a.sigma : undefined;
}
