/**
 * The experiment config language: what a user writes (`Raw*`, mirrored by
 * schemas/actlab.schema.json) and what a trainer runs (`JobSpec`, fully resolved:
 * no sweeps, no defaults left to fill, every schedule explicit).
 */

// ---------------------------------------------------------------------------
// Names

// Activation names and resolved specs come from the registry (src/core/activations): one file each.
export { ACTIVATION_TYPES } from './activations';
export type { ActivationSpec, ActivationType } from './activations';
import type { ActivationSpec, ActivationType } from './activations';

export const SCHEDULE_KINDS = ['constant', 'linear', 'cosine', 'exponential', 'step'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

export const BACKENDS = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];
/** The backend that actually ran ('tensorflow' = tfjs-node, 'tensorflow-gpu' = tfjs-node-gpu, 'webgpu' = tfjs-backend-webgpu on Dawn). */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

export const DATASETS = ['mnist', 'idx', 'cifar10', 'teacher'] as const;
export type DatasetName = (typeof DATASETS)[number];

export const OPTIMIZERS = ['adam', 'sgd', 'momentum', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const LOSSES = ['crossEntropy', 'mse'] as const;
export type LossName = (typeof LOSSES)[number];

export const INITS = ['he', 'glorot', 'leakyHe', 'rescaled'] as const;
export type InitName = (typeof INITS)[number];

/** standard: weights drawn at the init's scale; ntk: weights N(0, 1), pre-activations × 1/√fan_in. */
export const PARAMETERIZATIONS = ['standard', 'ntk'] as const;
export type Parameterization = (typeof PARAMETERIZATIONS)[number];

/** default: the output layer drawn like the others; sign: ±1 with equal probability. */
export const OUTPUT_INITS = ['default', 'sign'] as const;
export type OutputInit = (typeof OUTPUT_INITS)[number];

/** A layer whose weights and biases keep their initial values: the first, the output, or hidden layer i (1-based). */
export type FrozenLayer = 'input' | 'output' | number;

/** How teacher inputs are drawn: N(0, I_d), or that normalised onto the unit sphere. */
export const TEACHER_INPUTS = ['gaussian', 'sphere'] as const;
export type TeacherInputs = (typeof TEACHER_INPUTS)[number];
/** Between each hidden layer's linear map and its activation: nothing (today's model) or BatchNorm. */
export const NORMS = ['none', 'batch'] as const;
export type NormName = (typeof NORMS)[number];

// ---------------------------------------------------------------------------
// Raw config (as written; JSON with comments)

export interface SweepSpec<T> { sweep: T[] }

/** A scheduled value over training, t = 0..T where T is the last epoch (or step). */
export interface RawSchedule {
  schedule: ScheduleKind;
  start: number;
  /** Required for linear, cosine, exponential. */
  end?: number;
  /** Unit of t. Default 'epoch'. */
  per?: 'epoch' | 'step';
  /** For 'step': multiply by `factor` every `every` units of t. */
  every?: number;
  factor?: number;
}

export type Sweepable<T> = T | SweepSpec<T>;
export type ScheduledNumber = number | RawSchedule;

/** A type-specific parameter as written: see the type's registry entry for which kind it is. */
export type RawParamValue = Sweepable<ScheduledNumber> | boolean | string | RawNamedParams;

/** An expression's `params` as written: user-named numbers, schedules, sweeps, learnables. */
export interface RawNamedParams { readonly [name: string]: unknown }

export interface RawActivation {
  id: string;
  type: ActivationType;
  /** Display label; defaults to id. */
  label?: string;
  /** Type-specific parameters (validated per type against the registry). */
  [param: string]: RawParamValue | undefined;
}

export interface RawInputNoise {
  type: 'multiplicative';
  kappa: Sweepable<number>;
}

export interface RawData {
  dataset: DatasetName;
  trainSize?: Sweepable<number>;
  testSize?: number;
  /** idx: folder with train-images-idx3-ubyte[.gz] etc.; cifar10: the cifar-10-batches-bin folder. */
  path?: string;
  /** teacher: samples, input dim, teacher width, label noise std. */
  n?: Sweepable<number>;
  d?: number;
  width?: number;
  noise?: number;
  /** teacher: gaussian (default) or sphere (‖x‖ = 1, the constant coordinate included). */
  inputs?: TeacherInputs;
  /** teacher: a constant appended to every input as one more coordinate. */
  appendConstant?: number;
  /** teacher: subtract the training targets' mean. */
  center?: boolean;
  inputNoise?: RawInputNoise;
}

export interface RawModel {
  type: 'mlp' | 'cnn';
  hidden?: Sweepable<number[]>;  // mlp (a sweep varies width and depth)
  conv?: number[];    // cnn: filters per conv block (3x3 conv + 2x2 max-pool)
  dense?: number[];   // cnn: dense layers after the conv blocks
  init?: InitName;
  bias?: boolean;
  freeze?: FrozenLayer[];
  parameterization?: Parameterization;
  outputInit?: OutputInit;
  /** Default 'none'. */
  norm?: NormName;
}

export interface RawTraining {
  epochs: number;
  batchSize?: Sweepable<number | 'full'>;
  optimizer?: OptimizerName;
  learningRate?: Sweepable<number>;
  momentum?: number;
  loss?: LossName;
  seeds?: number[];
  divergenceFactor?: number;
}

export interface RawProbes {
  deadThreshold?: number;
  samples?: number;
  /** Probe after every this-many epochs (and always at 0 and after the last epoch). */
  every?: number;
  /** Per-step events are throttled to at most one every this many ms. */
  stepEventMs?: number;
}

export interface RawConfig {
  $schema?: string;
  name: string;
  description?: string;
  data: RawData;
  model: RawModel;
  activations: RawActivation[];
  training: RawTraining;
  probes?: RawProbes;
  backend?: BackendChoice;
  /** Raises the validator's limits (core/limits.ts) for this config. */
  limits?: RawLimits;
}

export interface RawLimits { jobs?: number; parameters?: number; memoryMiB?: number; hours?: number }

// ---------------------------------------------------------------------------
// Resolved (what one trainer process runs)

/** A fully explicit schedule. A constant number is { kind: 'constant', start: v, end: v }. */
export interface Schedule {
  kind: ScheduleKind;
  start: number;
  end: number;
  per: 'epoch' | 'step';
  every: number;
  factor: number;
}

export type DataSpec =
  | { dataset: 'mnist'; trainSize: number; testSize: number; kappa: number }
  | { dataset: 'idx'; path: string; trainSize: number; testSize: number; kappa: number }
  | { dataset: 'cifar10'; path: string; trainSize: number; testSize: number; kappa: number }
  | ({ dataset: 'teacher'; n: number; d: number; width: number; noise: number; trainSize: number; testSize: number; kappa: number } & TeacherInputSpec);

/**
 * Absent optional fields mean today's model: nothing frozen, standard parameterization, the
 * output drawn like the other layers, no normalisation (so older config.json files keep their meaning).
 */
interface ModelOptions { freeze?: FrozenLayer[]; parameterization?: Parameterization; outputInit?: OutputInit; norm?: NormName }

/** `norm` is present only when it is not 'none', so today's jobs resolve exactly as before. */
export type ModelSpec =
  | ({ type: 'mlp'; hidden: number[]; init: InitName; bias: boolean } & ModelOptions)
  | ({ type: 'cnn'; conv: number[]; dense: number[]; init: InitName; bias: boolean } & ModelOptions);

/** Teacher options; absent means gaussian inputs, no constant coordinate, targets not centred. */
export interface TeacherInputSpec { inputs?: TeacherInputs; appendConstant?: number; center?: boolean }

export interface TrainingSpec {
  epochs: number;
  /** 'full' is resolved to the train set size. */
  batchSize: number;
  optimizer: OptimizerName;
  learningRate: number;
  momentum: number;
  loss: LossName;
  /** Set only when the config sets it (else TRAINING_DEFAULTS.divergenceFactor), so older job specs read the same. */
  divergenceFactor?: number;
}

export interface ProbeSpec {
  deadThreshold: number;
  samples: number;
  every: number;
  stepEventMs: number;
}

export interface JobSpec {
  /** e.g. `nrelu-sweep[sigma=0.1]#2`: arm id + seed. */
  jobId: string;
  /** e.g. `nrelu-sweep[sigma=0.1]`: jobs of one arm differ only in seed. */
  armId: string;
  /** The activation entry's id. */
  activationId: string;
  label: string;
  seed: number;
  /** The swept values that name this arm, e.g. { sigma: 0.1, lr: 0.01 }. */
  sweep: Record<string, number | string>;
  data: DataSpec;
  model: ModelSpec;
  activation: ActivationSpec;
  training: TrainingSpec;
  probes: ProbeSpec;
  backend: BackendChoice;
}

export interface ArmSpec {
  armId: string;
  activationId: string;
  label: string;
  sweep: Record<string, number | string>;
  activation: ActivationSpec;
  seeds: number[];
}

/** What `config.json` in a run folder holds: the source config and every job resolved. */
export interface ResolvedConfig {
  name: string;
  description?: string;
  source: RawConfig;
  sourcePath?: string;
  arms: ArmSpec[];
  jobs: JobSpec[];
}
