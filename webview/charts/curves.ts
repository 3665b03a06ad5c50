/**
 * Loss and accuracy, train and test: per arm the mean over seeds, a band (min–max or ±std),
 * optionally every seed; per-epoch or per-step x axis; EMA smoothing of the per-step loss drawn
 * over the faint raw mean (the raw arrays are never modified; smoothed copies live here).
 * Which curves, their titles and axes come from the metrics table (src/core/metrics.ts).
 */
import type { Chart } from 'chart.js';
import { CURVE_METRICS, type MetricDef } from '../../src/core/metrics';
import type { Pt } from '../state/aggregate';
import { METRICS, usePerStepSeries, type Metric, type RunModel } from '../state/runModel';
import { emaInto } from '../state/smoothing';
import type { ViewState } from '../state/viewState';
import { withAlpha, type Theme } from '../theme';
import { createChart, lineOptions, reuseDataset, type LineDataset, type Role } from './base';
import { DrawQueue } from './drawQueue';
import { chartCard } from '../components/chartExport';
import { LEGEND_MAX_ARMS, MARKERS_MAX_POINTS, applySelection, armSelection, own, stylesOf } from './styles';

export function hasAccuracy(model: RunModel): boolean {
  return model.config.jobs.some((j) => j.training.loss === 'crossEntropy');
}

/** Points a line of a many-arm chart is decimated to (see `rebuild`). */
export const MANY_ARMS_SAMPLES = 100;

const tracked = (key: string): key is Metric => (METRICS as readonly string[]).includes(key);

/** Some job trains under input masks (only those report the clean training loss). */
export function hasInputMasks(model: RunModel): boolean {
  return model.config.jobs.some((j) => j.data.kappa > 0);
}

/**
 * The curves of this run: the metrics table's curve metrics the run model keeps series for,
 * in table order. Accuracy is optional: only classification jobs report it; a metric that
 * needs input masks is left out of runs without them.
 */
export function curveMetrics(model: RunModel): (MetricDef & { key: Metric })[] {
  const withAcc = hasAccuracy(model);
  const withMasks = hasInputMasks(model);
  const defs: readonly MetricDef[] = CURVE_METRICS;
  return defs.filter((d): d is MetricDef & { key: Metric } => tracked(d.key) && !(d.optional && d.kind === 'accuracy' && !withAcc)
    && !(d.needs === 'inputMasks' && !withMasks));
}

/** A metric's y axis from its kind: losses may go log (they span decades), accuracies are %. */
export function curveAxis(def: MetricDef, logScale: boolean): { y: string; logY: boolean; yPercent: boolean } {
  const logY = def.kind === 'loss' && logScale;
  return { y: logY ? `${def.kind} (log)` : def.kind, logY, yPercent: def.kind === 'accuracy' || def.kind === 'fraction' };
}

export class CurvesView {
  private readonly charts = new Map<Metric, { def: MetricDef; chart: Chart<'line', Pt[]>; kept: Map<string, LineDataset> }>();
  /** raw array → its smoothed copy, refreshed whenever the raw one may have changed. */
  private smoothed = new Map<Pt[], Pt[]>();
  /** Charts changed but not yet updated: drawn by `draw`, a few per frame. */
  private readonly queue = new DrawQueue();

  constructor(parent: HTMLElement, model: RunModel, view: ViewState, theme: Theme) {
    const grid = parent.appendChild(document.createElement('div'));
    grid.className = 'chart-grid two';
    for (const def of curveMetrics(model)) {
      const { canvas } = chartCard(grid, def.title, `chart-${def.key}`);
      const chart = createChart(`curves.${def.key}`, canvas, lineOptions(theme, { x: 'epoch', y: '' }, false), []);
      this.charts.set(def.key, { def, chart, kept: new Map() });
    }
    this.rebuild(model, view, theme);
  }

