/**
 * What an expression activation's spec means, for the registry entry (core/activations/expr),
 * its tensor form and sweep expansion: the parsed tree (cached), parameter values at a σ, the
 * scheduled parameter that is the job's σ, and the resolution of the raw `params` object.
 */
import type { LearnableValue, NamedValue } from '../activations/define';
import type { Schedule, ScheduledNumber } from '../config';
import { toSchedule } from '../schedules';
import { hasNoise } from './ast';
import { parseConstant, parseExpr, type ParseResult } from './parse';

/** The fields of an expression spec the helpers read. */
export interface ExprSpecFields {
  readonly expr: string;
  readonly params: Readonly<Record<string, NamedValue>>;
  readonly inference: 'deterministic' | 'stochastic';
}

const CACHE_LIMIT = 256;
const cache = new Map<string, ParseResult>();

/** The spec's expression parsed against its parameter names (cached: plots call it per point). */
export function parsedSpec(spec: Omit<ExprSpecFields, 'inference'>): ParseResult {
  const names = Object.keys(spec.params);
  const key = `${names.join(',')}\u0000${spec.expr}`;
  let r = cache.get(key);
  if (!r) {
    r = parseExpr(spec.expr, { params: names });
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, r);
  }
  return r;
}

export const isLearnable = (v: NamedValue): v is LearnableValue => typeof v === 'object' && 'learnable' in v;
export const isScheduleValue = (v: NamedValue): v is Schedule => typeof v === 'object' && !('learnable' in v);

/** The parameter that follows a schedule (at most one: its value is the job's per-step σ). */
export function scheduledParam(spec: Pick<ExprSpecFields, 'params'>): { name: string; schedule: Schedule } | undefined {
  for (const [name, v] of Object.entries(spec.params)) if (isScheduleValue(v)) return { name, schedule: v };
  return undefined;
}

/** Non-learnable values at σ: numbers as they are, the scheduled one at σ. */
export function valuesAt(spec: Pick<ExprSpecFields, 'params'>, sigma: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, v] of Object.entries(spec.params)) {
    if (typeof v === 'number') out[name] = v;
    else if (isScheduleValue(v)) out[name] = sigma;
  }
  return out;
}

/** Every value, learnable ones at their initial value (for plots). */
export function initialValuesAt(spec: Pick<ExprSpecFields, 'params'>, sigma: number): Record<string, number> {
  const out = valuesAt(spec, sigma);
  for (const [name, v] of Object.entries(spec.params)) if (isLearnable(v)) out[name] = v.init;
  return out;
}

/** Whether training draws noise (probes then give it a training-mode pass of its own). */
export function specHasNoise(spec: Omit<ExprSpecFields, 'inference'>): boolean {
  const r = parsedSpec(spec);
  return r.ok && hasNoise(r.tree);
}

/** A parameter written as a constant formula ("2 * pi"): its value (NaN when it does not parse). */
export function constantValue(text: string): number {
  const r = parseConstant(text);
  return r.ok ? r.value : NaN;
}

type RawValue = unknown;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sweeps in a raw `params` object: one dimension per swept name, keyed by that name. */
export function namedSweeps(raw: RawValue): { key: string; values: (number | string)[] }[] {
  if (!isObj(raw)) return [];
  return Object.entries(raw).flatMap(([key, v]) => (isObj(v) && Array.isArray(v.sweep) ? [{ key, values: v.sweep as (number | string)[] }] : []));
}

function resolveOne(v: RawValue, swept: unknown): NamedValue {
  const at = swept ?? v;
  if (typeof at === 'number') return at;
  if (typeof at === 'string') return constantValue(at);
  if (isObj(at) && at.learnable === true) {
    return { init: typeof at.init === 'number' ? at.init : typeof at.init === 'string' ? constantValue(at.init) : 0, learnable: true, per: at.per === 'unit' ? 'unit' : 'layer' };
  }
  if (isObj(at) && typeof at.schedule === 'string') return toSchedule(at as unknown as ScheduledNumber);
  return NaN;
}

/** The raw `params` of one arm resolved: swept names take the arm's value from `combo`. */
export function resolveNamedParams(raw: RawValue, combo: Readonly<Record<string, unknown>>): Record<string, NamedValue> {
  const out: Record<string, NamedValue> = {};
  if (!isObj(raw)) return out;
  for (const [name, v] of Object.entries(raw)) out[name] = resolveOne(v, isObj(v) && Array.isArray(v.sweep) ? combo[name] : undefined);
  return out;
}
