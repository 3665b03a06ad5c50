/**
 * The run summary as a table, from src/core/summary.ts — the same function that writes
 * summary.json, so the numbers here are those numbers. Click a header to sort (descending,
 * ascending, back to config order); the best arm's cell in each metric column is marked.
 *
 * Layout: the @vscode-elements row and cell elements (their look, and the selectors tests use),
 * but laid out as one CSS table inside a horizontally scrolling box instead of <vscode-table>.
 * vscode-table sizes header and body as two fixed-layout tables with percentage columns, which
 * truncates numbers with ellipses in a narrow panel; one auto-layout table sizes every column to
 * its content, and the box scrolls with the arm column kept in view (media/panel.css).
 *
 * Partial arms (stopped before any seed finished, ArmSummary.partial) show their numbers in
 * italics with the epochs they reached, and are never marked best.
 */
import type { ArmSummary, Stat, Summary } from '../../src/core/summary';
import { sharesStar, vsBestText } from '../../src/core/vsBest';
import { el } from './dom';

interface Column {
  key: string;
  /** Short, so a narrow panel fits several columns; `tip` says it in full. */
  title: string;
  tip: string;
  /** Undefined: not a metric column (text only). */
  stat?: (a: ArmSummary) => Stat | undefined;
  better?: 'high' | 'low';
  format?: (s: Stat) => string;
  text?: (a: ArmSummary) => string;
}

// One seed has no spread to show: a "± 0.00" would claim a precision nobody measured.
const pct = (s: Stat): string => (s.n > 1 ? `${(100 * s.mean).toFixed(2)} ± ${(100 * s.std).toFixed(2)} %` : `${(100 * s.mean).toFixed(2)} %`);
const num = (s: Stat): string => (s.n > 1 ? `${s.mean.toPrecision(4)} ± ${s.std.toPrecision(2)}` : s.mean.toPrecision(4));
const secs = (s: Stat): string => `${s.mean.toFixed(1)} s`;
const seeds = 'mean ± sd over seeds';

export const COLUMNS: Column[] = [
  { key: 'arm', title: 'Arm', tip: 'Arm (activation and swept values)', text: (a) => a.label },
  { key: 'finalTestAccuracy', title: 'Final acc', tip: `Final test accuracy, ${seeds}`, stat: (a) => a.finalTestAccuracy, better: 'high', format: pct },
  { key: 'bestTestAccuracy', title: 'Best acc', tip: `Best test accuracy over epochs, ${seeds}`, stat: (a) => a.bestTestAccuracy, better: 'high', format: pct },
  { key: 'finalTestLoss', title: 'Final loss', tip: `Final test loss, ${seeds}`, stat: (a) => a.finalTestLoss, better: 'low', format: num },
  { key: 'bestTestLoss', title: 'Best loss', tip: `Lowest test loss over epochs, ${seeds}`, stat: (a) => a.bestTestLoss, better: 'low', format: num },
  { key: 'deadMean', title: 'Dead |mean|', tip: 'Dead units at the last probe: |mean activation| < τ (the N-ReLU paper’s definition)', stat: (a) => a.deadMean, format: pct },
  { key: 'deadSigned', title: 'Dead mean', tip: 'Dead units at the last probe: mean activation < τ, signed (a negative mean counts as dead)', stat: (a) => a.deadSigned, format: pct },
  { key: 'deadGrad', title: 'Dead grad', tip: 'Gradient-dead units at the last probe: max |f′(pre-activation)| < τ', stat: (a) => a.deadGrad, format: pct },
  { key: 'seconds', title: 'Time', tip: 'Training time per job, mean over seeds', stat: (a) => a.seconds, better: 'low', format: secs },
  { key: 'vsBest', title: 'Δ vs best [CI]', tip: 'Difference to the best arm on its metric, Welch 95 % CI over seeds; ★ on every arm whose CI contains 0 (tied with the best)', text: (a) => vsBestCell(a) },
  { key: 'backend', title: 'Backend', tip: 'tfjs backend · jobs completed / jobs', text: (a) => `${a.backend ?? '—'} · ${a.completed}/${a.jobs}` },
];

/**
 * The Δ-vs-best cell. The metric is the best arm's: accuracy whenever the compared arm has one
 * (summary.ts ranks by accuracy when any ranked arm has it, and compares only arms with it).
 */
