/**
 * Monte-Carlo statistics of a noisy expression at points x, for plots (E[f] and bands) and for
 * tests against the tensor form. Seeded: the same seed gives the same curve.
 */
import { mulberry32 } from '../random';
import { hasNoise, type ExprNode } from './ast';
import { evaluate } from './evaluate';

export interface ExprStatsOptions {
  readonly params?: Readonly<Record<string, number>>;
  /** Draws per point (default 2,000). */
  readonly samples?: number;
  readonly seed?: number;
  /** Inference form: each noise call at its mean (default) or sampled. */
  readonly inference?: 'deterministic' | 'stochastic';
}

/** One point: the same fields as formulas' CurvePoint, plus the standard deviation. */
export interface ExprPoint {
  readonly x: number;
  /** Inference output (stochastic inference: E[f]). */
  readonly f: number;
  /** E[f(x)] under training noise. */
  readonly mean: number;
  readonly sd: number;
  /** 5 % and 95 % quantiles of the training output. */
  readonly lo: number;
  readonly hi: number;
  /** f′(x) with every noise call at its mean (what the gradient-dead probe reads). */
  readonly df: number;
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const i = Math.floor(pos);
  const j = Math.min(sorted.length - 1, i + 1);
  return sorted[i]! + (sorted[j]! - sorted[i]!) * (pos - i);
}

export function exprStats(tree: ExprNode, xs: readonly number[], options: ExprStatsOptions = {}): ExprPoint[] {
  const params = options.params ?? {};
  const noisy = hasNoise(tree);
  const n = noisy ? Math.max(2, Math.floor(options.samples ?? 2000)) : 1;
  const rng = mulberry32(options.seed ?? 1);
  return xs.map((x) => {
    const det = evaluate(tree, x, { params });
    if (!noisy) return { x, f: det.v, mean: det.v, sd: 0, lo: det.v, hi: det.v, df: det.d };
    const draws = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      draws[i] = evaluate(tree, x, { params, rng }).v;
      sum += draws[i]!;
    }
    const mean = sum / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (draws[i]! - mean) ** 2;
    draws.sort();
    const f = options.inference === 'stochastic' ? mean : det.v;
    return { x, f, mean, sd: Math.sqrt(ss / (n - 1)), lo: quantile(draws, 0.05), hi: quantile(draws, 0.95), df: det.d };
  });
}
