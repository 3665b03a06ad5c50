/**
 * Activation functions as pure scalar math (no tfjs): the reference the tensor implementations
 * are tested against, and what the webview plots. One formula per activation; see
 * src/trainer/activations for the tensor forms.
 */
import type { ActivationSpec } from './config';
import { SELU } from './papers';

/** One point of an activation's curve. */
export interface CurvePoint {
  /** Inference-mode output (stochastic inference: its expectation). */
  f: number;
  /** E[f(x)] under the training randomness. */
  mean: number;
  /** 5 % and 95 % quantiles of the training output (= mean when deterministic). */
  lo: number;
  hi: number;
  /** f′(x) as backprop uses it (noise excluded). */
  df: number;
}

/** Φ⁻¹(0.95): the 5–95 % band of a normal is mean ± this many σ. */
const Z95 = 1.6448536269514722;
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

/** The negative-side slope a ReLU-family activation starts with (0 for the others). */
export function negativeSlope(spec: ActivationSpec): number {
  switch (spec.type) {
    case 'leakyRelu': return spec.alpha;
    case 'abs': return -1;
    case 'prelu': return spec.init;
    case 'rrelu': return (spec.lower + spec.upper) / 2;
    default: return 0;
  }
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

function point(f: number, df: number): CurvePoint {
  return { f, mean: f, lo: f, hi: f, df };
}

/** The σ a noise/smooth activation uses when none is given: its schedule's start. */
function sigmaOf(spec: ActivationSpec, sigma: number | undefined): number {
  if (sigma !== undefined) return sigma;
  return 'sigma' in spec ? spec.sigma.start : 0;
}

/**
 * One point of the activation's curve at x. sigma: the current σ of a noise/smooth
 * activation (default: the schedule's start).
 */
export function activationPoint(spec: ActivationSpec, x: number, sigma?: number): CurvePoint {
  switch (spec.type) {
    case 'relu': return point(Math.max(0, x), x > 0 ? 1 : 0);
    case 'leakyRelu':
    case 'abs':
    case 'prelu': {
      const a = negativeSlope(spec);
      const s = spec.type !== 'prelu' && spec.rescale ? leakyRescale(a) : 1;
      return point(s * (x > 0 ? x : a * x), s * (x > 0 ? 1 : a));
    }
    case 'rrelu': {
      const m = (spec.lower + spec.upper) / 2;
      if (x > 0) return point(x, 1);
      // slope ~ U(l, u): a·x is uniform between l·x and u·x
      const q05 = (spec.lower + 0.05 * (spec.upper - spec.lower)) * x;
      const q95 = (spec.lower + 0.95 * (spec.upper - spec.lower)) * x;
      return { f: m * x, mean: m * x, lo: Math.min(q05, q95), hi: Math.max(q05, q95), df: m };
    }
    case 'gelu': {
      const c = normalCdf(x);
      return point(x * c, c + x * normalPdf(x));
    }
    case 'elu':
      return point(x > 0 ? x : spec.alpha * Math.expm1(x), x > 0 ? 1 : spec.alpha * Math.exp(x));
    case 'selu':
      return point(
        SELU.scale * (x > 0 ? x : SELU.alpha * Math.expm1(x)),
        SELU.scale * (x > 0 ? 1 : SELU.alpha * Math.exp(x)),
      );
    case 'silu': {
      const s = sigmoid(x);
      return point(x * s, s * (1 + x * (1 - s)));
    }
    case 'tanh': {
      const t = Math.tanh(x);
      return point(t, 1 - t * t);
    }
    case 'sigmoid': {
      const s = sigmoid(x);
      return point(s, s * (1 - s));
    }
    case 'softplus': return point(softplus(x), sigmoid(x));
    case 'linear': return point(x, 1);
    case 'nrelu': {
      // x > 0: x; x ≤ 0: ε ~ N(0, σ²). E = relu(x) either way.
      const s = Math.max(0, sigmaOf(spec, sigma));
      const f = Math.max(0, x);
      const df = x > 0 ? 1 : 0;
      if (x > 0) return point(f, df);
      return { f, mean: 0, lo: -Z95 * s, hi: Z95 * s, df };
    }
    case 'noisyRelu': {
      // max(0, x + ε): monotone in ε, so its quantiles are relu of the normal's.
      const s = Math.max(0, sigmaOf(spec, sigma));
      const mean = smoothRelu(x, s);
      const f = spec.inference === 'stochastic' ? mean : Math.max(0, x);
      return {
        f, mean, lo: Math.max(0, x - Z95 * s), hi: Math.max(0, x + Z95 * s), df: x > 0 ? 1 : 0,
      };
    }
    case 'smoothRelu': {
      const s = Math.max(0, sigmaOf(spec, sigma));
      return spec.proxy
        ? point(smoothReluProxy(x, s), smoothReluProxyDerivative(x, s))
        : point(smoothRelu(x, s), smoothReluDerivative(x, s));
    }
  }
}
