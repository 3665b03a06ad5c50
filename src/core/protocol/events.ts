/**
 * Trainer → host events and the host's run-level events: each type beside its parser. Trainer
 * events travel over IPC and are appended, unchanged, to `events.jsonl`; the host adds run-level
 * events; the webview receives the same events. Every receiver validates with `parseEvent`.
 *
 * Versioning: `v` is PROTOCOL_VERSION on every event. Additive changes (a new optional field,
 * a new event type that old readers may skip) keep the version; anything else bumps it.
 *
 * The types are written out (they are the contract); which numeric fields an epoch, step or
 * probe carries, and which of them are optional, is read from the metrics table, and the
 * `epochMetric` / `stepMetric` / `probeMetric` accessors below make the compiler refuse a table
 * row whose key the event type lacks.
 */
import type { BackendName } from '../config';
import { isNum, isObj, isStr, oneOf, optNum, optStr } from '../guards';
import { metricsAt, type Cadence, type MetricKey } from '../metrics';

export const PROTOCOL_VERSION = 1 as const;

export const JOB_STATUSES = ['completed', 'diverged', 'failed', 'cancelled'] as const;
/** How a job ended (the jobEnd event). */
export type JobStatus = (typeof JOB_STATUSES)[number];
export const RUN_STATUSES = ['running', ...JOB_STATUSES] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface BackendInfo {
  name: BackendName;
  /** Why a faster backend was not used (e.g. "tfjs-node not installed"); empty when the fastest ran. */
  notes: string[];
  /** wasm: SIMD and threads as detected. */
  simd?: boolean;
  threads?: boolean;
  /** webgpu: the adapter it runs on. */
  adapter?: GpuAdapterInfo;
}

/** A WebGPU adapter as it describes itself (GPUAdapterInfo); `software`: a CPU renderer (llvmpipe, SwiftShader). */
export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  software: boolean;
}

/** One hidden layer's probe on the fixed held-out batch. */
export interface LayerProbe {
  /** e.g. "dense1", "conv2". */
  layer: string;
  units: number;
  /** Fraction of units with |mean activation| < τ (the N-ReLU paper's definition). */
  deadMean: number;
  /**
   * Fraction of units with mean activation < τ, signed (a negative mean counts as dead: the
   * rule as the N-ReLU notes word it). Absent in runs recorded before it existed.
   */
  deadSigned?: number;
  /** Fraction of units with max |f′(pre-activation)| < τ over the batch (gradient-dead). */
  deadGrad: number;
  /** Mean activation over units and batch. */
  meanActivation: number;
  /** Per unit: fraction of (sample, position) with pre-activation > 0 (for the heatmap). */
  fracPositive: number[];
  /**
   * L2 norm of the loss gradient w.r.t. this layer's weights, from the latest training step:
   * the epoch's last batch (epoch 0: step 0's gradient, at the initial weights).
   */
  gradNorm: number;
}

interface Base {
  v: typeof PROTOCOL_VERSION;
  /** Milliseconds since the epoch, at the sender. */
  t: number;
}

// --- trainer → host (per job) ---------------------------------------------------------------

export interface JobStartEvent extends Base {
  type: 'jobStart';
  jobId: string;
  backend: BackendInfo;
  /**
   * Threads training this job (data-parallel shards; absent in runs recorded before it existed
   * means 1). The numbers depend on it: a rerun reproduces them with the same count.
   */
  threads?: number;
  parameters: number;
  stepsPerEpoch: number;
  epochs: number;
  trainSize: number;
  testSize: number;
}

export interface StepEvent extends Base {
  type: 'step';
  jobId: string;
  epoch: number;
  /** Global step, counted from 0. */
  step: number;
  loss: number;
  /** σ used at this step (noise activations only). */
  sigma?: number;
}

export interface EpochEvent extends Base {
  type: 'epoch';
  jobId: string;
  /** 1-based: epoch 1 is the first finished epoch. */
  epoch: number;
  step: number;
  trainLoss: number;
  testLoss: number;
  /** Absent for regression. */
  trainAccuracy?: number;
  testAccuracy?: number;
  /**
   * With input masks only: loss (and accuracy, for classification) on the training inputs with
   * the mask off, in inference mode, over a fixed subset of at most CLEAN_TRAIN_SAMPLES rows.
   */
  cleanTrainLoss?: number;
  cleanTrainAccuracy?: number;
  sigma?: number;
  /**
   * Learnable expression parameters after the epoch, by name: the mean over layers (per
   * "layer"), or the mean and range over every unit of every layer (per "unit"). Absent when none.
   */
  params?: Record<string, LearnedParam>;
  seconds: number;
  samplesPerSec: number;
  /** webgpu: device memory tfjs holds at the epoch's end (its buffer pool), MB. */
  gpuMemoryMB?: number;
}

/** One learnable parameter's value in an epoch event. */
export type LearnedParam = number | { mean: number; min: number; max: number };

function isLearnedParam(v: unknown): v is LearnedParam {
  return isNum(v) || (isObj(v) && isNum(v.mean) && isNum(v.min) && isNum(v.max));
}

const optParams = (v: unknown): boolean => v === undefined || (isObj(v) && Object.values(v).every(isLearnedParam));

export interface ProbeEvent extends Base {
  type: 'probe';
  jobId: string;
  /** 0 = at initialisation, before training; then after each epoch. */
  epoch: number;
  layers: LayerProbe[];
  /** Milliseconds the probe took (kept so its cost is visible). */
  ms: number;
}

