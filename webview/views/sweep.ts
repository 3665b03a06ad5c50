/**
 * Sweep: the figure a sweep exists for — the test metric against each swept parameter's value
 * (σ, α, κ, learning rate, …), mean ± std or ± 95 % CI over seeds, one line per combination of
 * the other parameters, log-x when the values span a decade (src/core/sweep.ts). The numbers are
 * summary.json's (the same `summarize`), so the plot, the table and the file agree.
 *
 * Error bars are drawn by a small plugin from two invisible 'band' datasets (low, high) per
 * series; keeping them datasets puts them in the axis range and in the test hook's snapshot.
 * Clicking a point (or choosing in "highlight arm", for the keyboard) highlights that arm here
 * and in the summary table; the choice is a view-state field, so it survives a reload.
 */
import { Chart, type ChartOptions, type Plugin } from 'chart.js';
import { sweepCsv, sweepPlots, sweptParams, type SweepPlot } from '../../src/core/sweep';
import { createChart, dataset, lineOptions, restructure, type LineDataset } from '../charts/base';
import { addSvgLayer, paint } from '../charts/svg';
import { button } from '../components/controls';
import { fileName, saveFile } from '../components/save';
import { Select } from '../components/controls';
import { chartCard } from '../components/chartExport';
import { el } from '../components/dom';
import type { Pt } from '../state/aggregate';
import { withAlpha } from '../theme';
import { anyChanged, type PanelView, type ViewContext } from './types';

/** Per main dataset: its error-bar bounds and the arm of each point. */
const bars = new WeakMap<object, { lo: Pt[]; hi: Pt[]; arms: string[] }>();

const errorBars: Plugin<'line'> = {
  id: 'actlabErrorBars',
  afterDatasetsDraw(chart) {
    const { ctx, scales: { x, y } } = chart;
    if (!x || !y) return;
    chart.data.datasets.forEach((ds, i) => {
      const b = bars.get(ds);
      if (!b || !chart.isDatasetVisible(i)) return;
      ctx.save();
      ctx.strokeStyle = String(ds.borderColor ?? '#888');
      ctx.lineWidth = 1.5;
      b.lo.forEach((lo, k) => {
        const hi = b.hi[k]!;
        const px = x.getPixelForValue(lo.x);
        const [p0, p1] = [y.getPixelForValue(lo.y), y.getPixelForValue(hi.y)];
        ctx.beginPath();
        ctx.moveTo(px, p0); ctx.lineTo(px, p1);
        ctx.moveTo(px - 4, p0); ctx.lineTo(px + 4, p0);
        ctx.moveTo(px - 4, p1); ctx.lineTo(px + 4, p1);
        ctx.stroke();
      });
      ctx.restore();
    });
  },
};
Chart.register(errorBars);
// The same bars in a chart's SVG export (charts/svg.ts re-draws datasets, not plugins' marks).
addSvgLayer((chart) => {
  const { x, y } = chart.scales;
  if (!x || !y) return '';
  let out = '';
  chart.data.datasets.forEach((ds, i) => {
    const b = bars.get(ds);
    if (!b || !chart.isDatasetVisible(i)) return;
    const d = b.lo.map((lo, k) => {
      const px = x.getPixelForValue(lo.x);
      const [p0, p1] = [y.getPixelForValue(lo.y), y.getPixelForValue(b.hi[k]!.y)];
      return `M${px} ${p0}V${p1}M${px - 4} ${p0}h8M${px - 4} ${p1}h8`;
    }).join('');
    out += `<path data-role="error-bars" d="${d}" fill="none" ${paint('stroke', ds.borderColor)} stroke-width="1.5"/>`;
  });
  return out;
});

const PARAM_TITLES: Record<string, string> = { sigma: 'σ', alpha: 'α', kappa: 'κ', beta: 'β', lr: 'learning rate', batch: 'batch size' };
const paramTitle = (p: string): string => PARAM_TITLES[p] ?? p;

class SweepView {
  private readonly charts = new Map<string, Chart<'line', Pt[]>>();
  private plots: SweepPlot[] = [];
  private observer: MutationObserver | undefined;
  private lit = '';

  constructor(panel: HTMLElement, ctx: ViewContext) {
    const params = sweptParams(ctx.model.config.arms);
    if (params.length === 0) {
      panel.appendChild(el('p', 'empty', 'This run sweeps no numeric parameter: the sweep plot needs an arm list like { "sweep": [0.01, 0.1] }.'));
      return;
    }
    this.controls(panel, ctx);
    const grid = panel.appendChild(el('div', `chart-grid${params.length > 1 ? ' two' : ''}`));
    for (const p of params) {
      const { canvas } = chartCard(grid, `Test metric against ${paramTitle(p)}`, `chart-sweep-${p}`, 'mean over seeds · bars: the chosen spread · click a point to highlight its arm');
      this.charts.set(p, createChart(`sweep.${p}`, canvas, lineOptions(ctx.theme, { x: paramTitle(p), y: '' }, false), []));
    }
    this.watchTable();
  }

