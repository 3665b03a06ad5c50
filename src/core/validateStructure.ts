/**
 * Structure: ajv against the generated schema, each error rewritten into one clear diagnostic
 * on the exact key or value (unknown keys on the key, wrong types on the value), with
 * suggestions and quick fixes. The schema's if/then branches keep ajv to one branch's errors;
 * what is left is deduplicated here.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { ACTIVATIONS } from './activations';
import { ACTIVATION_PARAM_NAMES, isActivationType, paramInfo, typesWithParam } from './catalog';
import {
  type Doc, type Path, activationTypeAt, entryName, inlineJson, isObject, jsonType, paramsText, pathText, quoteList, show, uniqueId,
} from './configDoc';
import type { Diagnostic, QuickFix } from './diagnostics';
import { NRELU } from './papers';
import { EDITOR_KEYWORDS, buildSchema, type JsonSchema } from './schema';
import { suggest } from './suggest';

let compiled: ValidateFunction | undefined;
export function schemaValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strictTypes: false, allowUnionTypes: true });
    ajv.addVocabulary([...EDITOR_KEYWORDS]);
    compiled = ajv.compile(buildSchema());
  }
  return compiled;
}

export type AjvError = ErrorObject<string, Record<string, unknown>, unknown>;

function schemaOf(e: AjvError): JsonSchema {
  return (e.parentSchema ?? {}) as JsonSchema;
}

function resolveRef(s: JsonSchema | boolean | undefined): JsonSchema | undefined {
  if (typeof s !== 'object') return undefined;
  if (!s.$ref) return s;
  const name = s.$ref.replace('#/definitions/', '');
  return buildSchemaCached().definitions?.[name];
}

let schemaCache: JsonSchema | undefined;
function buildSchemaCached(): JsonSchema {
  schemaCache ??= buildSchema();
  return schemaCache;
}

export function structureDiagnostics(doc: Doc, errors: AjvError[]): Diagnostic[] {
  // `if` only says "the then-branch failed"; that branch's own errors follow.
  let errs = errors.filter((e) => e.keyword !== 'if');
  // Several type errors at one value (a union and its branch): keep the widest.
  const typeAt = new Map<string, AjvError>();
  for (const e of errs) {
    if (e.keyword !== 'type') continue;
    const prev = typeAt.get(e.instancePath);
    const width = (x: AjvError) => String(x.params.type).split(',').length;
    if (!prev || width(e) > width(prev)) typeAt.set(e.instancePath, e);
  }
  errs = errs.filter((e) => e.keyword !== 'type' || typeAt.get(e.instancePath) === e);
  // A value of the wrong type may also fail keywords such as enum or pattern at the same spot:
  // the type error says it all.
  errs = errs.filter((e) => e.keyword === 'type' || !typeAt.has(e.instancePath));
  // Missing keys of one object: one message.
  const required = new Map<string, string[]>();
  for (const e of errs) {
    if (e.keyword !== 'required') continue;
    const list = required.get(e.instancePath) ?? [];
    const missing = String(e.params.missingProperty);
    if (!list.includes(missing)) list.push(missing);
    required.set(e.instancePath, list);
  }
  const out: Diagnostic[] = [];
  const doneRequired = new Set<string>();
  for (const e of errs) {
    if (e.keyword === 'required') {
      if (doneRequired.has(e.instancePath)) continue;
      doneRequired.add(e.instancePath);
      out.push(...missingDiagnostics(doc, doc.pointerPath(e.instancePath), required.get(e.instancePath) ?? [], e));
      continue;
    }
    const d = translate(doc, e);
    if (d) out.push(d);
  }
  return out;
}

function translate(doc: Doc, e: AjvError): Diagnostic | undefined {
  const path = doc.pointerPath(e.instancePath);
  const schema = schemaOf(e);
  const data = doc.at(path);
  switch (e.keyword) {
    case 'additionalProperties': return unknownKey(doc, path, String(e.params.additionalProperty), schema);
    case 'type': return wrongType(doc, path, schema, data);
    case 'enum': return badEnum(doc, path, (e.params.allowedValues as unknown[]) ?? [], data);
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return outOfRange(doc, path, e.keyword, Number(e.params.limit), data);
    case 'minItems': return emptyList(doc, path);
    case 'uniqueItems': {
      const [first, second] = [Number(e.params.i), Number(e.params.j)].sort((x, y) => x - y);
      const item = [...path, second];
      return {
        severity: 'error', code: 'duplicate-value', path: item, range: doc.valueRange(item),
        message: `${pathText(path)} lists ${show((data as unknown[])[second])} twice (items ${first + 1} and ${second + 1}); each value must appear once.`,
        fixes: [{ title: `Remove the repeated ${show((data as unknown[])[second])}`, edits: doc.removeItem(item), preferred: true }],
      };
    }
    case 'pattern': return badPattern(doc, path, data);
    case 'minLength':
      return { severity: 'error', code: 'empty-string', path, range: doc.valueRange(path), message: `${pathText(path)} must not be empty.` };
    default:
      return { severity: 'error', code: 'invalid-value', path, range: doc.valueRange(path), message: `${pathText(path)}: ${e.message ?? 'invalid value'}.` };
  }
}

const SCHEDULE_KEYS = ['schedule', 'start', 'end', 'per', 'every', 'factor'];
const DATA_KEYS_BY_DATASET: Record<string, string[]> = {
  path: ['idx', 'cifar10'], n: ['teacher'], d: ['teacher'], width: ['teacher'], noise: ['teacher'],
  inputs: ['teacher'], appendConstant: ['teacher'], center: ['teacher'],
};
const MODEL_KEYS_BY_TYPE: Record<string, string> = { hidden: 'mlp', conv: 'cnn', dense: 'cnn' };

function unknownKey(doc: Doc, objPath: Path, key: string, schema: JsonSchema): Diagnostic {
  const path = [...objPath, key];
  const range = doc.keyRange(path);
  const remove: QuickFix = { title: `Remove "${key}"`, edits: doc.removeProperty(path) };
  const isEntry = objPath.length === 2 && objPath[0] === 'activations' && typeof objPath[1] === 'number';
  if (isEntry && (ACTIVATION_PARAM_NAMES as readonly string[]).includes(key)) {
    const type = activationTypeAt(doc, objPath[1] as number) ?? ACTIVATIONS[0]!.type;
    return {
      severity: 'error', code: 'param-not-for-type', path, range, fixes: [{ ...remove, preferred: true }],
      message: `"${key}" is not a parameter of ${type} (${paramsText(type)}); "${key}" belongs to ${typesWithParam(key).join(', ')}.`,
    };
  }
  if (objPath.length === 1 && objPath[0] === 'data' && Object.hasOwn(DATA_KEYS_BY_DATASET, key)) {
    return {
      severity: 'error', code: 'key-not-for-dataset', path, range, fixes: [{ ...remove, preferred: true }],
      message: `"${key}" applies to dataset ${DATA_KEYS_BY_DATASET[key]!.map((d) => `"${d}"`).join(' or ')} only, not "${String(doc.at(['data', 'dataset']))}". Remove it or change the dataset.`,
    };
  }
  if (objPath.length === 1 && objPath[0] === 'model' && Object.hasOwn(MODEL_KEYS_BY_TYPE, key)) {
    return {
      severity: 'error', code: 'key-not-for-model', path, range, fixes: [{ ...remove, preferred: true }],
      message: `"${key}" applies to model type "${MODEL_KEYS_BY_TYPE[key]}" only, not "${String(doc.at(['model', 'type']))}". Remove it or change the model type.`,
    };
  }
  const allowed = Object.keys(schema.properties ?? {});
  if ('schedule' in (schema.properties ?? {})) allowed.push('sweep');
  const suggestion = suggest(key, allowed);
  const where = objPath.length ? pathText(objPath) : 'the config';
  if (suggestion) {
    return {
      severity: 'error', code: 'unknown-key', path, range,
      message: `Unknown key "${key}" in ${where}; did you mean "${suggestion}"?`,
      fixes: [{ title: `Rename to "${suggestion}"`, edits: doc.renameKey(path, suggestion), preferred: true }, remove],
    };
  }
  return {
    severity: 'error', code: 'unknown-key', path, range, fixes: [remove],
    message: `Unknown key "${key}" in ${where}. Allowed keys: ${quoteList(allowed)}.`,
  };
}

function expectedText(schema: JsonSchema): string {
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const sweepable = types.includes('object') && (schema.then?.required?.includes('sweep') || schema.if?.required?.includes('sweep'));
  const scheduled = schema.if?.required?.includes('sweep') === true;
  // Unions keep their ranges in the plain branch.
  const plain = sweepable && schema.else ? schema.else : schema;
  const words = types.filter((t) => !(sweepable && t === 'object')).map((t) => {
    if (t === 'string' && plain.pattern === '^full$') return '"full"';
    if (t === 'integer') return plain.minimum === 1 ? 'a positive integer' : 'an integer';
    if (t === 'number') return 'a number';
    if (t === 'array') return 'a list [...]';
    if (t === 'object') return 'an object {...}';
    if (t === 'boolean') return 'true or false';
    return `a ${t}`;
  });
  if (scheduled) words.push('a schedule { "schedule": "cosine", "start": 0.2, "end": 0 }');
  if (sweepable) words.push('a sweep { "sweep": [...] }');
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function wrongType(doc: Doc, path: Path, schema: JsonSchema, data: unknown): Diagnostic {
  const isEntry = path.length === 2 && path[0] === 'activations';
  const expected = isEntry ? `an object like ${inlineJson(exampleEntry())}` : expectedText(schema);
  const fixes: QuickFix[] = [];
  // A number typed as a string ("0.1") is a common slip: offer the number.
  if (typeof data === 'string' && data.trim() !== '' && Number.isFinite(Number(data)) && /number|integer/.test(String(schema.type))) {
    fixes.push({ title: `Use the number ${Number(data)}`, edits: doc.replaceValue(path, Number(data)), preferred: true });
  }
  if (isEntry && isActivationType(data)) {
    fixes.push({ title: `Use { "id": "${data}", "type": "${data}" }`, edits: doc.replaceValue(path, { id: data, type: data }), preferred: true });
  }
  return {
    severity: 'error', code: 'wrong-type', path, range: doc.valueRange(path),
    message: `${pathText(path)} must be ${expected}, not ${jsonType(data)}.`,
    ...(fixes.length ? { fixes } : {}),
  };
}

function badEnum(doc: Doc, path: Path, allowed: unknown[], data: unknown): Diagnostic {
  const names = allowed.map(String);
  const suggestion = typeof data === 'string' ? suggest(data, names) : undefined;
  const fixes: QuickFix[] | undefined = suggestion
    ? [{ title: `Change to "${suggestion}"`, edits: doc.replaceValue(path, suggestion), preferred: true }]
    : undefined;
  const hint = suggestion ? `; did you mean "${suggestion}"?` : '.';
  const range = doc.valueRange(path);
  if (path.length === 3 && path[0] === 'activations' && path[2] === 'type') {
    return {
      severity: 'error', code: 'unknown-activation', path, range, ...(fixes ? { fixes } : {}),
      message: `Unknown activation type ${show(data)}${hint} Known types: ${names.join(', ')}.`,
    };
  }
  return {
    severity: 'error', code: 'invalid-value', path, range, ...(fixes ? { fixes } : {}),
    message: `${pathText(path)} must be one of ${quoteList(names)}, not ${show(data)}${suggestion ? `; did you mean "${suggestion}"?` : '.'}`,
  };
}

/** The activation parameter a path lies in: activations[i].<param>[...]. */
function activationParam(path: Path): { index: number; param: string } | undefined {
  if (path[0] === 'activations' && typeof path[1] === 'number' && typeof path[2] === 'string') return { index: path[1], param: path[2] };
  return undefined;
}

