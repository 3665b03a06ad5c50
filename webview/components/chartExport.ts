/**
 * A chart card, with its PNG and SVG buttons. PNG: the canvas as drawn (on the theme's background,
 * at the device pixel ratio). SVG: re-drawn from Chart.js's layout (charts/svg.ts). The chart is
 * looked up when clicked, so the buttons work for charts made later (the shapes view's lazy ones).
 */
import { Chart } from 'chart.js';
import { canvasPng, chartSvg } from '../charts/svg';
import type { Pt } from '../state/aggregate';
import { readTheme } from '../theme';
import { button } from './controls';
import { el } from './dom';
import { fileName, saveFile } from './save';

/** A titled card holding one canvas and its PNG/SVG buttons; the wrapper gives Chart.js a sized box to fill. */
export function chartCard(parent: HTMLElement, title: string, id: string, subtitle?: string): { card: HTMLElement; canvas: HTMLCanvasElement } {
  const card = parent.appendChild(el('section', 'card'));
  card.id = id;
  const top = card.appendChild(el('div', 'card-head'));
  const head = top.appendChild(el('h3', 'card-title', title));
  if (subtitle) head.appendChild(el('span', 'card-sub', subtitle));
  const box = el('div', 'chart-box');
  const canvas = box.appendChild(el('canvas'));
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', title);
  exportButtons(top, canvas, title, id);
  card.appendChild(box);
  return { card, canvas };
}

/** `svg`: how to make the SVG (default: re-drawn from the Chart.js chart on `canvas`). */
export function exportButtons(head: HTMLElement, canvas: HTMLCanvasElement, title: string, id: string, svg?: () => string | undefined): HTMLElement {
  const bar = head.appendChild(el('span', 'card-actions'));
  const what = id.replace(/^chart-/, '');
  const fail = (e: unknown): void => { bar.dataset.error = (e as Error).message; };
  const png = button(bar, 'PNG', () => {
    saveFile(fileName(what, 'image/png'), 'image/png', canvasPng(canvas, readTheme().bg)).catch(fail);
  }, { secondary: true, id: `${id}-png` });
  png.setAttribute('aria-label', `Save "${title}" as PNG`);
  const make = svg ?? ((): string | undefined => {
    const chart = Chart.getChart(canvas) as Chart<'line', Pt[]> | undefined;
    return chart ? chartSvg(chart, readTheme(), title) : undefined;
  });
  const b = button(bar, 'SVG', () => {
    const text = make();
    if (text) saveFile(fileName(what, 'image/svg+xml'), 'image/svg+xml', text).catch(fail);
  }, { secondary: true, id: `${id}-svg` });
  b.setAttribute('aria-label', `Save "${title}" as SVG`);
  return bar;
}
