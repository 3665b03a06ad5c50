/**
 * Charts waiting for their next Chart.js update, drawn a few per animation frame: at 200 arms
 * one update of a curve chart (200 datasets × 200 points) is a task of its own size, and four in
 * one frame made one long task. A view marks the charts it changed and drains the queue from its
 * `update`; while charts are left it returns true and the app calls it again next frame.
 */
import type { Chart } from 'chart.js';
import type { Pt } from '../state/aggregate';

/** Charts are updated in one frame until this many ms have passed (one at least). */
export const CHART_BUDGET_MS = 25;

export class DrawQueue {
  private readonly stale = new Set<Chart<'line', Pt[]>>();

  mark(chart: Chart<'line', Pt[]>): void { this.stale.add(chart); }

  /** Updates waiting charts in the order marked, at least one, until `budgetMs` passed; true while some are left. */
  drain(budgetMs = CHART_BUDGET_MS): boolean {
    const t0 = performance.now();
    for (const chart of this.stale) {
      this.stale.delete(chart);
      // A chart first shown (a tab's first visit) has a size Chart.js has not seen yet: its
      // resize observer would update it again, all of a tab's charts in one task (at 200 arms,
      // 250–370 ms). Resizing here updates it once, at its turn; the observer then finds
      // nothing to do.
      const { width, height } = chart;
      chart.resize();
      if (chart.width === width && chart.height === height) chart.update('none');
      if (performance.now() - t0 >= budgetMs) break;
    }
    return this.stale.size > 0;
  }

  get size(): number { return this.stale.size; }
}
