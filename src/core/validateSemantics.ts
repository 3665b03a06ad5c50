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
import { isAbsolutePath, resolvePath } from './paths';
import { modelChecks } from './validateModel';

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
  out.push(...modelChecks(doc, root));
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
    // Types first: a sweep object where start or end belongs has a null prototype (jsonc-parser),
    // and comparing it to a number throws instead of being false.
    const rising = typeof s.start === 'number' && typeof s.end === 'number' && s.start >= 0
      && (s.schedule === 'linear' || s.schedule === 'cosine' || s.schedule === 'exponential') && s.end > s.start;
    if (!rising) continue;
    out.push({
      severity: 'warning', code: 'schedule-increasing', path: [...path, 'end'], range: doc.valueRange([...path, 'end']),
      message: `This ${s.schedule} ${symbol} schedule in ${name} rises from ${s.start} to ${s.end}; annealing starts with more noise and ends with less (e.g. start ${s.end}, end ${s.start}).`,
      fixes: [{ title: 'Swap start and end', edits: doc.swapValues([...path, 'start'], [...path, 'end']), preferred: true }],
    });
  }
  return out;
}

/** A size as written, or each value of its sweep with its path (undefined: not written, or not a number). */
function sizeValues(v: unknown, path: Path): { value: number | undefined; path: Path }[] {
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
  if (isObject(v) && Array.isArray(v.sweep)) return v.sweep.map((x, i) => ({ value: num(x), path: [...path, 'sweep', i] }));
  return [{ value: num(v), path }];
}

/** Sizes against what the dataset holds, for every combination of swept trainSize and n (the first that fails). */
function sizeChecks(doc: Doc, data: Record<string, unknown>, dataset: DatasetName): Diagnostic[] {
  const testSize = typeof data.testSize === 'number' && Number.isFinite(data.testSize) ? data.testSize : undefined;
  const ns = dataset === 'teacher' ? sizeValues(data.n, ['data', 'n']) : [{ value: undefined, path: ['data', 'n'] }];
  for (const t of sizeValues(data.trainSize, ['data', 'trainSize'])) {
    for (const nv of ns) {
      const d = sizeCheck(doc, dataset, t, testSize, nv.value);
      if (d) return [d];
    }
  }
  return [];
}

function sizeCheck(doc: Doc, dataset: DatasetName, train: { value: number | undefined; path: Path }, testSize: number | undefined, n: number | undefined): Diagnostic | undefined {
  const capacity = datasetCapacity(dataset, n);
  const trainSize = train.value;
  // A size below 1 is already an out-of-range error from the schema.
  const sizesValid = (trainSize === undefined || trainSize >= 1) && (testSize === undefined || testSize >= 1);
  if (capacity === undefined || !sizesValid) return undefined;
  const sizes = resolveSizes(dataset, trainSize, testSize, n);
  const total = sizes.trainSize + sizes.testSize;
  if (total <= capacity && sizes.testSize >= 1 && sizes.trainSize >= 1) return undefined;
  const path: Path = trainSize !== undefined ? train.path : testSize !== undefined ? ['data', 'testSize'] : ['data'];
  const has = dataset === 'mnist' ? `mnist has ${capacity.toLocaleString('en-US')} digits` : `the teacher task has n = ${capacity} samples`;
  const half = Math.floor(capacity * 0.8);
  return {
    severity: 'error', code: 'dataset-too-small', path, range: path.length === 1 ? doc.keyRange(path) : doc.valueRange(path),
    message: total > capacity
      ? `trainSize + testSize = ${total.toLocaleString('en-US')}, but ${has}; e.g. trainSize ${half} and testSize ${capacity - half}${dataset === 'teacher' ? ', or raise n' : ''}.`
      : `trainSize ${sizes.trainSize} leaves ${sizes.testSize} samples for testing, but ${has}; keep trainSize + testSize ≤ ${capacity} with both ≥ 1 (e.g. ${half} and ${capacity - half}).`,
  };
}

function dataChecks(doc: Doc, root: Record<string, unknown>, options: ValidateOptions): Diagnostic[] {
  const data = isObject(root.data) ? root.data : undefined;
  const dataset = data?.dataset;
  if (!data || typeof dataset !== 'string' || !(DATASETS as readonly string[]).includes(dataset)) return [];
  const name = dataset as DatasetName;
  return [
    ...sizeChecks(doc, data, name),
    ...splitSizeChecks(doc, data, name),
    ...pathChecks(doc, data, name, options),
    ...(name === 'teacher' ? sphereChecks(doc, data) : []),
    ...dataModelChecks(doc, root, name),
    ...lossChecks(doc, root, name),
  ];
}

/** Sizes against a dataset's fixed official split (cifar10: 50,000 training, 10,000 test images), each swept value too. */
function splitSizeChecks(doc: Doc, data: Record<string, unknown>, dataset: DatasetName): Diagnostic[] {
  const split = splitCapacity(dataset);
  if (!split) return [];
  const out: Diagnostic[] = [];
  for (const [key, what] of [['trainSize', 'training'], ['testSize', 'test']] as const) {
    for (const { value: v, path } of sizeValues(data[key], ['data', key])) {
      if (v === undefined || v <= split[key]) continue;
      out.push({
        severity: 'error', code: 'dataset-too-small', path, range: doc.valueRange(path),
        message: `${key} ${v.toLocaleString('en-US')} exceeds the ${split[key].toLocaleString('en-US')} ${what} images of ${dataset}; use at most ${split[key]}.`,
      });
    }
  }
  return out;
}

/** Sphere inputs have norm 1 with the constant included: it must lie in (−1, 1). */
function sphereChecks(doc: Doc, data: Record<string, unknown>): Diagnostic[] {
  const c = data.appendConstant;
  if (data.inputs !== 'sphere' || typeof c !== 'number' || Math.abs(c) < 1) return [];
  const path: Path = ['data', 'appendConstant'];
  return [{
    severity: 'error', code: 'sphere-constant', path, range: doc.valueRange(path),
    message: `With "inputs": "sphere" the whole input has norm 1, so the constant coordinate must lie in (−1, 1), not ${show(c)}; e.g. ${round(Math.SQRT1_2)} (1/√2).`,
    fixes: [{ title: 'Use 1/√2', edits: doc.replaceValue(path, Math.SQRT1_2), preferred: true }],
  }];
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
function dataModelChecks(doc: Doc, root: Record<string, unknown>, dataset: DatasetName): Diagnostic[] {
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