function outOfRange(doc: Doc, path: Path, keyword: string, limit: number, data: unknown): Diagnostic {
  const op = { minimum: '≥', maximum: '≤', exclusiveMinimum: '>', exclusiveMaximum: '<' }[keyword] ?? '?';
  const range = doc.valueRange(path);
  const ap = activationParam(path);
  if (ap?.param === 'sigma' && (keyword === 'minimum' || keyword === 'exclusiveMinimum')) {
    const type = activationTypeAt(doc, ap.index);
    const p = type ? paramInfo(type, 'sigma') : undefined;
    const fixValue = typeof p?.default === 'number' ? p.default : NRELU.recommendedSigmaDefault;
    const recommended = p ? p.recommended : NRELU.recommendedSigma;
    return {
      severity: 'error', code: 'sigma-negative', path, range,
      message: `σ is a standard deviation and cannot be negative (got ${show(data)} in ${entryName(doc, ap.index)}); use a value ≥ 0, e.g. ${fixValue}${type && recommended ? ` (recommended ${recommended[0]}–${recommended[1]})` : ''}.`,
      fixes: [{ title: `Set σ to ${fixValue}`, edits: doc.replaceValue(path, fixValue), preferred: true }],
    };
  }
  if (path.includes('inputNoise') && path.includes('kappa') && keyword === 'minimum') {
    return {
      severity: 'error', code: 'kappa-negative', path, range,
      message: `κ is the standard deviation of the input mask and cannot be negative (got ${show(data)}); use a value ≥ 0 (0 = no noise).`,
      fixes: [{ title: 'Set κ to 0', edits: doc.replaceValue(path, 0), preferred: true }],
    };
  }
  if (path[0] === 'training' && path[1] === 'seeds' && typeof data === 'number') {
    return {
      severity: 'error', code: 'seed-not-safe', path, range,
      message: `Seed ${show(data)} is beyond ±${Number.MAX_SAFE_INTEGER} (2⁵³ − 1), where different seeds read as the same number; use a smaller one.`,
    };
  }
  const what = ap ? `${ap.param} of ${entryName(doc, ap.index)}` : pathText(path);
  return {
    severity: 'error', code: 'out-of-range', path, range,
    message: `${what} must be ${op} ${limit}, not ${show(data)}.`,
  };
}

