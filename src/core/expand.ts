/**
 * Expansion: a raw config (as written) → arms (one per activation entry × swept combination)
 * → jobs (one per arm × seed), with every default filled and every schedule explicit.
 * Assumes a config that validated (validateConfigText); it does not re-check ranges.
 */
import type {
  ActivationSpec, ArmSpec, DataSpec, JobSpec, ModelSpec, ProbeSpec, RawActivation, RawConfig, RawSchedule,
  ResolvedConfig, ScheduledNumber, Sweepable, SweepSpec, TrainingSpec,
} from './config';
import { activationDef } from './activations';
import {
  BACKEND_DEFAULT, DATA_DEFAULTS, MODEL_DEFAULTS, PROBE_DEFAULTS, TRAINING_DEFAULTS, defaultLearningRate, defaultLoss, defaultProbeSamples,
  resolveSizes,
} from './defaults';
import { dirnamePath, isAbsolutePath, resolvePath } from './paths';
import { toSchedule } from './schedules';
import { namedSweeps, resolveNamedParams } from './expr/spec';

export { ACTIVATION_SWEEP_KEYS } from './activations';
import { TRAINING_SWEEP_KEYS } from './sweepKeys';
export { TRAINING_SWEEP_KEYS };

/** A value of one sweep: a number, a name, a schedule, or a list of layer sizes (model.hidden). */
type SweepValue = number | string | RawSchedule | number[];
interface Dim { key: string; values: SweepValue[] }

export function isSweep<T>(v: Sweepable<T> | undefined): v is SweepSpec<T> {
  return typeof v === 'object' && v !== null && Array.isArray((v as { sweep?: unknown }).sweep);
}

const SCHEDULE_ABBREV: Record<RawSchedule['schedule'], string> = { constant: 'const', linear: 'lin', cosine: 'cos', exponential: 'exp', step: 'step' };

/** How a swept value appears in an arm id: numbers shortest round-trip, schedules compact (`cos(0.2→0)`). */
export function formatSweepValue(v: SweepValue): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  // Layer sizes: `hidden=1000x1000x1000` (no comma or bracket, which delimit arm ids).
  if (Array.isArray(v)) return v.join('x');
  const s = toSchedule(v);
  const per = s.per === 'step' ? ',step' : '';
  if (s.kind === 'constant') return `${s.start}${per}`;
  if (s.kind === 'step') return `step(${s.start}×${s.factor}/${s.every}${per})`;
  return `${SCHEDULE_ABBREV[s.kind]}(${s.start}→${s.end}${per})`;
}

/** The entry's swept parameters, in its registry order (which is their order in arm ids). */
function activationDims(a: RawActivation): Dim[] {
  const dims: Dim[] = [];
  for (const [key, p] of Object.entries(activationDef(a.type).params)) {
    const v = a[key];
    // User-named parameters sweep under their own names: swish-sweep[beta=0.5].
    if (p.kind === 'named') dims.push(...namedSweeps(v));
    if (p.sweepable && isSweep<SweepValue>(v as Sweepable<SweepValue>)) dims.push({ key, values: (v as SweepSpec<SweepValue>).sweep });
  }
  return dims;
}

