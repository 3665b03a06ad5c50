/**
 * Dead units per layer over epochs, one chart per definition of the metrics table
 * (DEAD_METRICS): the N-ReLU paper's (|mean activation| < τ — noise counts as life), the signed
 * rule (mean < τ) and gradient-dead (max |f′| < τ — the incoming weights no longer learn).
 * Mean over seeds with the chosen band; layers by dash pattern.
 *
 * The legend is compact: one entry per arm (its colour) and one per layer (its dash), not one
 * per arm × layer. Clicking an entry hides or shows that arm or layer in both charts.
 */
import type { Chart, LegendItem } from 'chart.js';
import { DEAD_METRICS, type DeadMetricKey } from '../../src/core/metrics';
import type { Pt } from '../state/aggregate';
import type { RunModel } from '../state/runModel';
import type { ViewState } from '../state/viewState';
import { withAlpha, type Theme } from '../theme';
import { createChart, dataset, lineOptions, restructure, type LineDataset } from './base';
import { DrawQueue } from './drawQueue';
import { chartCard } from '../components/chartExport';
import { checkbox } from '../components/controls';
import { el } from '../components/dom';
import { LEGEND_MAX_ARMS, MARKERS_MAX_POINTS, armSelection, stylesOf } from './styles';

const DASHES: number[][] = [[], [6, 3], [2, 2], [8, 3, 2, 3]];

type LegendKey = { arm: number } | { layer: string };

export class DeadView {
  private readonly charts: { key: DeadMetricKey; chart: Chart<'line', Pt[]> }[] = [];
  /** (arm, layer) pairs with probes when the datasets were built; a new pair needs new datasets. */
  private pairs = -1;
  /** Which arm and layer each dataset draws, for the legend's toggles. */
  private readonly owners = new WeakMap<object, { arm: number; layer: string }>();
  private readonly hiddenArms = new Set<number>();
  private readonly hiddenLayers = new Set<string>();
  private legendKeys: LegendKey[] = [];
  private readonly queue = new DrawQueue();
  /** Arms the shared arm list hides (besides this legend's own toggles). */
  private listHidden = new Set<number>();

  /** The layer toggles as checkboxes too: the chart's legend is canvas, out of the keyboard's reach. */
  private readonly layerBar: HTMLElement;
  private layersShown = '';
  private readonly layerChecks = new Map<string, { checked: boolean }>();

  constructor(parent: HTMLElement, model: RunModel, view: ViewState, theme: Theme) {
    this.layerBar = parent.appendChild(el('div', 'toolbar inline dead-layers'));
    this.layerBar.hidden = true;
    const grid = parent.appendChild(document.createElement('div'));
    grid.className = 'chart-grid two';
    for (const k of shownMetrics(model)) {
      const { canvas } = chartCard(grid, k.title, `chart-${k.key}`, k.note);
      this.charts.push({ key: k.key, chart: createChart(`dead.${k.key}`, canvas, lineOptions(theme, { x: 'epoch', y: 'fraction dead' }, false), []) });
    }
    this.rebuild(model, view, theme);
  }

  rebuild(model: RunModel, view: ViewState, theme: Theme): void {
    this.pairs = countPairs(model);
    this.syncLayerControls(model);
    let xMax = 1;
    for (const j of model.jobs.values()) xMax = Math.max(xMax, j.epochs);
    const styles = stylesOf(model, theme);
    this.listHidden = armSelection(model, view).hidden;
    const pointRadius = model.arms.length * model.layerNames.length * xMax <= MARKERS_MAX_POINTS ? 2.5 : 0;
    // Many arms: 1 px lines, as the curves (software canvas raster of wider strokes is slow).
    const thin = model.arms.length > LEGEND_MAX_ARMS ? { borderWidth: 1 } : {};
    for (const { key, chart } of this.charts) {
      const datasets: LineDataset[] = [];
      for (const arm of model.arms) {
        const { color } = styles[arm.index]!;
        model.layerNames.forEach((layer, li) => {
          const agg = arm.dead.get(layer)?.[key];
          if (!agg) return;
          const label = model.layerNames.length > 1 ? `${arm.spec.label} · ${layer}` : arm.spec.label;
          const first = datasets.length;
          if (view.band !== 'none' && arm.jobs.length > 1 && model.arms.length <= LEGEND_MAX_ARMS) {
            const lo = view.band === 'minmax' ? agg.min : agg.stdLo;
            const hi = view.band === 'minmax' ? agg.max : agg.stdHi;
            datasets.push(dataset('band', `${label} low`, lo, { borderWidth: 0, pointRadius: 0, borderColor: withAlpha(color, 0), fill: false }));
            datasets.push(dataset('band', `${label} high`, hi, { borderWidth: 0, pointRadius: 0, borderColor: withAlpha(color, 0), backgroundColor: withAlpha(color, 0.12), fill: '-1' }));
          }
          datasets.push(dataset('main', label, agg.mean, {
            borderColor: color, backgroundColor: color, borderDash: DASHES[li % DASHES.length]!, pointRadius, ...thin,
          }));
          const hidden = this.isHidden(arm.index, layer);
          for (const ds of datasets.slice(first)) { this.owners.set(ds, { arm: arm.index, layer }); ds.hidden = hidden; }
        });
      }
      const options = lineOptions(theme, { x: 'epoch (0 = at init)', y: 'dead units', yMin: 0, xMin: 0, xMax, xInteger: true, yPercent: true, noLegend: model.arms.length > LEGEND_MAX_ARMS }, false);
      const legend = options.plugins!.legend!;
      legend.labels = {
        ...legend.labels, usePointStyle: true, pointStyleWidth: 22, filter: undefined,
        generateLabels: () => this.legendItems(model, theme),
      };
      legend.onClick = (_e, item) => this.toggle(item);
      restructure(chart, options, datasets, false);
      this.queue.mark(chart);
    }
  }

