/**
 * Units × epochs heatmap of per-unit fracPositive (fraction of probe inputs with
 * pre-activation > 0) for one arm, seed and layer. Drawn on a plain canvas: Chart.js has no
 * heatmap/matrix chart in its core (chartjs-chart-matrix would be another dependency for what
 * is a grid of rectangles and a colour bar).
 */
import type { JobState, LayerSeries, RunModel } from '../state/runModel';
import { SvgRecorder, type Paint2D } from './heatmapSvg';
import type { Theme } from '../theme';
import { el } from '../components/dom';

/** Viridis (5 stops): perceptually uniform and readable on light and dark backgrounds. */
const RAMP: [number, number, number][] = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

/** On a dark background viridis' near-black low end vanishes: the ramp starts at a lighter violet. */
const DARK_LOW: [number, number, number] = [104, 52, 150];

export function rampColor(v: number, dark = false): string {
  const t = Math.min(Math.max(Number.isFinite(v) ? v : 0, 0), 1) * (RAMP.length - 1);
  const i = Math.min(Math.floor(t), RAMP.length - 2);
  const f = t - i;
  const a = i === 0 && dark ? DARK_LOW : RAMP[i]!; const b = RAMP[i + 1]!;
  return `rgb(${Math.round(a[0] + (b[0] - a[0]) * f)}, ${Math.round(a[1] + (b[1] - a[1]) * f)}, ${Math.round(a[2] + (b[2] - a[2]) * f)})`;
}

export interface HeatmapSelection { arm: number; seed: number; layer: string }
export interface HeatmapInfo extends HeatmapSelection { rows: number; cols: number; jobId: string }

/** The heatmap of the current init, for the read-only test hook (window.__actlab.heatmap()). */
let current: Heatmap | undefined;
export function currentHeatmap(): HeatmapInfo | undefined { return current?.lastDrawn(); }

export class Heatmap {
  readonly canvas: HTMLCanvasElement;
  private info: HeatmapInfo = { arm: 0, seed: 0, layer: '', rows: 0, cols: 0, jobId: '' };
  private last: { paint: (ctx: Paint2D) => void; w: number; h: number } | undefined;

  constructor(parent: HTMLElement, private readonly onResize: () => void) {
    current = this;
    const box = parent.appendChild(el('div', 'heatmap-box'));
    this.canvas = box.appendChild(el('canvas'));
    this.canvas.id = 'heatmap';
    this.canvas.setAttribute('role', 'img');
    new ResizeObserver(() => this.onResize()).observe(box);
  }

  lastDrawn(): HeatmapInfo { return { ...this.info }; }

  /** The last drawing as SVG (the same painting, recorded), or undefined before one. */
  svg(background: string): string | undefined {
    if (!this.last) return undefined;
    const rec = new SvgRecorder();
    this.last.paint(rec);
    return rec.svg(this.last.w, this.last.h, background, this.canvas.getAttribute('aria-label') ?? 'heatmap');
  }

  draw(model: RunModel, sel: HeatmapSelection, theme: Theme): void {
    const arm = model.arms[sel.arm];
    const job = arm?.jobs.find((j) => j.spec.seed === sel.seed) ?? arm?.jobs[0];
    const layer = job?.layers.get(sel.layer);
    const box = this.canvas.parentElement!;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(box.clientWidth, 200);
    const h = Math.max(box.clientHeight, 160);
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    const canvasCtx = this.canvas.getContext('2d');
    if (!canvasCtx) return;
    canvasCtx.setTransform(dpr, 0, 0, dpr, 0, 0);
    canvasCtx.clearRect(0, 0, w, h);
    const paintWith = (ctx: Paint2D): void => this.paint(ctx, w, h, job, layer, theme);
    this.last = { paint: paintWith, w, h };
    this.setInfo(sel, job, layer);
    paintWith(canvasCtx);
  }

  private setInfo(sel: HeatmapSelection, job: JobState | undefined, layer: LayerSeries | undefined): void {
    if (!job || !layer || layer.probeEpochs.length === 0) {
      this.info = { ...sel, rows: 0, cols: 0, jobId: job?.spec.jobId ?? '' };
      this.canvas.setAttribute('aria-label', 'heatmap: no data');
      return;
    }
    const cols = layer.fracPositive.filter((f) => (f?.length ?? 0) > 0).length;
    this.info = { arm: sel.arm, seed: job.spec.seed, layer: sel.layer, rows: layer.units, cols, jobId: job.spec.jobId };
    this.canvas.setAttribute('aria-label', `fraction positive per unit, ${job.spec.jobId}, ${sel.layer}: ${layer.units} units × ${cols} probes`);
  }

  /** Paints the heatmap on a canvas, or on the SVG recorder. */
  private paint(ctx: Paint2D, w: number, h: number, job: JobState | undefined, layer: LayerSeries | undefined, theme: Theme): void {
    ctx.font = `11px ${theme.font}`;
    ctx.fillStyle = theme.muted;
    if (!job || !layer || layer.probeEpochs.length === 0) {
      ctx.fillText('No probes for this selection yet.', 12, 24);
      return;
    }
    const rows = layer.units;
    // A report keeps per-unit data at some probe epochs only (empty rows elsewhere): draw those.
    const keep = layer.probeEpochs.map((_, i) => i).filter((i) => (layer.fracPositive[i]?.length ?? 0) > 0);
    const cols = keep.length;

    const m = { left: 48, right: 78, top: 8, bottom: 34 };
    const gw = w - m.left - m.right;
    const gh = h - m.top - m.bottom;
    const cw = gw / cols;
    const ch = gh / rows;
    for (let c = 0; c < cols; c++) {
      const col = layer.fracPositive[keep[c]!]!;
      for (let r = 0; r < rows; r++) {
        ctx.fillStyle = rampColor(col[r] ?? Number.NaN, theme.dark);
        // +0.5 px overlap hides hairline seams between cells at fractional sizes.
        ctx.fillRect(m.left + c * cw, m.top + r * ch, cw + 0.5, ch + 0.5);
      }
    }
    // Axes: epochs along x, units along y.
    ctx.fillStyle = theme.muted;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const every = Math.max(1, Math.ceil(cols / Math.max(1, Math.floor(gw / 36))));
    for (let c = 0; c < cols; c += every) ctx.fillText(String(layer.probeEpochs[keep[c]!]), m.left + (c + 0.5) * cw, m.top + gh + 4);
    ctx.fillText('epoch (0 = at init)', m.left + gw / 2, m.top + gh + 18);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    const rowEvery = Math.max(1, Math.ceil(rows / Math.max(1, Math.floor(gh / 16))));
    for (let r = 0; r < rows; r += rowEvery) ctx.fillText(String(r), m.left - 6, m.top + (r + 0.5) * ch);
    ctx.save();
    ctx.translate(12, m.top + gh / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText('unit', 0, 0);
    ctx.restore();
    // Colour bar: 1 (always positive) at the top, 0 (never positive: dead for ReLU) at the bottom.
    const bx = w - m.right + 16;
    for (let i = 0; i < gh; i++) {
      ctx.fillStyle = rampColor(1 - i / gh, theme.dark);
      ctx.fillRect(bx, m.top + i, 12, 1.5);
    }
    ctx.fillStyle = theme.muted;
    ctx.textAlign = 'left';
    ctx.fillText('1', bx + 16, m.top + 6);
    ctx.fillText('0.5', bx + 16, m.top + gh / 2);
    ctx.fillText('0', bx + 16, m.top + gh - 6);
  }
}