/** The value at a dotted path of the config ("model.hidden"), or undefined. */
function at(raw: RawConfig, dotted: string): unknown {
  let v: unknown = raw;
  for (const k of dotted.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function trainingDims(raw: RawConfig): Dim[] {
  const dims: Dim[] = [];
  for (const [key, path] of Object.entries(TRAINING_SWEEP_KEYS)) {
    const v = at(raw, path) as Sweepable<SweepValue> | undefined;
    if (isSweep(v)) dims.push({ key, values: v.sweep });
  }
  return dims;
}

/** The combination's value of a sweep key, else the config's plain value (undefined when swept elsewhere). */
function pick<T>(combo: Record<string, SweepValue>, key: string, written: Sweepable<T> | undefined): T | undefined {
  if (key in combo) return combo[key] as T;
  return isSweep(written) ? undefined : written;
}

/** Cartesian product, first dimension slowest, values in listed order. */
function product(dims: Dim[]): Record<string, SweepValue>[] {
  let combos: Record<string, SweepValue>[] = [{}];
  for (const d of dims) combos = combos.flatMap((c) => d.values.map((v) => ({ ...c, [d.key]: v })));
  return combos;
}

function seedsOf(raw: RawConfig): number[] {
  return raw.training.seeds ?? [...TRAINING_DEFAULTS.seeds];
}

export function countJobs(raw: RawConfig): number {
  const training = trainingDims(raw).reduce((n, d) => n * d.values.length, 1);
  const arms = raw.activations.reduce((n, a) => n + activationDims(a).reduce((m, d) => m * d.values.length, 1), 0);
  return arms * training * seedsOf(raw).length;
}

function num(v: SweepValue | undefined, fallback: number): number {
  return typeof v === 'number' ? v : fallback;
}

/** The spec of one arm: every parameter of the type, in registry order, defaults filled. */
function activationSpec(a: RawActivation, combo: Record<string, SweepValue>): ActivationSpec {
  const spec: Record<string, unknown> = { type: a.type };
  for (const [key, p] of Object.entries(activationDef(a.type).params)) {
    const raw = a[key];
    const v = key in combo ? combo[key] : isSweep(raw as Sweepable<SweepValue>) ? undefined : raw;
    switch (p.kind) {
      case 'number': spec[key] = num(v as SweepValue | undefined, p.default); break;
      case 'schedule': spec[key] = toSchedule(v === undefined || typeof v === 'string' || typeof v === 'boolean' ? p.default : (v as ScheduledNumber)); break;
      case 'boolean': spec[key] = typeof v === 'boolean' ? v : p.default; break;
      case 'enum': spec[key] = typeof v === 'string' ? v : p.default; break;
      case 'text': spec[key] = typeof v === 'string' ? v : p.default; break;
      case 'named': spec[key] = resolveNamedParams(raw, combo); break;
    }
  }
  return spec as ActivationSpec;
}

function dataSpec(raw: RawConfig, combo: Record<string, SweepValue>, sourcePath?: string): DataSpec {
  const d = raw.data;
  const kappaRaw = d.inputNoise?.kappa;
  const kappa = num(combo.kappa, typeof kappaRaw === 'number' ? kappaRaw : 0);
  const trainSize = pick(combo, 'trainSize', d.trainSize);
  if (d.dataset === 'teacher') {
    const t = DATA_DEFAULTS.teacher;
    const n = pick(combo, 'n', d.n) ?? t.n;
    const inputs = {
      ...(d.inputs === undefined ? {} : { inputs: d.inputs }),
      ...(d.appendConstant === undefined ? {} : { appendConstant: d.appendConstant }),
      ...(d.center === undefined ? {} : { center: d.center }),
    };
    return { dataset: 'teacher', n, d: d.d ?? t.d, width: d.width ?? t.width, noise: d.noise ?? t.noise, ...resolveSizes('teacher', trainSize, d.testSize, n), kappa, ...inputs };
  }
  const sizes = resolveSizes(d.dataset, trainSize, d.testSize);
  if (d.dataset === 'idx' || d.dataset === 'cifar10') {
    const p = d.path ?? '.';
    const abs = isAbsolutePath(p) ? p : resolvePath(sourcePath ? dirnamePath(sourcePath) : '.', p);
    return { dataset: d.dataset, path: abs, ...sizes, kappa };
  }
  return { dataset: 'mnist', ...sizes, kappa };
}

function modelSpec(raw: RawConfig, combo: Record<string, SweepValue>): ModelSpec {
  const m = raw.model;
  const init = m.init ?? MODEL_DEFAULTS.init;
  const bias = m.bias ?? MODEL_DEFAULTS.bias;
  // Written only when set, so a config without them resolves exactly as before they existed.
  const options = {
    ...(m.freeze === undefined ? {} : { freeze: [...m.freeze] }),
    ...(m.parameterization === undefined ? {} : { parameterization: m.parameterization }),
    ...(m.outputInit === undefined ? {} : { outputInit: m.outputInit }),
    ...(m.norm !== undefined && m.norm !== MODEL_DEFAULTS.norm ? { norm: m.norm } : {}),
  };
  if (m.type === 'cnn') return { type: 'cnn', conv: m.conv ?? [...MODEL_DEFAULTS.cnn.conv], dense: m.dense ?? [...MODEL_DEFAULTS.cnn.dense], init, bias, ...options };
  const hidden = pick(combo, 'hidden', m.hidden);
  return { type: 'mlp', hidden: hidden ? [...hidden] : [...MODEL_DEFAULTS.mlp.hidden], init, bias, ...options };
}

function trainingSpec(raw: RawConfig, combo: Record<string, SweepValue>, trainSize: number): TrainingSpec {
  const t = raw.training;
  const optimizer = t.optimizer ?? TRAINING_DEFAULTS.optimizer;
  const batchRaw = 'batch' in combo ? combo.batch : isSweep(t.batchSize) ? undefined : t.batchSize;
  const batchSize = batchRaw === 'full' ? trainSize : num(batchRaw, TRAINING_DEFAULTS.batchSize);
  const lrRaw = 'lr' in combo ? combo.lr : isSweep(t.learningRate) ? undefined : t.learningRate;
  const spec: TrainingSpec = {
    epochs: t.epochs,
    batchSize,
    optimizer,
    learningRate: num(lrRaw, defaultLearningRate(optimizer)),
    momentum: t.momentum ?? TRAINING_DEFAULTS.momentum,
    loss: t.loss ?? defaultLoss(raw.data.dataset),
  };
  if (t.divergenceFactor !== undefined) spec.divergenceFactor = t.divergenceFactor;
  return spec;
}

function probeSpec(raw: RawConfig, trainSize: number): ProbeSpec {
  const p = raw.probes ?? {};
  return {
    deadThreshold: p.deadThreshold ?? PROBE_DEFAULTS.deadThreshold,
    samples: p.samples ?? defaultProbeSamples(trainSize),
    every: p.every ?? PROBE_DEFAULTS.every,
    stepEventMs: p.stepEventMs ?? PROBE_DEFAULTS.stepEventMs,
  };
}

/** The sweeps that change a job's size (layer widths, sample counts): resolveShapes spans them. */
const SIZE_SWEEPS: ReadonlySet<string> = new Set(['hidden', 'trainSize', 'n']);

/**
 * Each shape the config's jobs can take, without expanding them: the model and the data (κ
 * aside) for every combination of the size sweeps, and each batch size a job may use ('full'
 * resolved), for the memory estimate.
 */
export function resolveShapes(raw: RawConfig): Array<{ model: ModelSpec; data: DataSpec; batchSizes: number[] }> {
  const b = raw.training.batchSize;
  const values: SweepValue[] = isSweep(b) ? b.sweep : b === undefined ? [] : [b];
  return product(trainingDims(raw).filter((d) => SIZE_SWEEPS.has(d.key))).map((combo) => {
    const data = dataSpec(raw, combo);
    const batchSizes = values.map((v) => (v === 'full' ? data.trainSize : num(v, TRAINING_DEFAULTS.batchSize)));
    return { model: modelSpec(raw, combo), data, batchSizes: batchSizes.length ? batchSizes : [TRAINING_DEFAULTS.batchSize] };
  });
}

export function resolveConfig(raw: RawConfig, opts: { sourcePath?: string } = {}): ResolvedConfig {
  const tDims = trainingDims(raw);
  const seeds = seedsOf(raw);
  const backend = raw.backend ?? BACKEND_DEFAULT;
  const arms: ArmSpec[] = [];
  const jobs: JobSpec[] = [];
  for (const a of raw.activations) {
    const dims = [...activationDims(a), ...tDims];
    for (const combo of product(dims)) {
      const keys = dims.map((d) => d.key);
      const kv = keys.map((k) => `${k}=${formatSweepValue(combo[k])}`).join(',');
      const armId = keys.length ? `${a.id}[${kv}]` : a.id;
      const label = (a.label ?? a.id) + (keys.length ? ` [${kv}]` : '');
      const sweep: Record<string, number | string> = {};
      for (const k of keys) {
        const v = combo[k];
        sweep[k] = typeof v === 'object' ? formatSweepValue(v) : v;
      }
      const activation = activationSpec(a, combo);
      const model = modelSpec(raw, combo);
      const data = dataSpec(raw, combo, opts.sourcePath);
      const training = trainingSpec(raw, combo, data.trainSize);
      const probes = probeSpec(raw, data.trainSize);
      arms.push({ armId, activationId: a.id, label, sweep, activation, seeds: [...seeds] });
      for (const seed of seeds) {
        jobs.push({
          jobId: `${armId}#${seed}`, armId, activationId: a.id, label, seed, sweep: { ...sweep },
          data, model, activation, training, probes, backend,
        });
      }
    }
  }
  const resolved: ResolvedConfig = { name: raw.name, source: raw, arms, jobs };
  if (raw.description !== undefined) resolved.description = raw.description;
  if (opts.sourcePath !== undefined) resolved.sourcePath = opts.sourcePath;
  return resolved;
}
