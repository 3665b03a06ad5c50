/**
 * Semantic checks a schema cannot express: bounds between fields, dataset sizes, model and
 * loss against the data, the papers' warnings and the job count. Runs on whatever parsed,
 * reading each field defensively, so it reports alongside structural errors.
 */
import { DATASETS, type ActivationType, type DatasetName, type RawConfig, type RawSchedule } from './config';
import { activationDef, isActivationType } from './activations';
import type { CheckContext, Leaf } from './activations/define';
import { type Doc, type Path, entryName, isObject, round, show, uniqueId } from './configDoc';
import { imageShape, maxConvBlocks } from './datasets';
import { datasetCapacity, defaultLoss, isClassification, resolveSizes, splitCapacity } from './defaults';
import type { Diagnostic, ValidateOptions } from './diagnostics';
import { DEFAULT_PARALLEL, estimateRunSeconds, formatDuration } from './estimate';
import { resolveConfig } from './expand';
import { isAbsolutePath, resolvePath } from './paths';

/** Above this many jobs the validator warns (with the estimated time). */
export const MANY_JOBS = 50;

function leaves(v: unknown, path: Path): Leaf[] {
  if (typeof v === 'number') return [{ path, value: v, role: 'value' }];
  if (isObject(v) && Array.isArray(v.sweep)) return v.sweep.flatMap((x, i) => leaves(x, [...path, 'sweep', i]));
  if (isObject(v) && typeof v.schedule === 'string') {
    const out: Leaf[] = [];
    if (typeof v.start === 'number') out.push({ path: [...path, 'start'], value: v.start, role: 'start' });
    if (typeof v.end === 'number') out.push({ path: [...path, 'end'], value: v.end, role: 'end' });
    return out;
  }
  return [];
}

/** Schedules inside a parameter (plain or swept), with their paths. */
function schedules(v: unknown, path: Path): { path: Path; s: RawSchedule }[] {
  if (isObject(v) && Array.isArray(v.sweep)) return v.sweep.flatMap((x, i) => schedules(x, [...path, 'sweep', i]));
  if (isObject(v) && typeof v.schedule === 'string') return [{ path, s: v as unknown as RawSchedule }];
  return [];
}

export function semanticDiagnostics(doc: Doc, options: ValidateOptions): Diagnostic[] {
  const root = doc.value;
  if (!isObject(root)) return [];
  const out: Diagnostic[] = [];
  const activations = Array.isArray(root.activations) ? root.activations : [];

  // Duplicate ids: report every repeat, pointing back at the first.
  const firstAt = new Map<string, number>();
  activations.forEach((a, i) => {
    if (!isObject(a) || typeof a.id !== 'string') return;
    const first = firstAt.get(a.id);
    if (first === undefined) { firstAt.set(a.id, i); return; }
    const path: Path = ['activations', i, 'id'];
    const line = doc.valueRange(['activations', first, 'id']).start.line + 1;
    const fresh = uniqueId(doc, a.id);
    out.push({
      severity: 'error', code: 'duplicate-id', path, range: doc.valueRange(path),
      message: `Activation id "${a.id}" is already used (line ${line}); ids must be unique, e.g. "${fresh}".`,
      fixes: [{ title: `Rename to "${fresh}"`, edits: doc.replaceValue(path, fresh), preferred: true }],
    });
  });

  activations.forEach((a, i) => {
    if (!isObject(a) || !isActivationType(a.type)) return;
    out.push(...activationChecks(doc, a, a.type, i));
  });

  out.push(...dataChecks(doc, root, options));
  return out;
}

/** The entry's own checks (its registry entry), then those every schedulable parameter gets. */
function activationChecks(doc: Doc, a: Record<string, unknown>, type: ActivationType, i: number): Diagnostic[] {
  const base: Path = ['activations', i];
  const name = entryName(doc, i);
  const def = activationDef(type);
  const ctx: CheckContext = { doc, entry: a, base, name, leaves: (key) => leaves(a[key], [...base, key]), round };
  const out: Diagnostic[] = [...(def.checks?.(ctx) ?? [])];
  for (const [key, p] of Object.entries(def.params)) {
    if (p.kind === 'schedule') out.push(...risingSchedules(doc, a[key], [...base, key], p.symbol ?? key, name));
  }
  return out;
}

