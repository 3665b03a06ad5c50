/** Plain-text formatting of numbers and the summary table for the terminal. */
import type { ArmSummary, Stat, Summary } from '../core/summary';
import { fitTable, type Column } from './table';
import { clean, truncate, wrap } from './terminal';
import { sharesStar, tieLines } from '../core/vsBest';

export const pct = (x: number, digits = 2): string => `${(x * 100).toFixed(digits)}%`;

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  if (m < 60) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** "97.12% ± 0.31" (std in percentage points), or '—' when absent. */
function pctStat(s: Stat | undefined): string {
  if (!s) return '—';
  return s.n > 1 ? `${pct(s.mean)} ± ${(s.std * 100).toFixed(2)}` : pct(s.mean);
}

function numStat(s: Stat | undefined, digits = 4): string {
  if (!s) return '—';
  return s.n > 1 ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}` : s.mean.toFixed(digits);
}

/** "ok" when every job completed; else counts by status ("1 completed, 1 not started"). */
function statusOf(statuses: Record<string, string>, notStarted: ReadonlySet<string>): string {
  const counts = new Map<string, number>();
  for (const [jobId, s] of Object.entries(statuses)) {
    const key = notStarted.has(jobId) ? 'not started' : s;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const total = Object.keys(statuses).length;
  if (counts.get('completed') === total) return 'ok';
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
}

/** The arm's label (the resolver already appends the swept values that tell arms apart). */
export function armName(a: { label: string }): string {
  return clean(a.label, 80);
}

/** Marks an arm whose numbers come from stopped jobs (ArmSummary.partial). */
export const PARTIAL_MARK = '†';

function epochsOf(a: ArmSummary): string {
  const d = a.epochsDone;
  if (!d) return '';
  return ` · ep ${d.min === d.max ? d.min : `${d.min}–${d.max}`}/${d.planned}`;
}

export interface TableOptions {
  /** Columns available (default 80). */
  width?: number;
  /** Jobs cancelled before they started: counted apart, and arms made only of them are
   * summarised in one line instead of rows of "—". */
  notStarted?: ReadonlySet<string>;
}

const isEmpty = (cells: string[]): boolean => cells.every((c) => c === '—');

/**
 * The summary table: arm, jobs, final/best test accuracy, test loss, dead units, time, backend,
 * fitted to the width (columns with nothing to show or least needed are left out and named in
 * a note; arm names wrap). Partial arms (stopped before any seed finished) are marked and
 * explained in a footnote.
 */
export function formatSummaryTable(summary: Summary, opts: TableOptions = {}): string {
  const width = opts.width ?? 80;
  const notStarted = opts.notStarted ?? new Set<string>();
  const unstarted = (a: ArmSummary): boolean => Object.keys(a.statuses).length > 0 && Object.keys(a.statuses).every((j) => notStarted.has(j));
  const arms = summary.arms.filter((a) => !unstarted(a));
  const skipped = summary.arms.filter(unstarted);
  const col = (header: string, cell: (a: ArmSummary) => string, extra: Partial<Column> = {}): Column => ({ header, cells: arms.map(cell), ...extra });
  const columns: Column[] = [
    col('arm', (a) => (summary.best?.armId === a.armId || sharesStar(a) ? '* ' : '  ') + armName(a) + (a.partial ? ` ${PARTIAL_MARK}` : ''), { wrap: true, indent: '    ', minWidth: 30 }),
    col('jobs', (a) => statusOf(a.statuses, notStarted) + (a.partial ? epochsOf(a) : ''), { wrap: true, minWidth: 24 }),
    col('final acc ± sd', (a) => pctStat(a.finalTestAccuracy), { dropOrder: 6 }),
    col('best acc', (a) => pctStat(a.bestTestAccuracy), { dropOrder: 4 }),
    col('test loss', (a) => numStat(a.finalTestLoss), { dropOrder: 5 }),
    // |mean| < τ, mean < τ (signed; "—" for runs recorded before it), gradient-dead.
    col('dead |mean|/mean/grad', (a) => (a.deadMean && a.deadGrad ? `${pct(a.deadMean.mean, 1)} / ${a.deadSigned ? pct(a.deadSigned.mean, 1) : '—'} / ${pct(a.deadGrad.mean, 1)}` : '—'), { dropOrder: 2 }),
    col('seconds', (a) => (a.seconds ? a.seconds.mean.toFixed(1) : '—'), { dropOrder: 3 }),
    col('backend', (a) => clean(a.backend ?? '—', 40), { dropOrder: 1 }),
  ].filter((c) => c.dropOrder === undefined || !isEmpty(c.cells));
  const out: string[] = [];
  const para = (text: string): void => { out.push(...wrap(text, width, '  ')); };
  if (arms.length) {
    const table = fitTable(columns, width);
    out.push(...table.lines);
    if (table.dropped.length) para(`(not shown at ${width} columns: ${table.dropped.join(', ')}; all in summary.json and report.html)`);
  }
  if (skipped.length) {
    const jobs = skipped.reduce((n, a) => n + Object.keys(a.statuses).length, 0);
    const names = truncate(skipped.map(armName).join(', '), 200);
    para(`${skipped.length} arm${skipped.length === 1 ? '' : 's'} not started (${jobs} job${jobs === 1 ? '' : 's'}): ${names}`);
  }
  if (summary.best) {
    const arm = summary.arms.find((a) => a.armId === summary.best?.armId);
    const v = summary.best.metric === 'testAccuracy' ? pct(summary.best.value) : summary.best.value.toFixed(4);
    out.push('');
    para(`* best: ${arm ? armName(arm) : clean(summary.best.armId)} (${summary.best.metric === 'testAccuracy' ? 'test accuracy' : 'test loss'} ${v})`);
    for (const line of tieLines(summary.arms, summary.best.armId, armName)) para(line);
  }
  if (arms.some((a) => a.partial)) {
    if (!summary.best) out.push('');
    para(`${PARTIAL_MARK} partial: stopped before any seed finished; values at the last finished epoch (ep done/planned), not ranked`);
  }
  return `${out.join('\n')}\n`;
}
