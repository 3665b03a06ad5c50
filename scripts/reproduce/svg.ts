/**
 * A minimal SVG line/point chart for the reproduction figures. Hand-rolled because the figures
 * are static files written by a Node script: Chart.js needs a canvas (a browser or a native
 * canvas package), and adding a plotting package for a handful of line charts is not worth a
 * new dependency.
 */

export interface Series {
  label: string;
  /** x values (numbers; for categorical charts the category index). */
  x: readonly number[];
  y: readonly number[];
  /** ± error (e.g. std over seeds) drawn as a band (lines) or whiskers (points). */
  err?: readonly number[];
  color?: string;
  dashed?: boolean;
  /** Draw markers with whiskers instead of a line. */
  points?: boolean;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  logX?: boolean;
  logY?: boolean;
  /** Category names: x = i is labelled categories[i]. */
  categories?: readonly string[];
  /** Explicit y range (before log). */
  yMin?: number;
  yMax?: number;
  /** Horizontal reference lines. */
  hLines?: readonly { y: number; label: string; color?: string }[];
}

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f'];

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** "Nice" tick values covering [lo, hi] (linear). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Powers of ten covering [lo, hi] (log axis); falls back to the ends when the range is narrow. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    const v = 10 ** e;
    if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
  }
  if (out.length < 3) {
    for (const m of [2, 5]) {
      for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
        const v = m * 10 ** e;
        if (v >= lo && v <= hi) out.push(v);
      }
    }
    out.sort((a, b) => a - b);
  }
  return out.length > 0 ? out : [lo, hi];
}

export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(4)));
}

