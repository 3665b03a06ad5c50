/**
 * Chart.js set-up shared by every chart: tree-shaken registration, streaming-friendly options
 * (parsing: false, normalized, no animation, LTTB decimation), theme colours, and the registry
 * behind the read-only test hook window.__actlab.charts().
 */
import {
  Chart, Decimation, Interaction, type InteractionItem, type InteractionModeFunction, Filler, Legend, LineController, LineElement, LinearScale, LogarithmicScale,
  PointElement, ScatterController, Tooltip, type ChartDataset, type ChartOptions,
} from 'chart.js';
import type { Pt } from '../state/aggregate';
import type { Theme } from '../theme';

/**
 * Tooltip mode 'nearestFew': the items at the hovered x (as mode 'index'), closest in y first,
 * at most TOOLTIP_ITEMS of them — with 200 arms, 'index' alone lists every arm.
 */
export const TOOLTIP_ITEMS = 6;
declare module 'chart.js' {
  interface InteractionModeMap { nearestFew: InteractionModeFunction }
}
Interaction.modes.nearestFew = (chart, e, options, useFinalPosition) => {
  const items: InteractionItem[] = Interaction.modes.index(chart, e, { ...options, intersect: false, axis: 'x' }, useFinalPosition)
    .filter((it) => { const r = roles.get(chart.data.datasets[it.datasetIndex] ?? {}); return r === 'main' || r === 'actual' || r === 'planned'; });
  const y = e.y ?? 0;
  return items.sort((a, b) => Math.abs(a.element.y - y) - Math.abs(b.element.y - y)).slice(0, TOOLTIP_ITEMS);
};

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, Filler, Legend, Tooltip, Decimation);

export type LineDataset = ChartDataset<'line', Pt[]>;
/** What a dataset is for: the legend shows 'main' only; tests read the role. */
export type Role = 'main' | 'band' | 'seed' | 'raw' | 'planned' | 'actual' | 'derivative';

interface Registered { id: string; chart: Chart<'line', Pt[]> }
const registry: Registered[] = [];
const roles = new WeakMap<object, Role>();
/** The arrays given to Chart.js (the decimation plugin swaps dataset.data for its sample). */
const sources = new WeakMap<object, Pt[]>();
let created = 0;

export function dataset(role: Role, label: string, data: Pt[], extra: Partial<LineDataset> = {}): LineDataset {
  const ds: LineDataset = { label, data, ...extra };
  roles.set(ds, role);
  sources.set(ds, data);
  return ds;
}

/**
 * `dataset`, reusing `prev` when given: Chart.js keeps a dataset's elements (its metaset) by the
 * dataset object's identity, so a rebuild that hands it new objects remakes every element (at
 * 200 arms 40,000 points a chart, most of a control's script time and garbage).
 */
export function reuseDataset(prev: LineDataset | undefined, role: Role, label: string, data: Pt[], extra: Partial<LineDataset> = {}): LineDataset {
  if (!prev) return dataset(role, label, data, extra);
  Object.assign(prev, { label, data, ...extra });
  roles.set(prev, role);
  sources.set(prev, data);
  return prev;
}

export interface AxisSpec {
  x: string; y: string; logY?: boolean; yMin?: number; yMax?: number; xMin?: number; xMax?: number;
  /** Whole-number ticks only (epochs). */
  xInteger?: boolean;
  /** y holds fractions in [0, 1]: label ticks and tooltips as percentages. */
  yPercent?: boolean;
  /** No Chart.js legend (a run with many arms: the arm list is the legend). */
  noLegend?: boolean;
  /** Lines of more points than this are drawn LTTB-decimated to this many (with `decimate`). */
  samples?: number;
}

/** A percentage tick with as many decimals as the tick spacing needs (no "15 %, 15 %, 15 %"). */
function percentTick(value: number, ticks: readonly { value: number }[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1]!.value - ticks[0]!.value) * 100 : 1;
  const decimals = Math.min(4, Math.max(0, Math.ceil(-Math.log10(step || 1))));
  return `${(100 * value).toFixed(decimals)} %`;
}