export function vsBestCell(a: ArmSummary): string {
  const v = a.vsBest;
  if (!v) return '—';
  if (v.diff === 0 && v.ci95?.[0] === 0 && v.ci95[1] === 0) return 'best';
  return vsBestText(v, a.finalTestAccuracy ? 'testAccuracy' : 'testLoss', false);
}

/** Arms that share the star: the best arm (when the table marks it) and every arm tied with it. */
export function starredArms(summary: Summary, bestStarred: number): Set<number> {
  const out = new Set<number>();
  if (bestStarred < 0) return out;
  out.add(bestStarred);
  summary.arms.forEach((a, i) => { if (!a.partial && sharesStar(a)) out.add(i); });
  return out;
}

/** "partial · 2/4 epochs" (or "1–2/4" when the stopped seeds got to different epochs). */
export function partialNote(a: ArmSummary): string {
  const d = a.epochsDone;
  if (!d) return 'partial';
  return `partial · ${d.min === d.max ? d.min : `${d.min}–${d.max}`}/${d.planned} epochs`;
}

/**
 * Arm indices in display order. Partial arms sort after finished ones on metric columns: their
 * numbers stop early and do not rank against the others.
 */
export function sortArms(arms: readonly ArmSummary[], key: string, dir: 1 | -1): number[] {
  const idx = arms.map((_, i) => i);
  const col = COLUMNS.find((c) => c.key === key);
  if (!col) return idx;
  const val = (a: ArmSummary): number | string | undefined => (col.stat ? col.stat(a)?.mean : col.text?.(a));
  return idx.sort((i, j) => {
    const a = val(arms[i]!); const b = val(arms[j]!);
    if (a === undefined || b === undefined) return a === b ? i - j : a === undefined ? 1 : -1;
    if (col.stat && Boolean(arms[i]!.partial) !== Boolean(arms[j]!.partial)) return arms[i]!.partial ? 1 : -1;
    const c = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
    return c === 0 ? i - j : dir * c;
  });
}

/** Per metric column, the index of the one best arm; none on a tie or with fewer than two finished arms. */
export function bestCells(arms: readonly ArmSummary[]): Map<string, number> {
  const bestIdx = new Map<string, number>();
  for (const c of COLUMNS) {
    if (!c.stat || !c.better) continue;
    let best = -1; let bv = 0; let tie = false; let withValue = 0;
    arms.forEach((a, i) => {
      const v = c.stat!(a)?.mean;
      if (a.partial || v === undefined || !Number.isFinite(v)) return;
      withValue++;
      if (best >= 0 && v === bv) tie = true;
      else if (best < 0 || (c.better === 'high' ? v > bv : v < bv)) { best = i; bv = v; tie = false; }
    });
    if (best >= 0 && !tie && withValue > 1) bestIdx.set(c.key, best);
  }
  return bestIdx;
}

/** More arms than this: the table gets its filter box. */
const FILTER_ABOVE = 12;

export class SummaryTable {
  private readonly table: HTMLElement;
  private readonly body: HTMLElement;
  private readonly headers = new Map<string, HTMLElement>();
  private summary: Summary | undefined;
  private filter = '';
  private readonly filterBar: HTMLElement;
  private readonly shown: HTMLElement;

  constructor(parent: HTMLElement, private sortKey: string, private sortDir: 1 | -1, private readonly onSort: (key: string, dir: 1 | -1) => void) {
    // With many arms: a filter over the rows (label or id contains the text).
    const bar = parent.appendChild(el('div', 'table-filter'));
    bar.hidden = true;
    this.filterBar = bar;
    const input = bar.appendChild(el('input'));
    input.id = 'table-filter';
    input.type = 'search';
    input.placeholder = 'Filter arms…';
    input.setAttribute('aria-label', 'filter the summary table');
    this.shown = bar.appendChild(el('span'));
    input.addEventListener('input', () => { this.filter = input.value.trim().toLowerCase(); if (this.summary) this.render(this.summary); });
    const scroller = parent.appendChild(el('div', 'table-scroll'));
    // Keyboard users can scroll the box too.
    scroller.tabIndex = 0;
    scroller.setAttribute('aria-label', 'Run summary');
    this.table = scroller.appendChild(el('div', 'summary-table'));
    this.table.id = 'summary-table';
    this.table.setAttribute('role', 'table');
    const header = this.table.appendChild(document.createElement('vscode-table-header'));
    // Not a vscode-table-row: `#summary-table vscode-table-row` means the arms' rows only.
    const headRow = header.appendChild(el('div', 'head-row'));
    headRow.setAttribute('role', 'row');
    for (const c of COLUMNS) {
      const h = headRow.appendChild(document.createElement('vscode-table-header-cell'));
      h.dataset.key = c.key;
      h.className = 'sortable';
      h.setAttribute('role', 'columnheader');
      h.title = `${c.tip} · click to sort`;
      h.addEventListener('click', () => this.clickHeader(c.key));
      // Sorting by keyboard too: a Tab stop, Enter or Space as a click.
      h.tabIndex = 0;
      h.addEventListener('keydown', (ev) => {
        if (ev.key !== 'Enter' && ev.key !== ' ') return;
        ev.preventDefault();
        this.clickHeader(c.key);
      });
      this.headers.set(c.key, h);
    }
    this.body = this.table.appendChild(document.createElement('vscode-table-body'));
    this.renderHeaders();
  }

