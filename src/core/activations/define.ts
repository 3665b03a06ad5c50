/**
 * What one activation entry of the registry says about itself. Everything else (the resolved
 * spec's type, validation, schema, sweep expansion, the loop's σ, probes, hovers, completion,
 * the README table) is derived from these fields, so a new activation is one file here and its
 * tensor form in src/trainer/activations.
 *
 * Adding an activation: `src/core/activations/<type>.ts` exporting
 * `definition = defineActivation({...})`, `src/trainer/activations/<type>.ts` exporting
 * `implementation = implement(definition, ...)`, then `npm run schema` (regenerates both
 * folders' all.generated.ts, the schema and the README table). test/unit/core/registry.test.ts
 * then checks the entry: formula vs tensor form, gradients, schema, docs, README.
 *
 * Only type imports outside this folder: the registry loads before catalog/configDoc.
 */
import type { Schedule } from '../config';
import type { Doc, Path } from '../configDoc';
import type { Diagnostic } from '../diagnostics';

/** One point of an activation's curve. */
export interface CurvePoint {
  /** Inference-mode output (stochastic inference: its expectation). */
  f: number;
  /** E[f(x)] under the training randomness. */
  mean: number;
  /** 5 % and 95 % quantiles of the training output (= mean when deterministic). */
  lo: number;
  hi: number;
  /** Standard deviation of the training output (E[f] ± sd is the shapes view's ±1 sd band); absent: 0. */
  sd?: number;
  /** f′(x) as backprop uses it (noise excluded). */
  df: number;
}

interface ParamCommon {
  description: string;
  /** How messages name it (σ); default: its key. */
  symbol?: string;
}

interface NumericRange {
  /** Valid range; absent = unbounded on that side. */
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  /** Where the papers (or common practice) say it works well; outside it is allowed. */
  recommended?: readonly [number, number];
}

/** A plain number. learnable: trained with the weights, `default` being its initial value. */
export interface NumberParam extends ParamCommon, NumericRange {
  kind: 'number';
  default: number;
  /** May be given as `{ "sweep": [...] }`. */
  sweepable: boolean;
  learnable?: boolean;
}

/** A number or a schedule over training; resolved to a Schedule in the job spec. */
export interface ScheduleParam extends ParamCommon, NumericRange {
  kind: 'schedule';
  default: number;
  sweepable: boolean;
}

export interface BooleanParam extends ParamCommon {
  kind: 'boolean';
  default: boolean;
  sweepable: false;
}

export interface EnumParam<V extends string = string> extends ParamCommon {
  kind: 'enum';
  default: V;
  values: readonly V[];
  sweepable: false;
}

/** A string fixed per entry (an expression's text). */
export interface TextParam extends ParamCommon {
  kind: 'text';
  default: string;
  maxLength?: number;
  sweepable: false;
}

/**
 * Parameters the user names (an expression's `params`): each a number, a schedule, a sweep or a
 * learnable `{ init, learnable: true, per }`. Sweeps inside it make arms keyed by the user's names.
 */
export interface NamedParamsParam extends ParamCommon {
  kind: 'named';
  default: Readonly<Record<string, never>>;
  sweepable: false;
}

/** A trainable scalar per layer or one per unit (the last axis), trained by the job's optimizer. */
export interface LearnableValue { init: number; learnable: true; per: 'layer' | 'unit' }

/** One user-named parameter in the resolved spec (a swept one is its arm's number). */
export type NamedValue = number | Schedule | LearnableValue;

export type ParamDef = NumberParam | ScheduleParam | BooleanParam | EnumParam | TextParam | NamedParamsParam;
export type ParamKind = ParamDef['kind'];
export type ParamDefs = Readonly<Record<string, ParamDef>>;

/** A parameter's value in the resolved spec. */
export type ParamValue<P> = P extends { kind: 'number' } ? number
  : P extends { kind: 'schedule' } ? Schedule
  : P extends { kind: 'boolean' } ? boolean
  : P extends { kind: 'text' } ? string
  : P extends { kind: 'named' } ? Record<string, NamedValue>
  : P extends EnumParam<infer V> ? V
  : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The resolved spec of one activation: its type and every parameter, defaults filled. */
export type SpecOf<T extends string, P extends ParamDefs> = Simplify<{ type: T } & { -readonly [K in keyof P]: ParamValue<P[K]> }>;

/** A number the checks found in a parameter (plain, swept, or a schedule's start/end). */
export interface Leaf { path: Path; value: number; role: 'value' | 'start' | 'end' }

/** What an activation's own semantic checks get (validateSemantics builds it). */
export interface CheckContext {
  doc: Doc;
  /** The raw entry as parsed. */
  entry: Record<string, unknown>;
  /** ['activations', i]. */
  base: Path;
  /** `activation "id"` for messages. */
  name: string;
  /** The numbers in parameter `key`, with their paths. */
  leaves(key: string): Leaf[];
  /** A number rounded for messages. */
  round(x: number): number;
}

export interface Snippet { label: string; description?: string; body: Record<string, unknown> }

export interface ActivationDef<T extends string = string, P extends ParamDefs = ParamDefs> {
  readonly type: T;
  /** Where it is listed in menus, the schema and the README (unique; gaps allowed). */
  readonly position: number;
  readonly name: string;
  readonly summary: string;
  /** Plain-text formula (hovers render no math). */
  readonly formula: string;
  /** The paper, when there is one. */
  readonly reference?: string;
  /** Samples noise in training (the forward pass differs between calls). */
  readonly stochastic: boolean;
  /** Parameters in the order they appear in specs, arm ids and docs. */
  readonly params: P;
  /** README activation table cells; default: the formula and the parameter names. */
  readonly readme?: { formula?: string; params?: string };
  /** Editor snippets for a new entry of this type. */
  readonly snippets?: readonly Snippet[];
  /**
   * The curve at x for plots and tests: value, mean, band and f′. sigma: the current value of
   * the schedule that drives the activation (its start when not given), 0 for the others.
   */
  point(spec: SpecOf<T, P>, x: number, sigma: number): CurvePoint;
  /**
   * Whether this spec's training-mode forward pass differs from inference, so the probe needs a
   * pass of its own instead of the test evaluation's. Default: `stochastic`.
   */
  trainsStochastically?(spec: SpecOf<T, P>): boolean;
  /** The negative-side slope it starts with, for α-aware initialisers. Default 0. */
  negativeSlope?(spec: SpecOf<T, P>): number;
  /** The schedulable parameter that drives the per-step σ. Default: the first schedule parameter. */
  readonly drivingSchedule?: keyof P & string;
  /** The formula of this spec when it is the spec's own (an expression), for plot titles. */
  formulaOf?(spec: SpecOf<T, P>): string;
  /** The schedule driving the per-step σ when it depends on the spec (user-named parameters). */
  scheduleOf?(spec: SpecOf<T, P>): Schedule | undefined;
  /** Checks a schema cannot express (bounds between parameters, the papers' warnings). */
  checks?(ctx: CheckContext): Diagnostic[];
}

/** Identity with inference: the spec type follows from `type` and `params`. */
export function defineActivation<const T extends string, const P extends ParamDefs>(def: ActivationDef<T, P>): ActivationDef<T, P> {
  return def;
}

/** A deterministic point (no band). */
export function point(f: number, df: number): CurvePoint {
  return { f, mean: f, lo: f, hi: f, df };
}
