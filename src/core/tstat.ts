/**
 * Student's t distribution for any real df > 0 (pure): the CDF and its inverse, and Welch's
 * interval for a difference of two means. Welch's degrees of freedom are not whole numbers
 * (two arms of 3 seeds give anything between 2 and 4), so the df = 1..30 table in stats.ts is
 * not enough here.
 *
 * CDF: P(T ≤ t) = 1 − ½·I_x(ν/2, ½) for t ≥ 0, x = ν/(ν + t²), with the regularized incomplete
 * beta I_x(a, b) by its continued fraction (modified Lentz) — Press et al., Numerical Recipes,
 * 3rd ed., §6.4 (betacf) and §6.14.3 (Student's t); ln Γ by Lanczos (g = 7, n = 9; the
 * coefficients of Godfrey's table, as in Boost and SciPy). The inverse is bisection on the
 * monotone CDF to 1e-12, which needs no starting guess and cannot diverge.
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos approximation, relative error about 1e-15). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x); // reflection
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta (Numerical Recipes' betacf). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d; h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d; if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast for x < (a + 1)/(a + b + 2); use the symmetry above it.
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom (df > 0, not necessarily whole). */
export function tCdf(t: number, df: number): number {
  if (!(df > 0) || Number.isNaN(t)) return Number.NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t (0 < p < 1, df > 0): tInv(0.975, 2) = 4.3027. */
export function tInv(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return Number.NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -tInv(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (tCdf(hi, df) < p) { lo = hi; hi *= 2; if (hi > 1e300) return Infinity; }
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface Sample { mean: number; std: number; n: number }

export interface WelchInterval {
  /** a.mean − b.mean. */
  diff: number;
  /** The two-sided interval at `level` for the difference of the true means. */
  lo: number;
  hi: number;
  /** Welch–Satterthwaite degrees of freedom (Infinity when both samples have no spread). */
  df: number;
}

/**
 * Welch's t interval for mean(a) − mean(b), unequal variances (Welch 1947, "The generalization
 * of Student's problem when several different population variances are involved", Biometrika
 * 34; df by Satterthwaite 1946). Needs n ≥ 2 on both sides: undefined otherwise. Two samples
 * without spread give the point interval [diff, diff].
 */
export function welchInterval(a: Sample, b: Sample, level = 0.95): WelchInterval | undefined {
  if (a.n < 2 || b.n < 2) return undefined;
  const va = (a.std * a.std) / a.n;
  const vb = (b.std * b.std) / b.n;
  const diff = a.mean - b.mean;
  const se2 = va + vb;
  if (!(se2 > 0)) return { diff, lo: diff, hi: diff, df: Infinity };
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const h = tInv(1 - (1 - level) / 2, df) * Math.sqrt(se2);
  return { diff, lo: diff - h, hi: diff + h, df };
}

/** Half width of the `level` interval for one mean from its std and n (undefined for n < 2). */
export function meanHalfWidth(s: Sample, level = 0.95): number | undefined {
  if (s.n < 2) return undefined;
  return tInv(1 - (1 - level) / 2, s.n - 1) * (s.std / Math.sqrt(s.n));
}
