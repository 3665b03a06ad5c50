/**
 * A chart as SVG, re-drawn from what Chart.js laid out: Chart.js renders to a canvas only and
 * package.json has no canvas-to-SVG library, and a canvas-context recorder would have to mimic
 * most of the 2D API. Re-drawing from the chart's own layout is small and exact: each visible
 * dataset's points at the pixel positions Chart.js computed (after decimation), with the resolved
 * colours, widths and dashes; band fills ('-1') as polygons; the axes with Chart.js's ticks and
 * titles; the legend as drawn. Views that paint extra marks through a plugin (the Sweep view's
 * error bars) add them with `addSvgLayer`. The result is plain SVG 1.1 (colours as rgb() plus
 * opacity), readable by browsers and vector editors.
 */
import type { Chart } from 'chart.js';
import type { Pt } from '../state/aggregate';
import { rgba, type Theme } from '../theme';

type AnyChart = Chart<'line', Pt[]>;
/** Extra SVG a view draws over a chart's datasets (its plugin's marks), given the chart. */
export type SvgLayer = (chart: AnyChart) => string;
const layers: SvgLayer[] = [];
export function addSvgLayer(layer: SvgLayer): void { layers.push(layer); }

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (x: number): string => (Math.round(x * 100) / 100).toString();

/** `stroke="rgb(…)" stroke-opacity="…"` (or fill) for a CSS colour; nothing for a transparent one. */
export function paint(attr: 'stroke' | 'fill', color: unknown): string {
  if (typeof color !== 'string' || !color) return `${attr}="none"`;
  const [r, g, b, a] = rgba(color);
  if (a <= 0) return `${attr}="none"`;
  return `${attr}="rgb(${Math.round(r)},${Math.round(g)},${Math.round(b)})"${a < 1 ? ` ${attr}-opacity="${n(a)}"` : ''}`;
}

interface P { x: number; y: number; skip?: boolean }
const ok = (p: P | undefined): p is P => !!p && !p.skip && Number.isFinite(p.x) && Number.isFinite(p.y);

/** Runs of drawable points (a NaN or skipped point breaks the line, as on the canvas). */
function runs(points: readonly P[]): P[][] {
  const out: P[][] = [];
  let cur: P[] = [];
  for (const p of points) {
    if (ok(p)) cur.push(p);
    else if (cur.length) { out.push(cur); cur = []; }
  }
  if (cur.length) out.push(cur);
  return out;
}

const pathOf = (run: readonly P[]): string => run.map((p, i) => `${i ? 'L' : 'M'}${n(p.x)} ${n(p.y)}`).join('');

interface LineOpts { borderColor?: unknown; borderWidth?: number; borderDash?: number[]; backgroundColor?: unknown; fill?: unknown }

function datasetSvg(chart: AnyChart, i: number): string {
  const meta = chart.getDatasetMeta(i);
  const pts = meta.data as unknown as P[];
  const line = (meta.dataset?.options ?? {}) as LineOpts;
  let out = '';
  // A band: this dataset filled down (or up) to the previous one, where both have points.
  if (line.fill === '-1' && i > 0 && chart.isDatasetVisible(i - 1)) {
    const prev = chart.getDatasetMeta(i - 1).data as unknown as P[];
    const pairs: (P & { k: number })[] = pts.map((p, k) => (ok(p) && ok(prev[k]) ? { x: p.x, y: p.y, k } : { x: NaN, y: NaN, k }));
    for (const r of runs(pairs) as (P & { k: number })[][]) {
      const lower = r.map((p) => prev[p.k]!).reverse();
      out += `<path d="${pathOf([...r, ...lower])}Z" ${paint('fill', line.backgroundColor)} stroke="none"/>`;
    }
  }
  if ((line.borderWidth ?? 0) > 0) {
    const dash = line.borderDash?.length ? ` stroke-dasharray="${line.borderDash.join(' ')}"` : '';
    for (const r of runs(pts)) {
      if (r.length > 1) out += `<path d="${pathOf(r)}" fill="none" ${paint('stroke', line.borderColor)} stroke-width="${n(line.borderWidth ?? 1)}"${dash} stroke-linejoin="round"/>`;
    }
  }
  for (const p of pts) {
    const o = ((p as unknown as { options?: { radius?: number; backgroundColor?: unknown; borderColor?: unknown; borderWidth?: number } }).options) ?? {};
    if (!ok(p) || !(o.radius && o.radius > 0)) continue;
    out += `<circle cx="${n(p.x)}" cy="${n(p.y)}" r="${n(o.radius)}" ${paint('fill', o.backgroundColor)} ${paint('stroke', o.borderColor)} stroke-width="${n(o.borderWidth ?? 1)}"/>`;
  }
  return out;
}

interface TickScale { ticks: { label?: unknown }[]; getPixelForTick(i: number): number; options: { title?: { display?: boolean; text?: unknown } } }