/** The entry messages show as an example: the first activation's first snippet. */
function exampleEntry(): Record<string, unknown> {
  const first = ACTIVATIONS[0]!;
  return first.snippets?.[0]?.body ?? { id: first.type, type: first.type };
}

function emptyList(doc: Doc, path: Path): Diagnostic {
  const range = doc.valueRange(path);
  if (path[path.length - 1] === 'sweep') {
    const owner = path.slice(0, -1);
    const ap = activationParam(owner);
    const what = ap ? `${ap.param} of ${entryName(doc, ap.index)}` : pathText(owner);
    return {
      severity: 'error', code: 'empty-sweep', path, range,
      message: `The sweep of ${what} is empty; list at least one value, e.g. { "sweep": [0.05, 0.1] }, or use a plain value.`,
    };
  }
  if (path.length === 1 && path[0] === 'activations') {
    return {
      severity: 'error', code: 'empty-activations', path, range,
      message: `"activations" is empty; add at least one, e.g. ${inlineJson(exampleEntry())}.`,
      fixes: [{ title: `Add a ${ACTIVATIONS[0]!.name} entry`, edits: doc.replaceValue(path, [exampleEntry()]), preferred: true }],
    };
  }
  return { severity: 'error', code: 'empty-list', path, range, message: `${pathText(path)} must list at least one value.` };
}

