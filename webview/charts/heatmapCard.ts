/**
 * The heatmap's card in the Dead units tab: arm / seed / layer selects (persisted in the view
 * state) over the per-unit canvas. Redraws when probes arrive, when its selection or the tab
 * changes (a hidden canvas has no size), on resize and on a theme change.
 */
import { Select } from '../components/controls';
import { exportButtons } from '../components/chartExport';
import { el } from '../components/dom';
import type { Dirty } from '../state/runModel';
import { anyChanged, type ViewContext, type ViewInstance, type ViewKey } from '../views/types';
import { readTheme } from '../theme';
import { Heatmap } from './heatmap';

const REDRAW_ON: readonly ViewKey[] = ['tab', 'heatmapArm', 'heatmapSeed', 'heatmapLayer'];

export class HeatmapCard implements ViewInstance {
  private readonly heatmap: Heatmap;
  private readonly seed: Select;
  private readonly layer: Select;
  private stale = true;

  constructor(parent: HTMLElement, ctx: ViewContext) {
    const card = parent.appendChild(el('section', 'card wide'));
    const title = 'Per-unit fraction of positive pre-activations';
    const top = card.appendChild(el('div', 'card-head'));
    top.appendChild(el('h3', 'card-title', title)).appendChild(el('span', 'card-sub', '0 (dark) = never positive: a dead ReLU unit'));
    const controls = card.appendChild(el('div', 'toolbar inline'));
    new Select(controls, 'arm', ctx.model.arms.map((a) => ({ value: String(a.index), label: a.spec.label })), String(ctx.view.heatmapArm),
      (a) => ctx.save({ heatmapArm: Number(a) }), 'heat-arm');
    this.seed = new Select(controls, 'seed', [], '', (s) => ctx.save({ heatmapSeed: Number(s) }), 'heat-seed');
    this.layer = new Select(controls, 'layer', [], '', (l) => ctx.save({ heatmapLayer: l }), 'heat-layer');
    this.heatmap = new Heatmap(card, () => { this.stale = true; ctx.schedule(); });
    // Not a Chart.js chart: its SVG is its own painting, recorded (heatmapSvg.ts).
    exportButtons(top, this.heatmap.canvas, title, 'chart-heatmap', () => this.heatmap.svg(readTheme().bg));
  }

  rebuild(changed: ReadonlySet<ViewKey>): void {
    if (anyChanged(changed, REDRAW_ON)) this.stale = true;
  }

  update(dirty: ReadonlySet<Dirty>, ctx: ViewContext): void {
    if (!this.stale && !dirty.has('probes')) return;
    this.stale = false;
    this.draw(ctx);
  }

  theme(ctx: ViewContext): void {
    this.stale = true;
    ctx.schedule();
  }

  /** Falls back to the first arm, seed and layer while the saved ones do not exist (yet). */
  private draw({ model: m, view, theme }: ViewContext): void {
    const arm = m.arms[view.heatmapArm] ?? m.arms[0];
    if (!arm) return;
    const seeds = arm.jobs.map((j) => ({ value: String(j.spec.seed), label: `seed ${j.spec.seed}` }));
    const seed = arm.jobs.some((j) => j.spec.seed === view.heatmapSeed) ? view.heatmapSeed : (arm.jobs[0]?.spec.seed ?? 0);
    const layer = m.layerNames.includes(view.heatmapLayer) ? view.heatmapLayer : (m.layerNames[0] ?? '');
    if (this.seed.element.childElementCount !== seeds.length || this.seed.value !== String(seed)) this.seed.setOptions(seeds, String(seed));
    if (this.layer.element.childElementCount !== m.layerNames.length) this.layer.setOptions(m.layerNames.map((l) => ({ value: l, label: l })), layer);
    this.heatmap.draw(m, { arm: arm.index, seed, layer }, theme);
  }
}