  private clickHeader(key: string): void {
    // desc → asc → config order: the last click gets the default back without a reload.
    if (this.sortKey !== key) { this.sortKey = key; this.sortDir = key === 'arm' ? 1 : -1; }
    else if (this.sortDir === (key === 'arm' ? 1 : -1)) this.sortDir = this.sortDir === 1 ? -1 : 1;
    else { this.sortKey = ''; this.sortDir = -1; }
    this.onSort(this.sortKey, this.sortDir);
    this.renderHeaders();
    if (this.summary) this.render(this.summary);
  }

  private renderHeaders(): void {
    for (const c of COLUMNS) {
      const h = this.headers.get(c.key)!;
      const arrow = this.sortKey === c.key ? (this.sortDir === 1 ? ' ▲' : ' ▼') : '';
      h.textContent = c.title + arrow;
      h.setAttribute('aria-sort', this.sortKey === c.key ? (this.sortDir === 1 ? 'ascending' : 'descending') : 'none');
    }
  }

  render(summary: Summary): void {
    this.summary = summary;
    const bestIdx = bestCells(summary.arms);
    // The star follows the run's best metric column, so it too needs two finished arms to compare.
    const bestMetric = summary.best?.metric === 'testLoss' ? 'finalTestLoss' : 'finalTestAccuracy';
    const starred = summary.best ? summary.arms.findIndex((a) => a.armId === summary.best?.armId) : -1;
    const star = starred >= 0 && bestIdx.get(bestMetric) === starred ? starred : -1;
    const stars = starredArms(summary, star);
    this.filterBar.hidden = summary.arms.length <= FILTER_ABOVE;
    const order = sortArms(summary.arms, this.sortKey, this.sortDir)
      .filter((i) => !this.filter || `${summary.arms[i]!.label} ${summary.arms[i]!.armId}`.toLowerCase().includes(this.filter));
    this.shown.textContent = this.filter ? `${order.length} of ${summary.arms.length} arms` : `${summary.arms.length} arms`;
    const rows = order.map((i) => {
      const a = summary.arms[i]!;
      const row = document.createElement('vscode-table-row');
      row.dataset.armId = a.armId;
      if (a.partial) row.classList.add('partial');
      for (const c of COLUMNS) {
        const cell = row.appendChild(document.createElement('vscode-table-cell'));
        cell.dataset.key = c.key;
        if (c.stat) {
          const s = c.stat(a);
          cell.textContent = s ? c.format!(s) : '—';
          if (s) { cell.dataset.mean = String(s.mean); cell.dataset.std = String(s.std); cell.title = `n = ${s.n}, min ${s.min.toPrecision(4)}, max ${s.max.toPrecision(4)}`; }
          if (s && a.partial) { cell.classList.add('partial'); cell.title = `${partialNote(a)} (stopped early) · ${cell.title}`; }
          if (bestIdx.get(c.key) === i) { cell.classList.add('best'); cell.title = `best · ${cell.title}`; }
        } else if (c.key === 'arm') {
          const label = cell.appendChild(el('span', 'arm-label', c.text!(a)));
          if (stars.has(i)) {
            cell.classList.add('best-arm');
            // A no-break space: the star never wraps onto a line of its own.
            label.appendChild(el('span', 'star', '\u00a0★')).title = i === star ? 'best arm' : 'tied with the best arm (95 % CI of the difference contains 0)';
          }
          if (a.partial) cell.appendChild(el('span', 'partial-note', partialNote(a))).title = 'stopped before any seed finished: values at its last finished epoch';
        } else {
          cell.textContent = c.text!(a);
        }
      }
      return row;
    });
    this.body.replaceChildren(...rows);
  }
}
