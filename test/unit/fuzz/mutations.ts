/**
 * Mutations for the config fuzz suite, as fast-check arbitraries so that failures shrink:
 * structural ones (a value replaced, a key removed or added, a value swept, scheduled or
 * nested) applied at a path chosen among the config's own, and raw text edits.
 */
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Keys the config uses, and a few that are traps for plain objects. */
const KEYS = [
  'name', 'data', 'dataset', 'trainSize', 'testSize', 'n', 'd', 'width', 'noise', 'path', 'inputNoise', 'type', 'kappa',
  'model', 'hidden', 'conv', 'dense', 'init', 'bias', 'activations', 'id', 'label', 'sigma', 'alpha', 'lower', 'upper',
  'inference', 'rescale', 'expr', 'params', 'learnable', 'per', 'training', 'epochs', 'batchSize', 'optimizer',
  'learningRate', 'momentum', 'loss', 'seeds', 'divergenceFactor', 'probes', 'deadThreshold', 'samples', 'every',
  'stepEventMs', 'backend', 'limits', 'jobs', 'parameters', 'memoryMiB', 'hours', 'sweep', 'schedule', 'start', 'end',
  'factor', '__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '', 'é', 'x'.repeat(300),
];
const STRINGS = [
  'mnist', 'idx', 'teacher', 'mlp', 'cnn', 'relu', 'nrelu', 'rrelu', 'prelu', 'leakyRelu', 'gelu', 'expr', 'cosine',
  'linear', 'exponential', 'step', 'constant', 'epoch', 'layer', 'unit', 'full', 'adam', 'sgd', 'mse', 'crossEntropy',
  'x * sigmoid(x)', 'max(x, a * x)', 'x > 0 ? x : sigma * randn()', '2 * pi', 'auto', 'wasm', '\u202e\x1b[31m', '0.1', '',
];
const NUMBERS = [0, -0, 1, -1, 0.5, 2, 3, 1e-300, 1e308, -1e308, 2 ** 31, 2 ** 32 + 1, 2 ** 53, 1e9, 1e21, 0.05, 1000, 60_000];

const leaf: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(...NUMBERS),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom<Json>(...STRINGS),
  fc.string({ maxLength: 12 }),
  fc.boolean(),
  fc.constant(null),
);

/** A small value: a leaf, a list, an object, a sweep or a schedule, nested a little. */
export const valueArb: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 3 }),
    fc.array(tie('value'), { minLength: 1, maxLength: 3 }).map((sweep): Json => ({ sweep })),
    fc.tuple(fc.constantFrom(...STRINGS.slice(12, 17)), tie('value'), tie('value')).map(([schedule, start, end]): Json => ({ schedule, start, end })),
  ),
})).value;

export type Mutation =
  | { kind: 'set'; at: number; value: Json }
  | { kind: 'delete'; at: number }
  | { kind: 'add'; at: number; key: string; value: Json }
  | { kind: 'sweep'; at: number; value: Json }
  | { kind: 'schedule'; at: number; schedule: string; end: Json }
  | { kind: 'nest'; at: number; key: string };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: valueArb }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('add' as const), at: fc.nat(), key: fc.constantFrom(...KEYS), value: valueArb }),
  fc.record({ kind: fc.constant('sweep' as const), at: fc.nat(), value: valueArb }),
  fc.record({ kind: fc.constant('schedule' as const), at: fc.nat(), schedule: fc.constantFrom(...STRINGS.slice(12, 17)), end: valueArb }),
  fc.record({ kind: fc.constant('nest' as const), at: fc.nat(), key: fc.constantFrom('sweep', 'schedule', 'start', 'x') }),
);

type Path = (string | number)[];

function paths(v: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) paths(v[k]!, [...at, k], out);
  return out;
}

function get(root: Json, p: Path): Json {
  let v: Json = root;
  for (const k of p) v = (v as Record<string | number, Json>)[k]!;
  return v;
}

/** Sets an own property, even "__proto__" (an assignment would set the prototype). */
function put(obj: Record<string, Json> | Json[], key: string | number, value: Json): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function replace(root: Json, p: Path, value: Json): Json {
  if (p.length === 0) return value;
  const parent = get(root, p.slice(0, -1)) as Record<string, Json> | Json[];
  put(parent, p[p.length - 1]!, value);
  return root;
}

/** A fresh copy: generated values are shared between cases (and shrinks), never to be changed. */
const copy = (v: Json): Json => JSON.parse(JSON.stringify(v)) as Json;

function applyOne(root: Json, m0: Mutation): Json {
  const m = copy(m0 as unknown as Json) as unknown as Mutation;
  const all = paths(root);
  const p = all[m.at % all.length]!;
  const here = get(root, p);
  switch (m.kind) {
    case 'set': return replace(root, p, m.value);
    case 'delete': {
      if (p.length === 0) return root;
      const parent = get(root, p.slice(0, -1));
      if (Array.isArray(parent)) parent.splice(p[p.length - 1] as number, 1);
      else delete (parent as Record<string, Json>)[p[p.length - 1] as string];
      return root;
    }
    case 'add':
      if (Array.isArray(here)) here.push(m.value);
      else if (here !== null && typeof here === 'object') put(here, m.key, m.value);
      return root;
    case 'sweep': return replace(root, p, { sweep: [here, m.value] });
    case 'schedule': return replace(root, p, { schedule: m.schedule, start: here, end: m.end });
    case 'nest': {
      const wrapped: Record<string, Json> = {};
      put(wrapped, m.key, here);
      return replace(root, p, wrapped);
    }
  }
}

/** The mutations applied in order to a deep copy of `base`. */
export function applyMutations(base: Json, ms: readonly Mutation[]): Json {
  let v = JSON.parse(JSON.stringify(base)) as Json;
  for (const m of ms) v = applyOne(v, m);
  return v;
}

export type TextEdit =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate'; at: number; length: number };

/** Pieces that make (or break) JSON, and text that breaks terminals and parsers. */
const PIECES = ['{', '}', '[', ']', ',', ':', '"', '\\', '/*', '*/', '//', '\n', '0', '-', '1e999', 'true', 'null', '"sweep":', '{"sweep":[', '\uFEFF', '\u0000', '\x1b', 'é', '😀', '\ud800'];

export const textEditArb: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }).map((a) => a.join('')) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 80 }) }),
);

export function applyTextEdits(base: string, edits: readonly TextEdit[]): string {
  let s = base;
  for (const e of edits) {
    const at = s.length ? e.at % (s.length + 1) : 0;
    if (e.kind === 'delete') s = s.slice(0, at) + s.slice(at + e.length);
    else if (e.kind === 'insert') s = s.slice(0, at) + e.text + s.slice(at);
    else s = s.slice(0, at) + s.slice(at, at + e.length) + s.slice(at);
  }
  return s;
}