export function lineOptions(theme: Theme, axes: AxisSpec, decimate: boolean): ChartOptions<'line'> {
  const scale = (title: string) => ({
    title: { display: true, text: title, color: theme.muted, font: { family: theme.font, size: 11 } },
    ticks: { color: theme.muted, font: { family: theme.font, size: 10 }, maxTicksLimit: 8 },
    grid: { color: theme.grid },
    border: { color: theme.grid },
  });
  // One epoch (or one probe) would make a zero-width x range: centre it instead.
  if (axes.xMin !== undefined && axes.xMax !== undefined && axes.xMax <= axes.xMin) {
    axes = { ...axes, xMin: axes.xMax - 0.5, xMax: axes.xMax + 0.5 };
  }
  return {
    parsing: false,
    normalized: true,
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    spanGaps: false,
    interaction: { mode: 'nearestFew', axis: 'x', intersect: false },
    elements: { point: { radius: 0, hitRadius: 4 }, line: { borderWidth: 1.75, tension: 0 } },
    // Let markers at the axis limits draw whole instead of cut in half by the chart area.
    datasets: { line: { clip: 5 } },
    scales: {
      x: {
        type: 'linear', ...scale(axes.x),
        ...(axes.xInteger ? { ticks: { ...scale(axes.x).ticks, stepSize: 1, precision: 0 } } : {}),
        ...(axes.xMin !== undefined ? { min: axes.xMin } : {}),
        ...(axes.xMax !== undefined ? { max: axes.xMax } : {}),
      },
      y: {
        type: axes.logY ? 'logarithmic' : 'linear', ...scale(axes.y),
        ...(axes.yPercent ? { ticks: { ...scale(axes.y).ticks, callback: (val: number | string, _i: number, ticks: { value: number }[]) => percentTick(Number(val), ticks) } } : {}),
        ...(axes.yMin !== undefined && !axes.logY ? { min: axes.yMin } : {}), ...(axes.yMax !== undefined ? { max: axes.yMax } : {}),
      },
    },
    plugins: {
      decimation: { enabled: decimate, algorithm: 'lttb', ...(axes.samples ? { samples: axes.samples, threshold: axes.samples } : {}) },
      legend: {
        display: !axes.noLegend,
        position: 'bottom',
        labels: {
          color: theme.fg, boxWidth: 14, boxHeight: 2, font: { family: theme.font, size: 11 },
          filter: (item, data) => roles.get(data.datasets[item.datasetIndex ?? 0] ?? {}) === 'main',
        },
      },
      tooltip: {
        filter: (item) => { const r = roles.get(item.dataset); return r === 'main' || r === 'actual' || r === 'planned'; },
        callbacks: {
          // "epoch 115", not a bare "115": the x value with its axis' name.
          title: (items) => (items[0] ? `${axes.x.replace(/ \(.*\)$/, '')} ${formatX(items[0].parsed.x)}` : ''),
          label: (item) => `${item.dataset.label ?? ''}: ${axes.yPercent && item.parsed.y !== null ? `${(100 * item.parsed.y).toFixed(2)} %` : formatNumber(item.parsed.y)}`,
        },
      },
    },
  };
}

const formatX = (x: number | null): string => (x === null ? '' : Number.isInteger(x) ? String(x) : x.toFixed(2));

export function formatNumber(y: number | null | undefined): string {
  if (y === null || y === undefined || !Number.isFinite(y)) return '—';
  const a = Math.abs(y);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? y.toExponential(2) : y.toPrecision(4);
}

export function createChart(id: string, canvas: HTMLCanvasElement, options: ChartOptions<'line'>, datasets: LineDataset[]): Chart<'line', Pt[]> {
  const chart = new Chart<'line', Pt[]>(canvas, { type: 'line', data: { datasets }, options });
  registry.push({ id, chart });
  created++;
  return chart;
}

/**
 * Swaps a chart's datasets and options (a toggle, a theme change); data arrays are shared, not
 * copied. With `redraw` false the caller updates the chart later (a DrawQueue).
 */
export function restructure(chart: Chart<'line', Pt[]>, options: ChartOptions<'line'>, datasets: LineDataset[], redraw = true): void {
  chart.options = options;
  chart.data.datasets = datasets;
  if (redraw) chart.update('none');
}

export interface ChartSnapshot {
  id: string;
  visible: boolean;
  datasets: { label: string; role: Role | 'unknown'; points: number; drawn: number; color: string; hidden: boolean; ys?: number[] }[];
  /** The legend as drawn: entry texts, struck-through state and centres in page coordinates (to click). */
  legend: { text: string; hidden: boolean; x: number; y: number }[];
  /** The y axis' range as laid out (whether it fits the data). */
  yRange?: [number, number];
}

function legendOf(chart: Chart<'line', Pt[]>): ChartSnapshot['legend'] {
  const items = chart.legend?.legendItems ?? [];
  const boxes = (chart.legend as unknown as { legendHitBoxes?: { left: number; top: number; width: number; height: number }[] } | undefined)?.legendHitBoxes ?? [];
  const r = chart.canvas.getBoundingClientRect();
  return items.map((it, i) => {
    const b = boxes[i];
    return { text: it.text, hidden: it.hidden === true, x: b ? r.left + b.left + b.width / 2 : Number.NaN, y: b ? r.top + b.top + b.height / 2 : Number.NaN };
  });
}

/** What each chart holds: raw point counts (before decimation), colours, and with `withValues` the y values. */
export function snapshotCharts(withValues = false): ChartSnapshot[] {
  return registry.filter(({ chart }) => chart.canvas.isConnected).map(({ id, chart }) => ({
    id,
    visible: chart.canvas.offsetParent !== null,
    datasets: chart.data.datasets.map((ds) => ({
      label: ds.label ?? '',
      role: roles.get(ds) ?? 'unknown',
      points: (sources.get(ds) ?? ds.data).length,
      /** After LTTB decimation (equal to points when the plugin left the dataset alone). */
      drawn: ds.data.length,
      color: String(ds.borderColor ?? ''),
      hidden: ds.hidden === true,
      ...(withValues ? { ys: (sources.get(ds) ?? ds.data).map((p) => p.y) } : {}),
    })),
    legend: legendOf(chart),
    ...(chart.scales.y ? { yRange: [chart.scales.y.min, chart.scales.y.max] as [number, number] } : {}),
  }));
}

export function chartsCreated(): number { return created; }

/** Before a full re-init (a new 'init' message): free every chart. */
export function destroyCharts(): void {
  for (const { chart } of registry.splice(0)) chart.destroy();
}