function badPattern(doc: Doc, path: Path, data: unknown): Diagnostic {
  const range = doc.valueRange(path);
  if (path[path.length - 1] === 'id' && typeof data === 'string') {
    const clean = data.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'activation';
    return {
      severity: 'error', code: 'invalid-id', path, range,
      message: `Activation id ${show(data)} may hold only letters, digits, "-", "_" and "." (starting with a letter or digit), e.g. "${clean}".`,
      fixes: [{ title: `Change to "${clean}"`, edits: doc.replaceValue(path, clean), preferred: true }],
    };
  }
  const suggestion = typeof data === 'string' ? suggest(data, ['full']) : undefined;
  return {
    severity: 'error', code: 'invalid-value', path, range,
    message: `${pathText(path)} must be a positive integer or "full", not ${show(data)}.`,
    ...(suggestion ? { fixes: [{ title: 'Change to "full"', edits: doc.replaceValue(path, 'full'), preferred: true }] } : {}),
  };
}

function missingDiagnostics(doc: Doc, path: Path, missing: string[], e: AjvError): Diagnostic[] {
  const range = doc.objectRange(path);
  const data = doc.at(path);
  const isEntry = path.length === 2 && path[0] === 'activations' && typeof path[1] === 'number';
  const out: Diagnostic[] = [];
  let rest = missing;
  if (isEntry && missing.includes('id')) {
    const type = activationTypeAt(doc, path[1] as number);
    const id = uniqueId(doc, type ?? 'activation');
    out.push({
      severity: 'error', code: 'missing-id', path: [...path, 'id'], range,
      message: `${entryName(doc, path[1] as number)} has no "id"; every activation needs a unique id, e.g. "id": "${id}".`,
      fixes: [{ title: `Add "id": "${id}"`, edits: doc.setProperty([...path, 'id'], id, true), preferred: true }],
    });
    rest = rest.filter((m) => m !== 'id');
  }
  if (isObject(data) && typeof data.schedule === 'string') {
    const kind = data.schedule;
    const start = typeof data.start === 'number' ? data.start : undefined;
    for (const m of rest.filter((k) => k === 'start' || k === 'end')) {
      const value = m === 'end' ? (kind === 'exponential' && start ? start / 10 : 0) : 0.1;
      out.push({
        severity: 'error', code: `schedule-missing-${m}`, path: [...path, m], range,
        message: m === 'end'
          ? `The ${kind} schedule needs "end", the value at the last epoch (or step), e.g. "end": ${value}.`
          : `The ${kind} schedule needs "start", the value at t = 0, e.g. "start": ${value}.`,
        fixes: [{ title: `Add "${m}": ${value}`, edits: doc.setProperty([...path, m], value), preferred: true }],
      });
    }
    rest = rest.filter((k) => k !== 'start' && k !== 'end');
  } else if (isObject(data) && !('sweep' in data) && (rest.includes('schedule') || rest.includes('sweep'))) {
    // An object where a value, a schedule or a sweep was expected, without the key that says which.
    const scheduled = rest.includes('schedule');
    const allowed = scheduled ? SCHEDULE_KEYS : ['sweep'];
    const keys = Object.keys(data);
    if (keys.length === 0) {
      out.push({
        severity: 'error', code: 'wrong-type', path, range: doc.valueRange(path),
        message: scheduled
          ? `${pathText(path)} must be a number, a schedule { "schedule": "cosine", "start": 0.2, "end": 0 } or a sweep { "sweep": [...] }, not an empty object.`
          : `${pathText(path)} must be a plain value or a sweep { "sweep": [...] }, not an empty object.`,
      });
      rest = [];
    } else if (keys.some((k) => !allowed.includes(k))) {
      // The unknown key (a typo of "sweep" or "schedule", most likely) is reported on its own.
      rest = [];
    }
  }
  if (rest.length) {
    const props = schemaOf(e).properties ?? {};
    const details = rest.map((k) => {
      const s = resolveRef(props[k]);
      const values = s?.enum ? ` (one of ${s.enum.map(String).join(', ')})` : '';
      return `"${k}"${values}`;
    });
    const fixes: QuickFix[] = [];
    for (const k of rest) {
      const s = resolveRef(props[k]);
      const example = s?.default ?? s?.examples?.[0] ?? (s?.enum ? s.enum[0] : undefined);
      if (example !== undefined) fixes.push({ title: `Add "${k}": ${JSON.stringify(example)}`, edits: doc.setProperty([...path, k], example) });
    }
    out.push({
      severity: 'error', code: 'missing-required', path, range,
      message: `${path.length ? pathText(path) : 'The config'} is missing ${details.join(' and ')}.`,
      ...(fixes.length ? { fixes } : {}),
    });
  }
  return out;
}