  private controls(panel: HTMLElement, ctx: ViewContext): void {
    const bar = panel.appendChild(el('div', 'toolbar sweep-controls'));
    new Select(bar, 'metric', [{ value: 'final', label: 'final epoch' }, { value: 'best', label: 'best epoch' }], ctx.view.sweepWhich ?? 'final',
      (v) => ctx.save({ sweepWhich: v === 'best' ? 'best' : 'final' }), 'sel-sweep-which');
    new Select(bar, 'error bars', [{ value: 'std', label: '± std' }, { value: 'ci', label: '± 95 % CI' }], ctx.view.sweepError ?? 'std',
      (v) => ctx.save({ sweepError: v === 'ci' ? 'ci' : 'std' }), 'sel-sweep-error');
    new Select(bar, 'highlight arm', [{ value: '', label: 'none' }, ...ctx.model.config.arms.map((a) => ({ value: a.armId, label: a.label }))],
      ctx.view.highlightArm, (v) => ctx.save({ highlightArm: v }), 'sel-sweep-highlight');
    // The plotted table (summary.json's numbers, as chosen above) for a spreadsheet.
    const csv = button(bar, 'Export sweep CSV', () => {
      const which = ctx.view.sweepWhich ?? 'final';
      const error = ctx.view.sweepError ?? 'std';
      saveFile(fileName('sweep', 'text/csv'), 'text/csv', sweepCsv(this.plots, which, error)).catch((e: unknown) => { bar.dataset.error = (e as Error).message; });
    }, { id: 'btn-sweep-csv', secondary: true });
    csv.setAttribute('aria-label', 'Save the sweep table (metric against each swept parameter) as CSV');
  }

  refresh(ctx: ViewContext): void {
    const summary = ctx.summary;
    if (this.charts.size === 0 || !summary) return;
    this.plots = sweepPlots(summary, ctx.view.sweepWhich ?? 'final', ctx.view.sweepError ?? 'std');
    for (const plot of this.plots) {
      const chart = this.charts.get(plot.param);
      if (chart) restructure(chart, this.options(plot, ctx), this.datasets(plot, ctx));
    }
    this.highlightTable(ctx.view.highlightArm);
  }

  private datasets(plot: SweepPlot, ctx: ViewContext): LineDataset[] {
    const { theme, view } = ctx;
    const out: LineDataset[] = [];
    plot.series.forEach((s, i) => {
      const color = theme.palette[i % theme.palette.length]!;
      const main = s.points.map((p) => ({ x: p.x, y: p.mean }));
      const lo = s.points.map((p) => ({ x: p.x, y: p.mean - (p.err ?? 0) }));
      const hi = s.points.map((p) => ({ x: p.x, y: p.mean + (p.err ?? 0) }));
      const lit = s.points.map((p) => p.armId === view.highlightArm);
      const ds = dataset('main', s.label, main, {
        borderColor: color, backgroundColor: color, pointRadius: lit.map((l) => (l ? 8 : 4)), pointHoverRadius: 7, pointHitRadius: 8,
        pointBorderColor: lit.map((l) => (l ? theme.fg : color)), pointBorderWidth: lit.map((l) => (l ? 3 : 1)),
      });
      bars.set(ds, { lo, hi, arms: s.points.map((p) => p.armId) });
      const invisible = { showLine: false, pointRadius: 0, pointHitRadius: 0, borderColor: withAlpha(color, 0) };
      out.push(ds, dataset('band', `${s.label} low`, lo, invisible), dataset('band', `${s.label} high`, hi, invisible));
    });
    return out;
  }

  private options(plot: SweepPlot, ctx: ViewContext): ChartOptions<'line'> {
    const acc = plot.metric === 'testAccuracy';
    const which = ctx.view.sweepWhich === 'best' ? 'best' : 'final';
    const y = `${which} test ${acc ? 'accuracy' : 'loss'} (± ${ctx.view.sweepError === 'ci' ? '95 % CI' : 'std'})`;
    const o = lineOptions(ctx.theme, { x: `${paramTitle(plot.param)}${plot.logX ? ' (log)' : ''}`, y, yPercent: acc }, false);
    const x = o.scales!.x!;
    o.scales!.x = { ...x, type: plot.logX ? 'logarithmic' : 'linear' } as typeof x;
    o.interaction = { mode: 'nearest', intersect: true };
    o.plugins!.legend!.labels = { ...o.plugins!.legend!.labels, usePointStyle: true, boxHeight: 7 };
    o.onClick = (_e, elements, chart) => {
      const hit = elements.find((h) => bars.has(chart.data.datasets[h.datasetIndex]!));
      const arm = hit && bars.get(chart.data.datasets[hit.datasetIndex]!)?.arms[hit.index];
      if (arm) ctx.save({ highlightArm: arm === (ctx.view.highlightArm) ? '' : arm });
    };
    return o;
  }

  /** The summary table re-renders its rows: mark the highlighted one again each time. */
  private watchTable(): void {
    const table = document.getElementById('summary-table');
    if (!table || typeof MutationObserver === 'undefined') return;
    // childList only: the marks below are attribute changes and do not call back.
    this.observer = new MutationObserver(() => this.highlightTable(this.lit));
    this.observer.observe(table, { childList: true, subtree: true });
  }

  private highlightTable(arm: string): void {
    this.lit = arm;
    for (const row of document.querySelectorAll<HTMLElement>('#summary-table vscode-table-row')) {
      const on = arm !== '' && row.dataset.armId === arm;
      if (on === row.classList.contains('highlight')) continue;
      row.classList.toggle('highlight', on);
      // CSSOM, not a style attribute: allowed by the panel's CSP; the outline reads in high contrast too.
      row.style.outline = on ? '2px solid var(--actlab-fg)' : '';
      if (on) row.setAttribute('aria-current', 'true'); else row.removeAttribute('aria-current');
    }
  }
}

export const sweep: PanelView = {
  tab: 'sweep',
  title: 'Sweep',
  create(panel, ctx) {
    const view = new SweepView(panel, ctx);
    return {
      update(dirty, c) { if (dirty.has('summary')) view.refresh(c); },
      rebuild(changed, c) { if (anyChanged(changed, ['sweepWhich', 'sweepError', 'highlightArm'])) view.refresh(c); },
      theme(c) { view.refresh(c); },
    };
  },
};
