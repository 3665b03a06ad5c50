/**
 * Scalar math the activation formulas share (no tfjs, no dependencies: it runs in the webview
 * too). src/core/formulas.ts re-exports it for the charts and scripts.
 */

/** Φ⁻¹(0.95): the 5–95 % band of a normal is mean ± this many σ. */
export const Z95 = 1.6448536269514722;
const SQRT2 = Math.SQRT2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * erf to ~1e-15. Hand-rolled because JavaScript's Math has no erf and this module must stay
 * dependency-free (it runs in the webview too): Maclaurin series near 0, continued fraction
 * for erfc in the tails (where the series would cancel).
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 2.5) {
    // erf(x) = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1))
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  const r = 1 - erfcTail(a);
  return x < 0 ? -r : r;
}

/** erfc(x) = 1 − erf(x), accurate in relative terms in both tails. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 2.5) return erfcTail(x);
  if (x <= -2.5) return 2 - erfcTail(-x);
  return 1 - erf(x);
}

/** erfc(x) for x ≥ 2.5 by the Laplace continued fraction (modified Lentz). */
function erfcTail(x: number): number {
  if (x === Infinity) return 0;
  // erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    d = x + an * d;
    d = d === 0 ? tiny : d;
    c = x + an / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Standard normal distribution function Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / SQRT2);
}

/** E[max(0, z + σε)], ε ~ N(0, 1): z·Φ(z/σ) + σ·φ(z/σ); σ → 0 gives relu(z). */
export function smoothRelu(z: number, sigma: number): number {
  if (!(sigma > 0)) return Math.max(0, z);
  const u = z / sigma;
  return z * normalCdf(u) + sigma * normalPdf(u);
}

/** Its derivative Φ(z/σ) (σ → 0: the step 1[z > 0]). */
export function smoothReluDerivative(z: number, sigma: number): number {
  if (!(sigma > 0)) return z > 0 ? 1 : 0;
  return normalCdf(z / sigma);
}

/** The proxy form z·Φ(z/σ). */
export function smoothReluProxy(z: number, sigma: number): number {
  if (!(sigma > 0)) return Math.max(0, z);
  return z * normalCdf(z / sigma);
}

/** d/dz z·Φ(z/σ) = Φ(z/σ) + (z/σ)·φ(z/σ). */
export function smoothReluProxyDerivative(z: number, sigma: number): number {
  if (!(sigma > 0)) return z > 0 ? 1 : 0;
  const u = z / sigma;
  return normalCdf(u) + u * normalPdf(u);
}

/** √(2/(1+α²)): the factor that gives leakyRelu_α the second moment of relu under He init. */
export function leakyRescale(alpha: number): number {
  return Math.sqrt(2 / (1 + alpha * alpha));
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