function axesSvg(chart: AnyChart, theme: Theme): string {
  const a = chart.chartArea;
  const x = chart.scales.x as unknown as TickScale | undefined;
  const y = chart.scales.y as unknown as TickScale | undefined;
  const font = `font-family="${esc(theme.font)}" font-size="10"`;
  let out = `<g ${paint('stroke', theme.grid)} stroke-width="1">`;
  x?.ticks.forEach((_t, i) => { const px = n(x.getPixelForTick(i)); out += `<line x1="${px}" y1="${n(a.top)}" x2="${px}" y2="${n(a.bottom)}"/>`; });
  y?.ticks.forEach((_t, i) => { const py = n(y.getPixelForTick(i)); out += `<line x1="${n(a.left)}" y1="${py}" x2="${n(a.right)}" y2="${py}"/>`; });
  out += `</g><g ${paint('fill', theme.muted)} ${font}>`;
  const label = (t: { label?: unknown }): string => esc(Array.isArray(t.label) ? t.label.join(' ') : String(t.label ?? ''));
  x?.ticks.forEach((t, i) => { out += `<text x="${n(x.getPixelForTick(i))}" y="${n(a.bottom + 14)}" text-anchor="middle">${label(t)}</text>`; });
  y?.ticks.forEach((t, i) => { out += `<text x="${n(a.left - 6)}" y="${n(y.getPixelForTick(i) + 3)}" text-anchor="end">${label(t)}</text>`; });
  const title = (s: TickScale | undefined): string => (s?.options.title?.display && s.options.title.text ? esc(String(s.options.title.text)) : '');
  if (title(x)) out += `<text x="${n((a.left + a.right) / 2)}" y="${n(a.bottom + 30)}" text-anchor="middle" font-size="11">${title(x)}</text>`;
  if (title(y)) out += `<text transform="translate(12 ${n((a.top + a.bottom) / 2)}) rotate(-90)" text-anchor="middle" font-size="11">${title(y)}</text>`;
  return `${out}</g>`;
}

interface LegendBox { left: number; top: number; width: number; height: number }

function legendSvg(chart: AnyChart, theme: Theme): string {
  const legend = chart.legend as unknown as { options?: { display?: boolean }; legendItems?: { text: string; strokeStyle?: unknown; fillStyle?: unknown; hidden?: boolean; lineDash?: number[] }[]; legendHitBoxes?: LegendBox[] } | undefined;
  if (!legend?.options?.display || !legend.legendItems) return '';
  let out = `<g font-family="${esc(theme.font)}" font-size="11">`;
  legend.legendItems.forEach((it, i) => {
    const b = legend.legendHitBoxes?.[i];
    if (!b) return;
    const cy = b.top + b.height / 2;
    const dash = it.lineDash?.length ? ` stroke-dasharray="${it.lineDash.join(' ')}"` : '';
    out += `<line x1="${n(b.left)}" y1="${n(cy)}" x2="${n(b.left + 14)}" y2="${n(cy)}" ${paint('stroke', it.strokeStyle ?? it.fillStyle)} stroke-width="2"${dash}/>`;
    out += `<text x="${n(b.left + 20)}" y="${n(cy + 4)}" ${paint('fill', theme.fg)}${it.hidden ? ' text-decoration="line-through"' : ''}>${esc(it.text)}</text>`;
  });
  return `${out}</g>`;
}

/** The chart as a standalone SVG document (CSS pixel size), on the theme's background. */
export function chartSvg(chart: AnyChart, theme: Theme, title: string): string {
  const w = chart.width;
  const h = chart.height;
  const a = chart.chartArea;
  let body = '';
  // Back to front, as Chart.js draws: a lower `order` is drawn last (on top).
  const order = chart.data.datasets.map((_d, i) => i).filter((i) => chart.isDatasetVisible(i))
    .sort((p, q) => (chart.data.datasets[q]!.order ?? 0) - (chart.data.datasets[p]!.order ?? 0) || p - q);
  for (const i of order) body += datasetSvg(chart, i);
  for (const layer of layers) body += layer(chart);
  const clip = `<clipPath id="area"><rect x="${n(a.left - 5)}" y="${n(a.top - 5)}" width="${n(a.right - a.left + 10)}" height="${n(a.bottom - a.top + 10)}"/></clipPath>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${n(w)}" height="${n(h)}" viewBox="0 0 ${n(w)} ${n(h)}">`
    + `<title>${esc(title)}</title><defs>${clip}</defs><rect width="100%" height="100%" ${paint('fill', theme.bg)}/>`
    + `${axesSvg(chart, theme)}<g clip-path="url(#area)" data-role="datasets">${body}</g>${legendSvg(chart, theme)}</svg>\n`;
}

/** A canvas as PNG (base64, no data: prefix) on an opaque background: a transparent chart is unreadable in most viewers. */
export function canvasPng(canvas: HTMLCanvasElement, background: string): string {
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const c = out.getContext('2d');
  if (c) {
    c.fillStyle = background;
    c.fillRect(0, 0, out.width, out.height);
    c.drawImage(canvas, 0, 0);
  }
  return out.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}
