/**
 * The sweep plot's data (pure): for each swept parameter, the test metric against the
 * parameter's value, one series per combination of the activation and the other swept
 * parameters, mean ± std or mean ± 95 % CI over seeds — the numbers of summary.json, not a
 * second aggregation, so the plot and the table cannot disagree.
 *
 * Rules:
 * - A parameter is plotted when it takes at least two distinct numeric values over the arms
 *   (a string-valued sweep has no axis to plot on). Arms that do not have it (a ReLU baseline
 *   in a σ sweep) are not in its plot.
 * - Metric: test accuracy when any arm has one, else test loss (regression) — the summary's
 *   rule for the best arm; `final` is at the last epoch, `best` the best epoch of each seed.
 * - Error: `std` is the sample std over seeds; `ci` the half width of the Student-t 95 %
 *   interval of the mean (t(0.975, n − 1)·s/√n). One seed has neither: no bar.
 * - log-x when every value is positive and the largest is at least 10× the smallest.
 * - Partial arms (stopped early) are left out: their numbers are not at the end of training.
 */
import type { ArmSummary, Stat, Summary } from './summary';
import { csvCell } from './csv';
import { meanHalfWidth } from './tstat';

export type SweepWhich = 'final' | 'best';
export type SweepError = 'std' | 'ci';
export type SweepMetric = 'testAccuracy' | 'testLoss';

export interface SweepPoint {
  x: number;
  armId: string;
  label: string;
  mean: number;
  /** Half the error bar (std or CI half width); undefined with one seed. */
  err: number | undefined;
  n: number;
}

export interface SweepSeries {
  /** The activation and the other parameters' values: "N-ReLU · lr=0.003". */
  label: string;
  activationId: string;
  others: Record<string, number | string>;
  /** Sorted by x. */
  points: SweepPoint[];
}

export interface SweepPlot {
  param: string;
  metric: SweepMetric;
  logX: boolean;
  series: SweepSeries[];
}

export function sweepMetricOf(arms: readonly ArmSummary[]): SweepMetric {
  return arms.some((a) => a.finalTestAccuracy) ? 'testAccuracy' : 'testLoss';
}

export function statOf(a: ArmSummary, metric: SweepMetric, which: SweepWhich): Stat | undefined {
  if (metric === 'testAccuracy') return which === 'final' ? a.finalTestAccuracy : a.bestTestAccuracy;
  return which === 'final' ? a.finalTestLoss : a.bestTestLoss;
}

export function errorOf(s: Stat, error: SweepError): number | undefined {
  if (s.n < 2) return undefined;
  return error === 'std' ? s.std : meanHalfWidth(s);
}

/** Swept parameters with ≥ 2 distinct numeric values, in the order arms first name them. */
export function sweptParams(arms: readonly Pick<ArmSummary, 'sweep'>[]): string[] {
  const values = new Map<string, Set<number>>();
  for (const a of arms) {
    for (const [k, v] of Object.entries(a.sweep)) {
      if (typeof v !== 'number') continue;
      if (!values.has(k)) values.set(k, new Set());
      values.get(k)!.add(v);
    }
  }
  return [...values].filter(([, vs]) => vs.size >= 2).map(([k]) => k);
}

export function useLogX(xs: readonly number[]): boolean {
  if (xs.length < 2 || xs.some((x) => !(x > 0))) return false;
  return Math.max(...xs) / Math.min(...xs) >= 10;
}

/** Arm label without its bracketed sweep suffix ("N-ReLU [sigma=0.1]" → "N-ReLU"). */
function baseLabel(label: string): string {
  return label.replace(/\s*\[[^\]]*\]\s*$/, '');
}

function seriesLabel(a: ArmSummary, others: Record<string, number | string>): string {
  const rest = Object.entries(others).map(([k, v]) => `${k}=${v}`).join(', ');
  return rest ? `${baseLabel(a.label)} · ${rest}` : baseLabel(a.label);
}

/** One plot per swept parameter. */
export function sweepPlots(summary: Pick<Summary, 'arms'>, which: SweepWhich, error: SweepError): SweepPlot[] {
  const arms = summary.arms.filter((a) => !a.partial);
  const metric = sweepMetricOf(arms);
  return sweptParams(arms).map((param) => {
    const groups = new Map<string, SweepSeries>();
    for (const a of arms) {
      const x = a.sweep[param];
      const s = statOf(a, metric, which);
      if (typeof x !== 'number' || !s) continue;
      const others = Object.fromEntries(Object.entries(a.sweep).filter(([k]) => k !== param));
      const key = JSON.stringify([a.activationId, others]);
      let g = groups.get(key);
      if (!g) { g = { label: seriesLabel(a, others), activationId: a.activationId, others, points: [] }; groups.set(key, g); }
      g.points.push({ x, armId: a.armId, label: a.label, mean: s.mean, err: errorOf(s, error), n: s.n });
    }
    const series = [...groups.values()];
    for (const g of series) g.points.sort((p, q) => p.x - q.x);
    return { param, metric, logX: useLogX(series.flatMap((g) => g.points.map((p) => p.x))), series };
  });
}

/** The sweep plots as one CSV table: parameter, series, x, arm, mean, error, n. */
export function sweepCsv(plots: readonly SweepPlot[], which: SweepWhich, error: SweepError): string {
  const q = (s: string): string => csvCell(s);
  const rows = [['parameter', 'series', 'value', 'arm', `${which}_${plots[0]?.metric ?? 'metric'}_mean`, `${error}`, 'seeds'].join(',')];
  for (const p of plots) {
    for (const s of p.series) {
      for (const pt of s.points) rows.push([q(p.param), q(s.label), String(pt.x), q(pt.armId), String(pt.mean), pt.err === undefined ? '' : String(pt.err), String(pt.n)].join(','));
    }
  }
  return `${rows.join('\n')}\n`;
}