/** The chart as a standalone SVG document. Non-finite points are skipped (a gap). */
export function lineChart(series: readonly Series[], o: ChartOptions): string {
  const W = o.width ?? 720;
  const H = o.height ?? 420;
  const m = { l: 72, r: 190, t: 40, b: o.categories ? 80 : 52 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const tx = (v: number): number => (o.logX ? Math.log10(v) : v);
  const ty = (v: number): number => (o.logY ? Math.log10(v) : v);
  const ok = (v: number, log?: boolean): boolean => Number.isFinite(v) && (!log || v > 0);

  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of series) {
    s.x.forEach((x, i) => {
      const y = s.y[i]!;
      if (!ok(x, o.logX) || !ok(y, o.logY)) return;
      xs.push(x);
      const e = s.err?.[i] ?? 0;
      ys.push(y);
      if (Number.isFinite(e) && e > 0) {
        ys.push(y + e);
        if (!o.logY || y - e > 0) ys.push(y - e);
      }
    });
  }
  for (const h of o.hLines ?? []) if (ok(h.y, o.logY)) ys.push(h.y);
  let xLo = xs.length ? Math.min(...xs) : 0;
  let xHi = xs.length ? Math.max(...xs) : 1;
  if (o.categories) { xLo = -0.5; xHi = o.categories.length - 0.5; }
  if (xLo === xHi) { xLo -= 1; xHi += 1; }
  const hasPoints = series.some((s) => s.points);
  if (hasPoints && !o.categories && !o.logX) {
    // Room for markers at the ends.
    const pad = (xHi - xLo) * 0.04;
    xLo -= pad;
    xHi += pad;
  }
  let yLo = o.yMin ?? (ys.length ? Math.min(...ys) : 0);
  let yHi = o.yMax ?? (ys.length ? Math.max(...ys) : 1);
  if (yLo === yHi) { yLo = o.logY ? yLo / 2 : yLo - 1; yHi = o.logY ? yHi * 2 : yHi + 1; }
  if (!o.logY) {
    // Pad the ends that were not fixed, so markers and whiskers are not cut by the frame.
    const pad = (yHi - yLo) * 0.05;
    if (o.yMin === undefined) yLo -= pad;
    if (o.yMax === undefined) yHi += pad;
  }
  const X0 = tx(xLo), X1 = tx(xHi), Y0 = ty(yLo), Y1 = ty(yHi);
  const px = (x: number): number => m.l + ((tx(x) - X0) / (X1 - X0)) * pw;
  const py = (y: number): number => m.t + ph - ((ty(y) - Y0) / (Y1 - Y0)) * ph;
  const f = (v: number): string => v.toFixed(1);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${f(m.l + pw / 2)}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(o.title)}</text>`);
  out.push(`<defs><clipPath id="plot"><rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}"/></clipPath></defs>`);

  // Axes, grid and ticks.
  const yTicks = o.logY ? logTicks(yLo, yHi) : niceTicks(yLo, yHi);
  for (const v of yTicks) {
    const y = py(v);
    out.push(`<line x1="${m.l}" y1="${f(y)}" x2="${m.l + pw}" y2="${f(y)}" stroke="#e6e6e6"/>`);
    out.push(`<text x="${m.l - 6}" y="${f(y + 4)}" text-anchor="end">${escapeXml(formatTick(v))}</text>`);
  }
  if (o.categories) {
    o.categories.forEach((c, i) => {
      const x = px(i);
      out.push(`<text transform="translate(${f(x)},${f(m.t + ph + 14)}) rotate(-25)" text-anchor="end">${escapeXml(c)}</text>`);
    });
  } else {
    const xTicks = o.logX ? logTicks(xLo, xHi) : niceTicks(xLo, xHi);
    for (const v of xTicks) {
      const x = px(v);
      out.push(`<line x1="${f(x)}" y1="${m.t}" x2="${f(x)}" y2="${m.t + ph}" stroke="#f0f0f0"/>`);
      out.push(`<text x="${f(x)}" y="${m.t + ph + 16}" text-anchor="middle">${escapeXml(formatTick(v))}</text>`);
    }
  }
  out.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${f(m.l + pw / 2)}" y="${H - 10}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  out.push(`<text transform="translate(16,${f(m.t + ph / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(o.yLabel)}</text>`);

  for (const h of o.hLines ?? []) {
    if (!ok(h.y, o.logY)) continue;
    const y = py(h.y);
    const c = h.color ?? '#555';
    out.push(`<line x1="${m.l}" y1="${f(y)}" x2="${m.l + pw}" y2="${f(y)}" stroke="${c}" stroke-dasharray="2,3"/>`);
    out.push(`<text x="${m.l + pw - 4}" y="${f(y - 4)}" text-anchor="end" fill="${c}" font-size="11">${escapeXml(h.label)}</text>`);
  }

  out.push('<g clip-path="url(#plot)">');
  series.forEach((s, si) => {
    const c = s.color ?? PALETTE[si % PALETTE.length]!;
    const pts: [number, number, number][] = [];
    s.x.forEach((x, i) => {
      const y = s.y[i]!;
      if (ok(x, o.logX) && ok(y, o.logY)) pts.push([x, y, s.err?.[i] ?? 0]);
    });
    if (pts.length === 0) return;
    const lower = (y: number, e: number): number => (o.logY && y - e <= 0 ? yLo : y - e);
    if (s.points) {
      for (const [x, y, e] of pts) {
        if (Number.isFinite(e) && e > 0) {
          out.push(`<line x1="${f(px(x))}" y1="${f(py(y + e))}" x2="${f(px(x))}" y2="${f(py(lower(y, e)))}" stroke="${c}" stroke-width="1.5"/>`);
          for (const yy of [y + e, lower(y, e)]) out.push(`<line x1="${f(px(x) - 4)}" y1="${f(py(yy))}" x2="${f(px(x) + 4)}" y2="${f(py(yy))}" stroke="${c}" stroke-width="1.5"/>`);
        }
        out.push(`<circle cx="${f(px(x))}" cy="${f(py(y))}" r="4" fill="${c}"/>`);
      }
      return;
    }
    if (s.err && pts.some(([, , e]) => Number.isFinite(e) && e > 0)) {
      const up = pts.map(([x, y, e]) => `${f(px(x))},${f(py(y + (Number.isFinite(e) ? e : 0)))}`);
      const down = pts.map(([x, y, e]) => `${f(px(x))},${f(py(lower(y, Number.isFinite(e) ? e : 0)))}`).reverse();
      out.push(`<polygon points="${[...up, ...down].join(' ')}" fill="${c}" fill-opacity="0.15" stroke="none"/>`);
    }
    const d = pts.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${f(px(x))},${f(py(y))}`).join('');
    out.push(`<path d="${d}" fill="none" stroke="${c}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="6,4"' : ''}/>`);
  });
  out.push('</g>');

  // Legend, right of the plot.
  series.forEach((s, si) => {
    const c = s.color ?? PALETTE[si % PALETTE.length]!;
    const y = m.t + 10 + si * 18;
    const x = m.l + pw + 12;
    if (s.points) out.push(`<circle cx="${x + 11}" cy="${y}" r="4" fill="${c}"/>`);
    else out.push(`<line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}" stroke="${c}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6,4"' : ''}/>`);
    out.push(`<text x="${x + 28}" y="${y + 4}">${escapeXml(s.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
