/**
 * The table of metrics: every number a job reports, with how to show and compare it. Protocol
 * validation, the panel's run model and curves, the CSV export and the summary read this list,
 * so a new metric is the trainer computing it plus one row here.
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
  /** Drawn as a loss/accuracy curve in the panel's Curves view. */
  readonly curve?: boolean;
  /** Absent on some jobs (accuracy for regression, σ for deterministic activations). */
  readonly optional?: boolean;
}

const m = (d: MetricDef): MetricDef => d;

export const METRICS: readonly MetricDef[] = [
  m({ key: 'loss', title: 'Step loss', kind: 'loss', better: 'lower', cadence: 'step', csv: 'loss' }),
  m({ key: 'sigma', title: 'σ', kind: 'value', better: 'none', cadence: 'step', csv: 'sigma', optional: true }),
  m({ key: 'trainLoss', title: 'Train loss', kind: 'loss', better: 'lower', cadence: 'epoch', csv: 'trainLoss', curve: true }),
  m({ key: 'testLoss', title: 'Test loss', kind: 'loss', better: 'lower', cadence: 'epoch', csv: 'testLoss', curve: true }),
  m({ key: 'trainAccuracy', title: 'Train accuracy', kind: 'accuracy', better: 'higher', cadence: 'epoch', csv: 'trainAccuracy', curve: true, optional: true }),
  m({ key: 'testAccuracy', title: 'Test accuracy', kind: 'accuracy', better: 'higher', cadence: 'epoch', csv: 'testAccuracy', curve: true, optional: true }),
  m({ key: 'sigma', title: 'σ', kind: 'value', better: 'none', cadence: 'epoch', csv: 'sigma', optional: true }),
  m({ key: 'seconds', title: 'Epoch time', kind: 'seconds', better: 'lower', cadence: 'epoch', csv: 'seconds' }),
  m({ key: 'samplesPerSec', title: 'Samples/s', kind: 'rate', better: 'higher', cadence: 'epoch', csv: 'samplesPerSec' }),
  m({ key: 'deadMean', title: 'Dead units (|mean| < τ)', kind: 'fraction', better: 'lower', cadence: 'probe', csv: 'deadMean' }),
  m({ key: 'deadGrad', title: 'Gradient-dead units', kind: 'fraction', better: 'lower', cadence: 'probe', csv: 'deadGrad' }),
  m({ key: 'meanActivation', title: 'Mean activation', kind: 'value', better: 'none', cadence: 'probe', csv: 'meanActivation' }),
  m({ key: 'gradNorm', title: 'Gradient norm', kind: 'value', better: 'none', cadence: 'probe', csv: 'gradNorm' }),
];

export function metricsAt(cadence: Cadence): readonly MetricDef[] {
  return METRICS.filter((d) => d.cadence === cadence);
}

export function metricDef(cadence: Cadence, key: string): MetricDef | undefined {
  return METRICS.find((d) => d.cadence === cadence && d.key === key);
}

/** The per-epoch curves (loss and accuracy, train and test), in display order. */
export const CURVE_METRICS: readonly MetricDef[] = METRICS.filter((d) => d.curve === true);
