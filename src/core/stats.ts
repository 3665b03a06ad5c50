/**
 * Descriptive statistics over seeds (pure). Empty input gives NaN rather than throwing, so a
 * caller summarising a half-finished run never has to guard every call.
 */

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (n − 1 in the denominator); 0 for a single value. */
export function std(xs: readonly number[]): number {
  const n = xs.length;
  if (n === 0) return Number.NaN;
  if (n === 1) return 0;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.sqrt(s / (n - 1));
}

/** Standard error of the mean. */
export function sem(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : std(xs) / Math.sqrt(xs.length);
}

export function min(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : Math.min(...xs);
}

export function max(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : Math.max(...xs);
}

export function median(xs: readonly number[]): number {
  const n = xs.length;
  if (n === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/**
 * Two-sided 97.5 % quantiles of Student's t for df = 1..30 (standard table values). Seeds are
 * few, so the exact small-df values matter; beyond 30 a series expansion is accurate to 1e-3.
 */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
  2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(df: number): number {
  if (!(df >= 1)) return Number.NaN;
  const d = Math.floor(df);
  if (d <= T975.length) return T975[d - 1];
  // Cornish–Fisher expansion of t around the normal quantile z = 1.959964.
  const z = 1.959964;
  const z3 = z ** 3, z5 = z ** 5, z7 = z ** 7;
  return z + (z3 + z) / (4 * d) + (5 * z5 + 16 * z3 + 3 * z) / (96 * d * d)
    + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * d * d * d);
}

/** 95 % confidence interval for the mean (Student t); [mean, mean] for a single value is not
 * meaningful, so n < 2 gives NaN bounds. */
export function ci95(xs: readonly number[]): { low: number; high: number; halfWidth: number } {
  const n = xs.length;
  const m = mean(xs);
  if (n < 2) return { low: Number.NaN, high: Number.NaN, halfWidth: Number.NaN };
  const h = tQuantile975(n - 1) * sem(xs);
  return { low: m - h, high: m + h, halfWidth: h };
}
