/** Plain-text formatting of numbers and the summary table for the terminal. */
import type { ArmSummary, Stat, Summary } from '../core/summary';
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

function statusOf(statuses: Record<string, string>): string {
  const counts = new Map<string, number>();
  for (const s of Object.values(statuses)) counts.set(s, (counts.get(s) ?? 0) + 1);
  const total = Object.keys(statuses).length;
  if (counts.get('completed') === total) return 'ok';
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
}

/** The arm's label (the resolver already appends the swept values that tell arms apart). */
export function armName(a: { label: string }): string {
  return a.label;
}

/** Marks an arm whose numbers come from stopped jobs (ArmSummary.partial). */
export const PARTIAL_MARK = '†';

function epochsOf(a: ArmSummary): string {
  const d = a.epochsDone;
  if (!d) return '';
  return ` · ep ${d.min === d.max ? d.min : `${d.min}–${d.max}`}/${d.planned}`;
}

/**
 * A fixed-width table: arm, jobs, final/best test accuracy, test loss, dead units, time, backend.
 * Partial arms (stopped before any seed finished) are marked and explained in a footnote.
 */
export function formatSummaryTable(summary: Summary): string {
  const header = ['arm', 'jobs', 'final acc (mean ± sd)', 'best acc', 'test loss', 'dead mean/grad', 'seconds', 'backend'];
  const rows = summary.arms.map((a) => [
    (summary.best?.armId === a.armId || sharesStar(a) ? '* ' : '  ') + armName(a) + (a.partial ? ` ${PARTIAL_MARK}` : ''),
    statusOf(a.statuses) + (a.partial ? epochsOf(a) : ''),
    pctStat(a.finalTestAccuracy),
    pctStat(a.bestTestAccuracy),
    numStat(a.finalTestLoss),
    a.deadMean && a.deadGrad ? `${pct(a.deadMean.mean, 1)} / ${pct(a.deadGrad.mean, 1)}` : '—',
    a.seconds ? a.seconds.mean.toFixed(1) : '—',
    a.backend ?? '—',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  if (summary.best) {
    const arm = summary.arms.find((a) => a.armId === summary.best?.armId);
    const v = summary.best.metric === 'testAccuracy' ? pct(summary.best.value) : summary.best.value.toFixed(4);
    out.push('', `* best: ${arm ? armName(arm) : summary.best.armId} (${summary.best.metric === 'testAccuracy' ? 'test accuracy' : 'test loss'} ${v})`);
    out.push(...tieLines(summary.arms, summary.best.armId));
  }
  if (summary.arms.some((a) => a.partial)) {
    if (!summary.best) out.push('');
    out.push(`${PARTIAL_MARK} partial: stopped before any seed finished; values at the last finished epoch (ep done/planned), not ranked`);
  }
  return `${out.join('\n')}\n`;
}
