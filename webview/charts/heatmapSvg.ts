/**
 * The heatmap as SVG: its painting code runs once more against this recorder, which implements
 * the few 2D-context calls it makes (rectangles, text, save/translate/rotate/restore) and writes
 * them as SVG elements. The heatmap is cells, not a Chart.js chart, so charts/svg.ts does not apply.
 */
import { paint } from './svg';

/** The part of CanvasRenderingContext2D the heatmap paints with. */
export type Paint2D = Pick<CanvasRenderingContext2D, 'fillStyle' | 'font' | 'textAlign' | 'textBaseline' | 'fillRect' | 'fillText' | 'save' | 'restore' | 'translate' | 'rotate'>;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const n = (x: number): string => (Math.round(x * 100) / 100).toString();
const ANCHOR: Record<string, string> = { left: 'start', start: 'start', center: 'middle', right: 'end', end: 'end' };
const BASELINE: Record<string, string> = { top: 'hanging', middle: 'middle', bottom: 'text-after-edge', alphabetic: 'alphabetic' };

export class SvgRecorder implements Paint2D {
  fillStyle: Paint2D['fillStyle'] = '#000';
  font = '10px sans-serif';
  textAlign: CanvasTextAlign = 'start';
  textBaseline: CanvasTextBaseline = 'alphabetic';
  private readonly out: string[] = [];
  private transform = '';
  private readonly stack: string[] = [];

  fillRect(x: number, y: number, w: number, h: number): void {
    this.out.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" ${paint('fill', String(this.fillStyle))}${this.transform ? ` transform="${this.transform}"` : ''}/>`);
  }

  fillText(text: string, x: number, y: number): void {
    const size = /(\d+(?:\.\d+)?)px/.exec(this.font)?.[1] ?? '10';
    const family = this.font.replace(/^.*?px\s*/, '').replace(/"/g, '\'');
    this.out.push(`<text x="${n(x)}" y="${n(y)}" font-size="${size}" font-family="${family}" text-anchor="${ANCHOR[this.textAlign] ?? 'start'}" dominant-baseline="${BASELINE[this.textBaseline] ?? 'alphabetic'}" ${paint('fill', String(this.fillStyle))}${this.transform ? ` transform="${this.transform}"` : ''}>${esc(text)}</text>`);
  }

  save(): void { this.stack.push(this.transform); }
  restore(): void { this.transform = this.stack.pop() ?? ''; }
  translate(x: number, y: number): void { this.transform += ` translate(${n(x)} ${n(y)})`; }
  rotate(a: number): void { this.transform += ` rotate(${n((a * 180) / Math.PI)})`; }

  /** The document: `width` × `height` CSS pixels on `background`. */
  svg(width: number, height: number, background: string, title: string): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}">`
      + `<title>${esc(title)}</title><rect width="100%" height="100%" ${paint('fill', background)}/>${this.out.join('')}</svg>\n`;
  }
}
