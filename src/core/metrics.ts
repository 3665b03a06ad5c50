/**
 * The table of metrics: every number a job reports, with how to show and compare it. Protocol
 * validation, the panel's run model and curves, the CSV export and the summary read this list,
 * so a new metric is the trainer computing it plus one row here (and, since the event types are
 * a contract written out by hand, one optional field on its event in protocol/events.ts — the
 * compiler refuses a row whose key the event does not have).
 */

/** loss: lower is better, log scale allowed; accuracy: a fraction in [0, 1] shown as %. */
export type MetricKind = 'loss' | 'accuracy' | 'fraction' | 'rate' | 'seconds' | 'value' | 'count';
export type Better = 'lower' | 'higher' | 'none';
/** Which event carries it: per (throttled) step, per epoch, or per probed layer. */
export type Cadence = 'step' | 'epoch' | 'probe';

export interface MetricDef {
  /** The event field, e.g. `testAccuracy` on an epoch event, `deadMean` on a probe layer. */
  readonly key: string;
  readonly title: string;
  readonly kind: MetricKind;
  readonly better: Better;
  readonly cadence: Cadence;
  /** CSV column name (per layer it is prefixed by the layer: `dense1.deadMean`). */
  readonly csv: string;
  /** Drawn as a curve (per epoch, and per step where the step events carry it) in the Curves view. */
  readonly curve?: boolean;
  /** Absent on some jobs (accuracy for regression, σ for deterministic activations). */
  readonly optional?: boolean;
  /** One line saying what it measures (under a chart's title). */
  readonly note?: string;
  /** Reported only by jobs with input masks (data.inputNoise κ > 0): views leave it out of other runs. */
  readonly needs?: 'inputMasks';
}

/**
 * `as const` keeps each key a literal type, so the rest of the code can name "a per-epoch metric"
 * or "a curve" as a union derived from this list rather than a hand-written copy of it.
 * Order matters: it is the CSV column order and the panel's chart order.
 */
export const METRICS = [
  { key: 'loss', title: 'Step loss', kind: 'loss', better: 'lower', cadence: 'step', csv: 'loss' },
  { key: 'sigma', title: 'σ', kind: 'value', better: 'none', cadence: 'step', csv: 'sigma', optional: true },
  { key: 'trainLoss', title: 'Train loss', kind: 'loss', better: 'lower', cadence: 'epoch', csv: 'trainLoss', curve: true },
  { key: 'testLoss', title: 'Test loss', kind: 'loss', better: 'lower', cadence: 'epoch', csv: 'testLoss', curve: true },
  { key: 'trainAccuracy', title: 'Train accuracy', kind: 'accuracy', better: 'higher', cadence: 'epoch', csv: 'trainAccuracy', curve: true, optional: true },
  { key: 'testAccuracy', title: 'Test accuracy', kind: 'accuracy', better: 'higher', cadence: 'epoch', csv: 'testAccuracy', curve: true, optional: true },
  // The mask off: the loss the masking analysis plots (arXiv 2602.17423, Fig. 3), on a fixed training subset.
  { key: 'cleanTrainLoss', title: 'Clean train loss (no mask)', kind: 'loss', better: 'lower', cadence: 'epoch', csv: 'cleanTrainLoss', curve: true, optional: true, needs: 'inputMasks' },
  { key: 'cleanTrainAccuracy', title: 'Clean train accuracy (no mask)', kind: 'accuracy', better: 'higher', cadence: 'epoch', csv: 'cleanTrainAccuracy', curve: true, optional: true, needs: 'inputMasks' },
  { key: 'sigma', title: 'σ', kind: 'value', better: 'none', cadence: 'epoch', csv: 'sigma', optional: true },
  { key: 'seconds', title: 'Epoch time', kind: 'seconds', better: 'lower', cadence: 'epoch', csv: 'seconds' },
  { key: 'samplesPerSec', title: 'Samples/s', kind: 'rate', better: 'higher', cadence: 'epoch', csv: 'samplesPerSec' },
  { key: 'gpuMemoryMB', title: 'GPU memory (MB)', kind: 'value', better: 'none', cadence: 'epoch', csv: 'gpuMemoryMB', optional: true },
  { key: 'deadMean', title: 'Dead units (|mean| < τ)', kind: 'fraction', better: 'lower', cadence: 'probe', csv: 'deadMean', note: '|mean activation| < τ: noise counts as life' },
  // The seed notes' wording of the N-ReLU rule ("mean activation < 1e-5"): an all-negative unit counts as dead.
  { key: 'deadSigned', title: 'Dead units (mean < τ)', kind: 'fraction', better: 'lower', cadence: 'probe', csv: 'deadSigned', optional: true, note: 'mean activation < τ, signed: a negative mean counts as dead' },
  { key: 'deadGrad', title: 'Gradient-dead units', kind: 'fraction', better: 'lower', cadence: 'probe', csv: 'deadGrad', note: 'max |f′(pre-activation)| < τ: the incoming weights no longer learn' },
  { key: 'meanActivation', title: 'Mean activation', kind: 'value', better: 'none', cadence: 'probe', csv: 'meanActivation' },
  { key: 'gradNorm', title: 'Gradient norm', kind: 'value', better: 'none', cadence: 'probe', csv: 'gradNorm' },
] as const satisfies readonly MetricDef[];

type Row = (typeof METRICS)[number];
/** The keys of the metrics an event of this cadence carries, e.g. MetricKey<'epoch'> = 'trainLoss' | … */
export type MetricKey<C extends Cadence> = Extract<Row, { cadence: C }>['key'];
/** The keys of the per-epoch curves. */
export type CurveMetricKey = Extract<Row, { curve: true }>['key'];

/** A row whose key is known to belong to cadence C (what metricsAt returns). */
export type MetricDefAt<C extends Cadence> = MetricDef & { readonly key: MetricKey<C>; readonly cadence: C };

export function metricsAt<C extends Cadence>(cadence: C): readonly MetricDefAt<C>[] {
  return (METRICS as readonly MetricDef[]).filter((d): d is MetricDefAt<C> => d.cadence === cadence);
}

export function metricDef(cadence: Cadence, key: string): MetricDef | undefined {
  return (METRICS as readonly MetricDef[]).find((d) => d.cadence === cadence && d.key === key);
}

/** The per-epoch curves (loss and accuracy, train and test), in display order. */
export const CURVE_METRICS: readonly (MetricDefAt<'epoch'> & { readonly key: CurveMetricKey })[] =
  metricsAt('epoch').filter((d): d is MetricDefAt<'epoch'> & { key: CurveMetricKey } => d.curve === true);

/** The dead-unit counts of a probe (its fractions), e.g. 'deadMean' | 'deadSigned' | 'deadGrad'. */
export type DeadMetricKey = Extract<Row, { cadence: 'probe'; kind: 'fraction' }>['key'];

/** The dead-unit definitions, in table order: the dead-units view draws one chart each. */
export const DEAD_METRICS: readonly (MetricDefAt<'probe'> & { readonly key: DeadMetricKey })[] =
  metricsAt('probe').filter((d): d is MetricDefAt<'probe'> & { key: DeadMetricKey } => d.kind === 'fraction');

/** Whether `a` is better than `b` for this metric (never, for metrics without a direction). */
export function isBetter(def: Pick<MetricDef, 'better'>, a: number, b: number): boolean {
  return def.better === 'higher' ? a > b : def.better === 'lower' ? a < b : false;
}
