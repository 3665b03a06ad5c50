/**
 * "Is the best arm actually better?" (pure). Each ranked arm's difference to the best arm on
 * the metric the best arm was chosen by, with Welch's 95 % interval over seeds. An arm whose
 * interval contains 0 cannot be told apart from the best with these seeds: it is *tied* with
 * the best and shares the star (panel and CLI).
 *
 * `diff` is arm − best in the metric's own units (a fraction for accuracy, so −0.001 is
 * −0.1 percentage points); negative is worse for accuracy, positive is worse for loss.
 * One seed on either side gives no interval: `tied` stays undefined and `reason` says why.
 */
import { welchInterval, type Sample } from './tstat';

export interface VsBest {
  diff: number;
  /** Welch 95 % interval of the difference; absent when either side has fewer than 2 seeds. */
  ci95?: [number, number];
  /** The interval contains 0 (the best arm itself: true); undefined when there is no interval. */
  tied?: boolean;
  /** Why there is no interval. */
  reason?: string;
}

export const NEEDS_SEEDS = 'needs ≥ 2 seeds';

/** The comparison of `arm` with `best` (both the best arm's metric's Stat). */
export function compareToBest(arm: Sample, best: Sample, isBest: boolean): VsBest {
  if (isBest) return { diff: 0, ci95: [0, 0], tied: true };
  const diff = arm.mean - best.mean;
  const w = welchInterval(arm, best);
  if (!w) return { diff, reason: NEEDS_SEEDS };
  return { diff, ci95: [w.lo, w.hi], tied: w.lo <= 0 && 0 <= w.hi };
}

/** Whether an arm shares the best arm's star: the best itself, or tied with it. */
export function sharesStar(a: { vsBest?: VsBest }): boolean {
  return a.vsBest?.tied === true;
}

/** "tied with best", "−0.42 pp [−0.80, −0.04]", or the reason; '' for the best arm itself. */
export function vsBestText(v: VsBest | undefined, metric: 'testAccuracy' | 'testLoss', isBest: boolean): string {
  if (!v || isBest) return '';
  const f = (x: number): string => (metric === 'testAccuracy' ? `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(2)}` : `${x >= 0 ? '+' : '−'}${Math.abs(x).toPrecision(3)}`);
  const unit = metric === 'testAccuracy' ? ' pp' : '';
  if (!v.ci95) return `${f(v.diff)}${unit} (${v.reason ?? NEEDS_SEEDS})`;
  const ci = `[${f(v.ci95[0])}, ${f(v.ci95[1])}]`;
  return v.tied ? `tied with best (${f(v.diff)}${unit} ${ci})` : `${f(v.diff)}${unit} ${ci}`;
}

/** The CLI's footer lines: which arms are tied with the best, and which could not be compared. */
export function tieLines(arms: readonly { label: string; armId: string; vsBest?: VsBest }[], bestArmId: string,
  name: (a: { label: string }) => string = (a) => a.label): string[] {
  const others = arms.filter((a) => a.armId !== bestArmId && a.vsBest);
  const tied = others.filter(sharesStar).map(name);
  const unknown = others.filter((a) => a.vsBest?.tied === undefined).map(name);
  const out: string[] = [];
  if (tied.length) out.push(`* tied with best (Welch 95 % CI of the difference contains 0): ${tied.join(', ')}`);
  if (unknown.length) out.push(`  not compared (${NEEDS_SEEDS}): ${unknown.join(', ')}`);
  return out;
}