  /** Updates the changed charts within a frame's share; true while some are left for the next frame. */
  draw(): boolean { return this.queue.drain(); }

  /** One entry per arm with probes, then (with two or more layers) one per layer. */
  private legendItems(model: RunModel, theme: Theme): LegendItem[] {
    const keys: LegendKey[] = [];
    const items: LegendItem[] = [];
    const add = (key: LegendKey, text: string, color: string, dash: number[], hidden: boolean): void => {
      items.push({ text, strokeStyle: color, fillStyle: color, fontColor: theme.fg, lineDash: dash, lineWidth: 2, pointStyle: 'line', hidden, index: keys.length });
      keys.push(key);
    };
    for (const a of model.arms) {
      if (a.dead.size > 0) add({ arm: a.index }, a.spec.label, stylesOf(model, theme)[a.index]!.color, [], this.hiddenArms.has(a.index));
    }
    if (model.layerNames.length > 1) {
      model.layerNames.forEach((l, li) => add({ layer: l }, l, theme.muted, DASHES[li % DASHES.length]!, this.hiddenLayers.has(l)));
    }
    this.legendKeys = keys;
    return items;
  }

  private toggle(item: LegendItem): void {
    const key = item.index === undefined ? undefined : this.legendKeys[item.index];
    if (!key) return;
    const flip = <T>(set: Set<T>, x: T): void => { if (!set.delete(x)) set.add(x); };
    if ('arm' in key) flip(this.hiddenArms, key.arm);
    else {
      flip(this.hiddenLayers, key.layer);
      const c = this.layerChecks.get(key.layer);
      if (c) c.checked = !this.hiddenLayers.has(key.layer);
    }
    this.applyHidden();
    // A click on the chart's own legend comes outside the app's frames: draw now.
    this.queue.drain(Infinity);
  }

  private syncLayerControls(model: RunModel): void {
    const key = model.layerNames.join('\n');
    if (key === this.layersShown) return;
    this.layersShown = key;
    this.layerBar.replaceChildren();
    this.layerBar.hidden = model.layerNames.length < 2;
    this.layerChecks.clear();
    for (const layer of model.layerNames) {
      this.layerChecks.set(layer, checkbox(this.layerBar, `layer ${layer}`, !this.hiddenLayers.has(layer), (on) => {
        if (on) this.hiddenLayers.delete(layer); else this.hiddenLayers.add(layer);
        this.applyHidden();
        this.queue.drain(Infinity);
      }, `chk-layer-${layer}`));
    }
  }

  private isHidden(arm: number, layer: string): boolean {
    return this.hiddenArms.has(arm) || this.listHidden.has(arm) || this.hiddenLayers.has(layer);
  }

  private applyHidden(): void {
    for (const { chart } of this.charts) {
      chart.data.datasets.forEach((ds, i) => {
        const o = this.owners.get(ds);
        if (!o) return;
        ds.hidden = this.isHidden(o.arm, o.layer);
        chart.setDatasetVisibility(i, !ds.hidden);
      });
      this.queue.mark(chart);
    }
  }

  /** The shared arm list changed: hide its arms here too (no restructure). */
  select(model: RunModel, view: ViewState): void {
    this.listHidden = armSelection(model, view).hidden;
    this.applyHidden();
  }

  needsRebuild(model: RunModel): boolean {
    return countPairs(model) !== this.pairs;
  }

  refresh(): void {
    for (const { chart } of this.charts) this.queue.mark(chart);
  }
}

/**
 * The dead-unit definitions to draw: all of them, less an optional one that a run with probes
 * never reported (a run recorded before the signed count existed gets no empty chart).
 */
export function shownMetrics(model: RunModel): typeof DEAD_METRICS {
  const probed = model.arms.some((a) => a.dead.size > 0);
  const reported = (key: DeadMetricKey): boolean => model.arms.some((a) => [...a.dead.values()].some((d) => d[key].mean.length > 0));
  return DEAD_METRICS.filter((d) => d.optional !== true || !probed || reported(d.key));
}

function countPairs(model: RunModel): number {
  let n = 0;
  for (const a of model.arms) n += a.dead.size;
  return n;
}
