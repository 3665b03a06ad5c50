/**
 * The activation registry: every entry of ./all.generated (one file per activation in this
 * folder), ordered by `position`, and what is derived from it for the rest of core.
 */
import type { Schedule } from '../config';
import { toSchedule } from '../schedules';
import { DEFINITIONS } from './all.generated';
import type { ActivationDef, CurvePoint, ParamDef, ParamDefs, SpecOf } from './define';

type Definition = (typeof DEFINITIONS)[number];
type SpecOfDef<D> = D extends ActivationDef<infer T, infer P> ? SpecOf<T, P> : never;

/** Every activation type name. */
export type ActivationType = Definition['type'];
/** The resolved activation of a job (config.json, JobSpec): its type and every parameter. */
export type ActivationSpec = SpecOfDef<Definition>;
/** Any entry, seen through the fields every entry has. */
export type AnyActivationDef = ActivationDef<ActivationType, ParamDefs>;

/** A parameter with its key, every kind's fields optional (what docs and editors read). */
export interface NamedParam {
  name: string;
  kind: ParamDef['kind'];
  default: number | boolean | string | Readonly<Record<string, never>>;
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  recommended?: readonly [number, number];
  values?: readonly string[];
  maxLength?: number;
  sweepable: boolean;
  learnable?: boolean;
  symbol?: string;
  description: string;
}

export const ACTIVATIONS: readonly AnyActivationDef[] = [...(DEFINITIONS as readonly ActivationDef[])]
  .sort((a, b) => a.position - b.position) as readonly AnyActivationDef[];

export const ACTIVATION_TYPES: readonly ActivationType[] = ACTIVATIONS.map((d) => d.type);

const BY_TYPE = new Map<string, AnyActivationDef>(ACTIVATIONS.map((d) => [d.type, d]));

export function isActivationType(value: unknown): value is ActivationType {
  return typeof value === 'string' && BY_TYPE.has(value);
}

export function activationDef(type: ActivationType): AnyActivationDef {
  const d = BY_TYPE.get(type);
  if (!d) throw new Error(`unknown activation type ${String(type)}`);
  return d;
}

/** An entry's parameters in order, with their keys. */
export function paramsOf(type: ActivationType): NamedParam[] {
  return Object.entries(activationDef(type).params).map(([name, p]) => ({ ...p, name }));
}

/** Every parameter key some activation takes, in registry order. */
export const ACTIVATION_PARAM_NAMES: readonly string[] = [...new Set(ACTIVATIONS.flatMap((d) => Object.keys(d.params)))];

/** Parameters that may be swept, in the order they appear in arm ids. */
export const ACTIVATION_SWEEP_KEYS: readonly string[] = [...new Set(ACTIVATIONS.flatMap((d) => Object.entries(d.params).filter(([, p]) => p.sweepable).map(([k]) => k)))];

/** The spec of an entry that gives only its type: every parameter at its default. */
export function defaultSpec(type: ActivationType): ActivationSpec {
  const spec: Record<string, unknown> = { type };
  for (const [key, p] of Object.entries(activationDef(type).params)) spec[key] = p.kind === 'schedule' ? toSchedule(p.default) : p.kind === 'named' ? {} : p.default;
  return spec as ActivationSpec;
}

/** Registry methods take the spec of their own type; a spec's type selects the entry. */
type Untyped = ActivationDef<string, ParamDefs>;
const defOf = (spec: ActivationSpec): Untyped => activationDef(spec.type) as unknown as Untyped;
type UntypedSpec = Parameters<Untyped['point']>[0];

/** The parameter whose schedule drives the per-step σ (ctx.sigma), if any. */
export function drivingScheduleKey(type: ActivationType): string | undefined {
  const d = activationDef(type);
  return d.drivingSchedule ?? Object.keys(d.params).find((k) => d.params[k]!.kind === 'schedule');
}

/** The schedule that drives the per-step σ of this spec, or undefined. */
export function drivingSchedule(spec: ActivationSpec): Schedule | undefined {
  const own = defOf(spec).scheduleOf;
  if (own) return own(spec as UntypedSpec);
  const key = drivingScheduleKey(spec.type);
  return key === undefined ? undefined : (spec as unknown as Record<string, Schedule>)[key];
}

/** Whether the training-mode forward pass differs from inference (the probe then needs its own pass). */
export function trainsStochastically(spec: ActivationSpec): boolean {
  const d = defOf(spec);
  return d.trainsStochastically ? d.trainsStochastically(spec as UntypedSpec) : d.stochastic;
}

/** The negative-side slope a ReLU-family activation starts with (0 for the others). */
export function negativeSlope(spec: ActivationSpec): number {
  return defOf(spec).negativeSlope?.(spec as UntypedSpec) ?? 0;
}

/**
 * One point of the activation's curve at x. sigma: the current σ of a noise/smooth
 * activation (default: the schedule's start).
 */
export function activationPoint(spec: ActivationSpec, x: number, sigma?: number): CurvePoint {
  return defOf(spec).point(spec as UntypedSpec, x, sigma ?? drivingSchedule(spec)?.start ?? 0);
}

/** Names of the spec's learnable user-named parameters (an expression's), in order. */
export function learnableParamNames(spec: ActivationSpec): string[] {
  const d = activationDef(spec.type);
  const values = spec as unknown as Record<string, unknown>;
  return Object.entries(d.params).filter(([, p]) => p.kind === 'named').flatMap(([key]) => {
    const named = values[key];
    if (typeof named !== 'object' || named === null) return [];
    return Object.entries(named).filter(([, v]) => typeof v === 'object' && v !== null && (v as { learnable?: unknown }).learnable === true).map(([n]) => n);
  });
}

/** The spec's own formula (an expression's text as parsed), or undefined for fixed-formula types. */
export function specFormula(spec: ActivationSpec): string | undefined {
  return defOf(spec).formulaOf?.(spec as UntypedSpec);
}
