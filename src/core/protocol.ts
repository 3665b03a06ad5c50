/**
 * The one protocol. Trainer → host events travel over IPC and are appended, unchanged, to
 * `events.jsonl`; the host adds run-level events. The webview receives the same events.
 * Every receiver validates with `parseEvent` (nothing crosses a boundary untyped).
 *
 * Versioning: `v` is PROTOCOL_VERSION on every event. Additive changes (a new optional field,
 * a new event type that old readers may skip) keep the version; anything else bumps it.
 */
import type { BackendName, JobSpec, ResolvedConfig } from './config';

export const PROTOCOL_VERSION = 1 as const;

export type JobStatus = 'completed' | 'diverged' | 'failed' | 'cancelled';
export type RunStatus = 'running' | JobStatus;

export interface BackendInfo {
  name: BackendName;
  /** Why a faster backend was not used (e.g. "tfjs-node not installed"); empty when the fastest ran. */
  notes: string[];
  /** wasm: SIMD and threads as detected. */
  simd?: boolean;
  threads?: boolean;
}

/** One hidden layer's probe on the fixed held-out batch. */
export interface LayerProbe {
  /** e.g. "dense1", "conv2". */
  layer: string;
  units: number;
  /** Fraction of units with |mean activation| < τ (the N-ReLU paper's definition). */
  deadMean: number;
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
  sigma?: number;
  seconds: number;
  samplesPerSec: number;
}

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
  /** Where it ended (diverged: the epoch and step of the first non-finite loss). */
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

/** "wasm", or "wasm ×2" for a job trained on two threads: what summaries and the panel show. */
export function backendLabel(e: JobStartEvent): string {
  return e.threads !== undefined && e.threads > 1 ? `${e.backend.name} ×${e.threads}` : e.backend.name;
}

// --- host → trainer -------------------------------------------------------------------------

export type HostToTrainer =
  /** `threads`: how many the job may use (data-parallel shards on wasm); default 1. */
  | { type: 'start'; v: typeof PROTOCOL_VERSION; job: JobSpec; threads?: number }
  | { type: 'cancel'; v: typeof PROTOCOL_VERSION };

// --- host ↔ webview -------------------------------------------------------------------------

export type HostToWebview =
  | { type: 'init'; v: typeof PROTOCOL_VERSION; runId: string; config: ResolvedConfig; events: ActlabEvent[]; live: boolean }
  | { type: 'events'; v: typeof PROTOCOL_VERSION; runId: string; events: ActlabEvent[] }
  | { type: 'response'; v: typeof PROTOCOL_VERSION; requestId: number; ok: boolean; error?: string };

export type WebviewToHost =
  | { type: 'ready'; v: typeof PROTOCOL_VERSION }
  | { type: 'request'; v: typeof PROTOCOL_VERSION; requestId: number; action: 'stop' | 'exportCsv' | 'openConfig' | 'openReport' };

// --- validation -----------------------------------------------------------------------------

/** Hand-written instead of ajv: events are hot (every step) and the shapes are small and flat. */
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number';
const isStr = (x: unknown): x is string => typeof x === 'string';
const optNum = (x: unknown): boolean => x === undefined || isNum(x);

const JOB_STATUSES: readonly string[] = ['completed', 'diverged', 'failed', 'cancelled'];

function isLayerProbe(x: unknown): x is LayerProbe {
  return isObj(x) && isStr(x.layer) && isNum(x.units) && isNum(x.deadMean) && isNum(x.deadGrad)
    && isNum(x.meanActivation) && Array.isArray(x.fracPositive) && x.fracPositive.every(isNum) && isNum(x.gradNorm);
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
      return ok(isStr(x.jobId) && isNum(x.epoch) && isNum(x.step) && isNum(x.loss) && optNum(x.sigma));
    case 'epoch':
      return ok(isStr(x.jobId) && isNum(x.epoch) && isNum(x.step) && isNum(x.trainLoss) && isNum(x.testLoss)
        && optNum(x.trainAccuracy) && optNum(x.testAccuracy) && optNum(x.sigma) && isNum(x.seconds) && isNum(x.samplesPerSec));
    case 'probe':
      return ok(isStr(x.jobId) && isNum(x.epoch) && Array.isArray(x.layers) && x.layers.every(isLayerProbe) && isNum(x.ms));
    case 'jobEnd':
      return ok(isStr(x.jobId) && isStr(x.status) && JOB_STATUSES.includes(x.status) && isNum(x.epoch) && isNum(x.step)
        && (x.message === undefined || isStr(x.message)) && isNum(x.seconds));
    case 'log':
      return ok(isStr(x.level) && isStr(x.message) && (x.jobId === undefined || isStr(x.jobId)));
    case 'runStart':
      return ok(isStr(x.runId) && isStr(x.name) && Array.isArray(x.jobIds) && x.jobIds.every(isStr) && isNum(x.parallel));
    case 'runEnd':
      return ok(isStr(x.runId) && isStr(x.status) && isNum(x.seconds));
    default:
      return `unknown event type '${String(x.type)}'`;
  }
}

export function isTrainerEvent(e: ActlabEvent): e is TrainerEvent {
  return e.type !== 'runStart' && e.type !== 'runEnd';
}

/**
 * JSON cannot carry NaN/Infinity; a diverged loss must still reach the chart as "not finite".
 * Non-finite numbers are written as null by JSON.stringify; readers treat null loss as NaN.
 */
export function encodeEvent(e: ActlabEvent): string {
  return JSON.stringify(e, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}

export function decodeEventLine(line: string): ActlabEvent | string {
  let raw: unknown;
  try {
    raw = JSON.parse(line, (_k, v: unknown) => (v === null ? Number.NaN : v));
  } catch (e) {
    return `not JSON: ${(e as Error).message}`;
  }
  return parseEvent(raw);
}