  rebuild(model: RunModel, view: ViewState, theme: Theme): void {
    this.smoothed = new Map();
    const stepView = view.xAxis === 'step';
    if (stepView) usePerStepSeries(model);
    let xMax = 0;
    for (const j of model.jobs.values()) xMax = Math.max(xMax, stepView ? j.epochs * j.stepsPerEpoch : j.epochs);
    const styles = stylesOf(model, theme);
    const sel = armSelection(model, view);
    // Markers only while they can be told apart (6 arms × 20 epochs, not 50 × 200).
    const markers = !stepView && model.arms.length * xMax <= MARKERS_MAX_POINTS;
    // Fifty translucent bands over each other read as one grey fog (and cost a fill each), and
    // 1,000 seed lines as a solid smear: with many arms only the highlighted arm has its band
    // and its seeds.
    const manyArms = model.arms.length > LEGEND_MAX_ARMS;
    // With many arms the lines are a sheaf, and drawing them is what a control costs (200 lines
    // of 200 points, mostly dashed, ~100 ms a chart): each is drawn LTTB-decimated to
    // MANY_ARMS_SAMPLES points (~5 px apart at the two-column width). The tooltip then names
    // the nearest drawn point's epoch. And only the charts in view are updated now (the rest
    // when they scroll into view).
    this.queue.deferUnseen = manyArms;

    for (const [metric, { def, chart, kept }] of this.charts) {
      const datasets: LineDataset[] = [];
      // The previous rebuild's datasets by what they draw, reused (see reuseDataset).
      const next = new Map<string, LineDataset>();
      const dataset = (arm: number, role: Role, label: string, data: Pt[], extra: Partial<LineDataset>): LineDataset => {
        const key = `${arm} ${role} ${label}`;
        const ds = reuseDataset(kept.get(key), role, label, data, extra);
        next.set(key, ds);
        return ds;
      };
      for (const arm of model.arms) {
        const { color, dash } = styles[arm.index]!;
        const first = datasets.length;
        const agg = arm.agg[view.xAxis][metric];
        if (view.band !== 'none' && arm.jobs.length > 1 && (manyArms ? arm.index === sel.highlight : true)) {
          const lo = view.band === 'minmax' ? agg.min : agg.stdLo;
          const hi = view.band === 'minmax' ? agg.max : agg.stdHi;
          datasets.push(dataset(arm.index, 'band', `${arm.spec.label} low`, lo, { borderWidth: 0, pointRadius: 0, borderColor: withAlpha(color, 0), fill: false }));
          datasets.push(dataset(arm.index, 'band', `${arm.spec.label} high`, hi, {
            borderWidth: 0, pointRadius: 0, borderColor: withAlpha(color, 0), backgroundColor: withAlpha(color, 0.16), fill: '-1',
          }));
        }
        if (view.showSeeds && (manyArms ? arm.index === sel.highlight : true)) {
          for (const job of arm.jobs) {
            datasets.push(dataset(arm.index, 'seed', `${arm.spec.label} seed ${job.spec.seed}`, job.series[view.xAxis][metric], {
              borderColor: withAlpha(color, 0.45), borderWidth: 1, pointRadius: 0,
            }));
          }
        }
        // Only the per-step train loss is smoothed: epoch metrics are already averages over an
        // epoch, and an EMA over a handful of points drags their ends far from the data.
        const smooth = view.smoothing > 0 && stepView && metric === 'trainLoss';
        const pointRadius = markers ? 2.5 : 0;
        const main = { borderColor: color, backgroundColor: color, pointRadius, borderDash: dash, ...(manyArms ? { borderWidth: 1 } : {}) };
        if (smooth) {
          datasets.push(dataset(arm.index, 'raw', `${arm.spec.label} (raw)`, agg.mean, { borderColor: withAlpha(color, 0.3), borderWidth: 1, pointRadius: 0 }));
          const s = emaInto(agg.mean, view.smoothing, []);
          this.smoothed.set(agg.mean, s);
          datasets.push(dataset(arm.index, 'main', arm.spec.label, s, main));
        } else {
          datasets.push(dataset(arm.index, 'main', arm.spec.label, agg.mean, main));
        }
        // With many arms the main lines are 1 px: Chromium's software canvas rasterises wider
        // strokes as filled outlines, and at 200 arms that raster was ~0.15 s of each control
        // (a trace's Commit: 950 → 100 ms over six log-scale toggles).
        const width = manyArms ? 1 : 1.75;
        datasets.slice(first).forEach((ds, i, all) => own(ds, arm.index, i === all.length - 1 ? width : 0));
      }
      const opts = lineOptions(theme, {
        x: stepView ? 'step' : 'epoch', ...curveAxis(def, view.logScale),
        xMin: stepView ? 0 : 1, ...(xMax > 0 ? { xMax } : {}), xInteger: !stepView, noLegend: model.arms.length > LEGEND_MAX_ARMS, ...(manyArms ? { samples: MANY_ARMS_SAMPLES } : {}),
      }, true);
      chart.options = opts;
      chart.data.datasets = datasets;
      this.charts.set(metric, { def, chart, kept: next });
      applySelection(chart, sel, undefined, false);
      this.queue.mark(chart);
    }
  }

  /** Updates the changed charts within a frame's share; true while some are left for the next frame. */
  draw(): boolean { return this.queue.drain(); }

  /** Whether a highlight change needs a rebuild (the band follows the highlighted arm). */
  static bandFollowsHighlight(model: RunModel, view: ViewState): boolean {
    return model.arms.length > LEGEND_MAX_ARMS && (view.band !== 'none' || view.showSeeds);
  }

  /** The arm list changed what is hidden or highlighted: flags on the datasets, no restructure. */
  select(model: RunModel, view: ViewState): void {
    const sel = armSelection(model, view);
    for (const { chart } of this.charts.values()) { applySelection(chart, sel, undefined, false); this.queue.mark(chart); }
  }

  /** New points arrived: re-smooth, and redraw on `draw` (no dataset churn). */
  refresh(view: ViewState): void {
    for (const [raw, s] of this.smoothed) emaInto(raw, view.smoothing, s);
    for (const { chart } of this.charts.values()) this.queue.mark(chart);
  }
}
