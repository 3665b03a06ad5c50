/**
 * Charts waiting for their next Chart.js update, drawn a few per animation frame: at 200 arms
 * one update of a curve chart (200 datasets × 200 points) is a task of its own size, and four in
 * one frame made one long task. A view marks the charts it changed and drains the queue from its
 * `update`; while charts are left it returns true and the app calls it again next frame.
 *
 * With `deferUnseen`, a chart outside the viewport (below the fold, or on a hidden tab) is not
 * updated at all: it waits until it scrolls into view (an IntersectionObserver), so a control
 * costs the charts a user sees, not all of them (at 200 arms two of the four curve charts are
 * below the fold, each ~100 ms of native line drawing).
 */
import type { Chart } from 'chart.js';
import type { Pt } from '../state/aggregate';

/** Charts are updated in one frame until this many ms have passed (one at least). */
export const CHART_BUDGET_MS = 25;

type LineChart = Chart<'line', Pt[]>;

export class DrawQueue {
  private readonly stale = new Set<LineChart>();
  /** Stale charts outside the viewport, updated when they come into view. */
  private readonly unseen = new Map<Element, LineChart>();
  private observer: IntersectionObserver | undefined;
  private frame = 0;

  /** Leave charts outside the viewport for when they come into view (set by the view per rebuild). */
  deferUnseen = false;

  mark(chart: LineChart): void {
    this.unseen.delete(chart.canvas);
    this.observer?.unobserve(chart.canvas);
    this.stale.add(chart);
  }

  /** Updates waiting charts in the order marked, at least one, until `budgetMs` passed; true while some are left. */
  drain(budgetMs = CHART_BUDGET_MS): boolean {
    const t0 = performance.now();
    for (const chart of this.stale) {
      this.stale.delete(chart);
      if (this.deferUnseen && !inViewport(chart.canvas)) { this.defer(chart); continue; }
      updateAtSize(chart);
      if (performance.now() - t0 >= budgetMs) break;
    }
    return this.stale.size > 0;
  }

  get size(): number { return this.stale.size; }

  private defer(chart: LineChart): void {
    this.unseen.set(chart.canvas, chart);
    this.observer ??= new IntersectionObserver((entries) => this.seen(entries), { rootMargin: '100px' });
    this.observer.observe(chart.canvas);
  }

  /** Charts scrolled (or a tab switched) into view: updated one per frame, each its own task. */
  private seen(entries: IntersectionObserverEntry[]): void {
    for (const e of entries) {
      const chart = e.isIntersecting ? this.unseen.get(e.target) : undefined;
      if (!chart) continue;
      this.unseen.delete(e.target);
      this.observer?.unobserve(e.target);
      this.stale.add(chart);
    }
    if (this.stale.size && !this.frame) this.next();
  }

  private next(): void {
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (this.drain()) this.next();
    });
  }
}

/** The canvas has a box that overlaps the viewport (or its 100 px margin). */
function inViewport(canvas: HTMLCanvasElement): boolean {
  const r = canvas.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && r.bottom > -100 && r.top < window.innerHeight + 100;
}

/**
 * A chart first shown (a tab's first visit) has a size Chart.js has not seen yet: its resize
 * observer would update it again, all of a tab's charts in one task (at 200 arms, 250–370 ms).
 * Resizing here updates it once, at its turn; the observer then finds nothing to do.
 */
function updateAtSize(chart: LineChart): void {
  const { width, height } = chart;
  chart.resize();
  if (chart.width === width && chart.height === height) chart.update('none');
}
