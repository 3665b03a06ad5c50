/**
 * Loss and accuracy, train and test: per arm the mean over seeds, a band (min–max or ±std),
 * optionally every seed; per-epoch or per-step x axis; EMA smoothing of the per-step loss drawn
 * over the faint raw mean (the raw arrays are never modified; smoothed copies live here).
 * Which curves, their titles and axes come from the metrics table (src/core/metrics.ts).
 */
import type { Chart } from 'chart.js';
import { CURVE_METRICS, type MetricDef } from '../../src/core/metrics';
import type { Pt } from '../state/aggregate';
import { METRICS, type Metric, type RunModel } from '../state/runModel';
import { emaInto } from '../state/smoothing';
import type { ViewState } from '../state/viewState';
import { withAlpha, type Theme } from '../theme';
import { createChart, dataset, lineOptions, restructure, type LineDataset } from './base';
import { chartCard } from '../components/dom';

export function hasAccuracy(model: RunModel): boolean {
  return model.config.jobs.some((j) => j.training.loss === 'crossEntropy');
}

const tracked = (key: string): key is Metric => (METRICS as readonly string[]).includes(key);

/**
 * The curves of this run: the metrics table's curve metrics the run model keeps series for,
 * in table order. Accuracy is optional: only classification jobs report it.
 */
export function curveMetrics(model: RunModel): (MetricDef & { key: Metric })[] {
  const withAcc = hasAccuracy(model);
  const defs: readonly MetricDef[] = CURVE_METRICS;
  return defs.filter((d): d is MetricDef & { key: Metric } => tracked(d.key) && !(d.optional && d.kind === 'accuracy' && !withAcc));
}

/** A metric's y axis from its kind: losses may go log (they span decades), accuracies are %. */
export function curveAxis(def: MetricDef, logScale: boolean): { y: string; logY: boolean; yPercent: boolean } {
  const logY = def.kind === 'loss' && logScale;
  return { y: logY ? `${def.kind} (log)` : def.kind, logY, yPercent: def.kind === 'accuracy' || def.kind === 'fraction' };
}

export class CurvesView {
  private readonly charts = new Map<Metric, { def: MetricDef; chart: Chart<'line', Pt[]> }>();
  /** raw array → its smoothed copy, refreshed whenever the raw one may have changed. */
  private smoothed = new Map<Pt[], Pt[]>();

  constructor(parent: HTMLElement, model: RunModel, view: ViewState, theme: Theme) {
    const grid = parent.appendChild(document.createElement('div'));
    grid.className = 'chart-grid two';
    for (const def of curveMetrics(model)) {
      const { canvas } = chartCard(grid, def.title, `chart-${def.key}`);
      const chart = createChart(`curves.${def.key}`, canvas, lineOptions(theme, { x: 'epoch', y: '' }, false), []);
      this.charts.set(def.key, { def, chart });
    }
    this.rebuild(model, view, theme);
  }

  rebuild(model: RunModel, view: ViewState, theme: Theme): void {
    this.smoothed = new Map();
    const stepView = view.xAxis === 'step';
    let xMax = 0;
    for (const j of model.jobs.values()) xMax = Math.max(xMax, stepView ? j.epochs * j.stepsPerEpoch : j.epochs);
    for (const [metric, { def, chart }] of this.charts) {
      const datasets: LineDataset[] = [];
      for (const arm of model.arms) {
        const color = theme.palette[arm.index % theme.palette.length]!;
        const agg = arm.agg[view.xAxis][metric];
        if (view.band !== 'none' && arm.jobs.length > 1) {
          const lo = view.band === 'minmax' ? agg.min : agg.stdLo;
          const hi = view.band === 'minmax' ? agg.max : agg.stdHi;
          datasets.push(dataset('band', `${arm.spec.label} low`, lo, { borderWidth: 0, pointRadius: 0, borderColor: withAlpha(color, 0), fill: false }));
          datasets.push(dataset('band', `${arm.spec.label} high`, hi, {
            borderWidth: 0, pointRadius: 0, borderColor: withAlpha(color, 0), backgroundColor: withAlpha(color, 0.16), fill: '-1',
          }));
        }
        if (view.showSeeds) {
          for (const job of arm.jobs) {
            datasets.push(dataset('seed', `${arm.spec.label} seed ${job.spec.seed}`, job.series[view.xAxis][metric], {
              borderColor: withAlpha(color, 0.45), borderWidth: 1, pointRadius: 0,
            }));
          }
        }
        // Only the per-step train loss is smoothed: epoch metrics are already averages over an
        // epoch, and an EMA over a handful of points drags their ends far from the data.
        const smooth = view.smoothing > 0 && stepView && metric === 'trainLoss';
        const pointRadius = stepView ? 0 : 2.5;
        if (smooth) {
          datasets.push(dataset('raw', `${arm.spec.label} (raw)`, agg.mean, { borderColor: withAlpha(color, 0.3), borderWidth: 1, pointRadius: 0 }));
          const s = emaInto(agg.mean, view.smoothing, []);
          this.smoothed.set(agg.mean, s);
          datasets.push(dataset('main', arm.spec.label, s, { borderColor: color, backgroundColor: color, pointRadius }));
        } else {
          datasets.push(dataset('main', arm.spec.label, agg.mean, { borderColor: color, backgroundColor: color, pointRadius }));
        }
      }
      const opts = lineOptions(theme, {
        x: stepView ? 'step' : 'epoch', ...curveAxis(def, view.logScale),
        xMin: stepView ? 0 : 1, ...(xMax > 0 ? { xMax } : {}), xInteger: !stepView,
      }, stepView);
      restructure(chart, opts, datasets);
    }
  }

  /** New points arrived: re-smooth and redraw (no dataset churn). */
  refresh(view: ViewState): void {
    for (const [raw, s] of this.smoothed) emaInto(raw, view.smoothing, s);
    for (const { chart } of this.charts.values()) chart.update('none');
  }
}