export interface JobEndEvent extends Base {
  type: 'jobEnd';
  jobId: string;
  status: JobStatus;
  /** Where it ended (diverged: the epoch and step of the first non-finite loss, or the first past the divergence factor). */
  epoch: number;
  step: number;
  message?: string;
  seconds: number;
}

export interface LogEvent extends Base {
  type: 'log';
  jobId?: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

export type TrainerEvent = JobStartEvent | StepEvent | EpochEvent | ProbeEvent | JobEndEvent | LogEvent;

// --- host (run level) -----------------------------------------------------------------------

export interface RunStartEvent extends Base {
  type: 'runStart';
  runId: string;
  name: string;
  jobIds: string[];
  parallel: number;
}

export interface RunEndEvent extends Base {
  type: 'runEnd';
  runId: string;
  status: RunStatus;
  seconds: number;
}

export type RunEvent = RunStartEvent | RunEndEvent;

/** What a line of events.jsonl holds. */
export type ActlabEvent = TrainerEvent | RunEvent;

export function isTrainerEvent(e: ActlabEvent): e is TrainerEvent {
  return e.type !== 'runStart' && e.type !== 'runEnd';
}

/**
 * "wasm", "wasm ×2" for a job trained on two threads, "webgpu (NVIDIA GeForce RTX 4090)" with
 * the GPU adapter: what summaries, the CLI and the panel show.
 */
export function backendLabel(e: JobStartEvent): string {
  const a = e.backend.adapter;
  // Dawn's description is "<device name>: <driver>" (e.g. "llvmpipe: Mesa 25.0.7 …"): the name.
  const gpu = a ? (a.description.split(': ')[0] || a.device || a.vendor || 'unknown adapter') + (a.software ? ', software' : '') : '';
  const name = gpu ? `${e.backend.name} (${gpu})` : e.backend.name;
  return e.threads !== undefined && e.threads > 1 ? `${name} ×${e.threads}` : name;
}

// --- the metrics table on the events ---------------------------------------------------------

/**
 * A metric's value on its event (undefined when an optional metric is absent). Indexing the
 * event by the table's keys is the check: a row whose key the event type lacks does not compile.
 */
export const epochMetric = (e: EpochEvent, key: MetricKey<'epoch'>): number | undefined => e[key];
export const stepMetric = (e: StepEvent, key: MetricKey<'step'>): number | undefined => e[key];
export const probeMetric = (l: LayerProbe, key: MetricKey<'probe'>): number | undefined => l[key];

/** The table's fields of one cadence are numbers, required unless the row says optional. */
function hasMetrics(x: Record<string, unknown>, cadence: Cadence): boolean {
  for (const d of metricsAt(cadence)) {
    const v = x[d.key];
    if (!(d.optional === true ? optNum(v) : isNum(v))) return false;
  }
  return true;
}

// --- validation -----------------------------------------------------------------------------

/** Hand-written instead of ajv: events are hot (every step) and the shapes are small and flat. */
function isLayerProbe(x: unknown): x is LayerProbe {
  return isObj(x) && isStr(x.layer) && isNum(x.units) && hasMetrics(x, 'probe')
    && Array.isArray(x.fracPositive) && x.fracPositive.every(isNum);
}

/** Returns the event if `x` is a well-formed event of this protocol version, else an error string. */
export function parseEvent(x: unknown): ActlabEvent | string {
  if (!isObj(x)) return 'event is not an object';
  if (x.v !== PROTOCOL_VERSION) return `unsupported protocol version ${String(x.v)} (expected ${PROTOCOL_VERSION})`;
  if (!isNum(x.t)) return 'event has no timestamp';
  const ok = (cond: boolean): ActlabEvent | string => (cond ? (x as unknown as ActlabEvent) : `malformed '${String(x.type)}' event`);
  switch (x.type) {
    case 'jobStart':
      return ok(isStr(x.jobId) && isObj(x.backend) && isStr(x.backend.name) && Array.isArray(x.backend.notes)
        && optNum(x.threads) && isNum(x.parameters) && isNum(x.stepsPerEpoch) && isNum(x.epochs) && isNum(x.trainSize) && isNum(x.testSize));
    case 'step':
      return ok(isStr(x.jobId) && isNum(x.epoch) && isNum(x.step) && hasMetrics(x, 'step'));
    case 'epoch':
      return ok(isStr(x.jobId) && isNum(x.epoch) && isNum(x.step) && hasMetrics(x, 'epoch') && optParams(x.params));
    case 'probe':
      return ok(isStr(x.jobId) && isNum(x.epoch) && Array.isArray(x.layers) && x.layers.every(isLayerProbe) && isNum(x.ms));
    case 'jobEnd':
      return ok(isStr(x.jobId) && oneOf(JOB_STATUSES, x.status) && isNum(x.epoch) && isNum(x.step)
        && optStr(x.message) && isNum(x.seconds));
    case 'log':
      return ok(isStr(x.level) && isStr(x.message) && optStr(x.jobId));
    case 'runStart':
      return ok(isStr(x.runId) && isStr(x.name) && Array.isArray(x.jobIds) && x.jobIds.every(isStr) && isNum(x.parallel));
    case 'runEnd':
      return ok(isStr(x.runId) && oneOf(RUN_STATUSES, x.status) && isNum(x.seconds));
    default:
      return `unknown event type '${String(x.type)}'`;
  }
}