/** A schedulable value that rises over training: annealing usually goes the other way. */
function risingSchedules(doc: Doc, value: unknown, at: Path, symbol: string, name: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { path, s } of schedules(value, at)) {
    // Negative values are errors already; a rising schedule there is not worth a second message.
    const rising = s.start >= 0 && (s.schedule === 'linear' || s.schedule === 'cosine' || s.schedule === 'exponential')
      && typeof s.end === 'number' && typeof s.start === 'number' && s.end > s.start;
    if (!rising) continue;
    out.push({
      severity: 'warning', code: 'schedule-increasing', path: [...path, 'end'], range: doc.valueRange([...path, 'end']),
      message: `This ${s.schedule} ${symbol} schedule in ${name} rises from ${s.start} to ${s.end}; annealing starts with more noise and ends with less (e.g. start ${s.end}, end ${s.start}).`,
      fixes: [{ title: 'Swap start and end', edits: doc.swapValues([...path, 'start'], [...path, 'end']), preferred: true }],
    });
  }
  return out;
}

function dataChecks(doc: Doc, root: Record<string, unknown>, options: ValidateOptions): Diagnostic[] {
  const data = isObject(root.data) ? root.data : undefined;
  const dataset = data?.dataset;
  if (!data || typeof dataset !== 'string' || !(DATASETS as readonly string[]).includes(dataset)) return [];
  const name = dataset as DatasetName;
  return [
    ...poolSizeChecks(doc, data, name),
    ...splitSizeChecks(doc, data, name),
    ...pathChecks(doc, data, name, options),
    ...modelChecks(doc, root, name),
    ...lossChecks(doc, root, name),
  ];
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Sizes against what a dataset drawn from one pool holds (mnist, teacher). */
function poolSizeChecks(doc: Doc, data: Record<string, unknown>, dataset: DatasetName): Diagnostic[] {
  const n = dataset === 'teacher' ? num(data.n) : undefined;
  const capacity = datasetCapacity(dataset, n);
  const trainSize = num(data.trainSize);
  const testSize = num(data.testSize);
  // A size below 1 is already an out-of-range error from the schema.
  const sizesValid = (trainSize === undefined || trainSize >= 1) && (testSize === undefined || testSize >= 1);
  if (capacity === undefined || !sizesValid) return [];
  const sizes = resolveSizes(dataset, trainSize, testSize, n);
  const total = sizes.trainSize + sizes.testSize;
  if (total <= capacity && sizes.testSize >= 1 && sizes.trainSize >= 1) return [];
  const path: Path = trainSize !== undefined ? ['data', 'trainSize'] : testSize !== undefined ? ['data', 'testSize'] : ['data'];
  const has = dataset === 'mnist' ? `mnist has ${capacity.toLocaleString('en-US')} digits` : `the teacher task has n = ${capacity} samples`;
  const half = Math.floor(capacity * 0.8);
  return [{
    severity: 'error', code: 'dataset-too-small', path, range: path.length === 1 ? doc.keyRange(path) : doc.valueRange(path),
    message: total > capacity
      ? `trainSize + testSize = ${total.toLocaleString('en-US')}, but ${has}; e.g. trainSize ${half} and testSize ${capacity - half}${dataset === 'teacher' ? ', or raise n' : ''}.`
      : `trainSize ${sizes.trainSize} leaves ${sizes.testSize} samples for testing, but ${has}; keep trainSize + testSize ≤ ${capacity} with both ≥ 1 (e.g. ${half} and ${capacity - half}).`,
  }];
}

/** Sizes against a dataset's fixed official split (cifar10: 50,000 training, 10,000 test images). */
function splitSizeChecks(doc: Doc, data: Record<string, unknown>, dataset: DatasetName): Diagnostic[] {
  const split = splitCapacity(dataset);
  if (!split) return [];
  const out: Diagnostic[] = [];
  for (const [key, what] of [['trainSize', 'training'], ['testSize', 'test']] as const) {
    const v = num(data[key]);
    if (v === undefined || v <= split[key]) continue;
    const path: Path = ['data', key];
    out.push({
      severity: 'error', code: 'dataset-too-small', path, range: doc.valueRange(path),
      message: `${key} ${v.toLocaleString('en-US')} exceeds the ${split[key].toLocaleString('en-US')} ${what} images of ${dataset}; use at most ${split[key]}.`,
    });
  }
  return out;
}

/** The data folder (idx, cifar10) on disk. */
function pathChecks(doc: Doc, data: Record<string, unknown>, dataset: DatasetName, options: ValidateOptions): Diagnostic[] {
  if ((dataset !== 'idx' && dataset !== 'cifar10') || typeof data.path !== 'string' || !data.path || !options.fileExists) return [];
  const abs = isAbsolutePath(data.path) ? data.path : options.baseDir ? resolvePath(options.baseDir, data.path) : undefined;
  if (!abs || options.fileExists(abs)) return [];
  const what = dataset === 'idx' ? 'the folder with the idx files' : 'the cifar-10-batches-bin folder (the user supplies it; nothing is downloaded)';
  return [{
    severity: 'error', code: 'path-not-found', path: ['data', 'path'], range: doc.valueRange(['data', 'path']),
    message: `${dataset} path ${show(data.path)} does not exist (looked for ${abs}); give ${what}, relative to this file.`,
  }];
}

/** The model against the shape of the data: a CNN needs images, and no more conv blocks than they take. */
function modelChecks(doc: Doc, root: Record<string, unknown>, dataset: DatasetName): Diagnostic[] {
  const model = isObject(root.model) ? root.model : undefined;
  if (model?.type !== 'cnn') return [];
  const shape = imageShape(dataset);
  if (!shape) {
    return [{
      severity: 'error', code: 'cnn-needs-images', path: ['model', 'type'], range: doc.valueRange(['model', 'type']),
      message: 'A CNN needs image data (mnist, idx or cifar10), but the teacher task gives vectors; use "type": "mlp" with "hidden" layers.',
    }];
  }
  // idx files may hold images of any size: only their reader knows (the trainer checks it then).
  if (dataset === 'idx') return [];
  const blocks = Array.isArray(model.conv) ? model.conv.length : 0;
  const most = maxConvBlocks(shape);
  if (blocks <= most) return [];
  const path: Path = ['model', 'conv'];
  return [{
    severity: 'error', code: 'cnn-too-deep', path, range: doc.valueRange(path),
    message: `${blocks} conv blocks are too many for ${dataset}'s ${shape.height}×${shape.width} images: each 2×2 pool halves the side, so at most ${most} fit; remove ${blocks - most}.`,
  }];
}

function lossChecks(doc: Doc, root: Record<string, unknown>, dataset: DatasetName): Diagnostic[] {
  const training = isObject(root.training) ? root.training : undefined;
  const loss = training?.loss;
  const want = defaultLoss(dataset);
  if ((loss !== 'crossEntropy' && loss !== 'mse') || loss === want) return [];
  const path: Path = ['training', 'loss'];
  return [{
    severity: 'error', code: 'loss-mismatch', path, range: doc.valueRange(path),
    message: isClassification(dataset)
      ? `"mse" does not fit ${dataset}, a classification task (10 classes); use "loss": "crossEntropy".`
      : `"crossEntropy" needs class labels, but the teacher task is regression; use "loss": "mse".`,
    fixes: [{ title: `Change to "${want}"`, edits: doc.replaceValue(path, want), preferred: true }],
  }];
}

export function jobDiagnostic(doc: Doc, config: RawConfig): { diagnostic?: Diagnostic; jobCount?: number } {
  let resolved;
  try {
    resolved = resolveConfig(config);
  } catch {
    return {};
  }
  const jobs = resolved.jobs;
  const arms = resolved.arms.length;
  const seeds = jobs.length / Math.max(1, arms);
  const path: Path = doc.node(['activations']) ? ['activations'] : [];
  const range = path.length ? doc.keyRange(path) : doc.range(doc.root.offset, 1);
  const estimate = `estimated ${formatDuration(estimateRunSeconds(jobs, DEFAULT_PARALLEL))} on the wasm backend with ${DEFAULT_PARALLEL} trainers in parallel`;
  const count = `${arms} arm${arms === 1 ? '' : 's'} × ${seeds} seed${seeds === 1 ? '' : 's'} = ${jobs.length} job${jobs.length === 1 ? '' : 's'}`;
  const diagnostic: Diagnostic = jobs.length > MANY_JOBS
    ? {
      severity: 'warning', code: 'many-jobs', path, range,
      message: `This file expands to ${count}, more than ${MANY_JOBS}: ${estimate}. Fewer sweep values or seeds run faster.`,
    }
    : { severity: 'info', code: 'job-count', path, range, message: `${count} (${estimate}).` };
  return { diagnostic, jobCount: jobs.length };
}
