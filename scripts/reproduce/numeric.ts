/**
 * The in-process numerical checks (no training): the leaky-ReLU gradient statistics and the
 * depth-wise activation variance at initialisation (study 2, on the real tfjs activations and
 * initialisers, cpu backend), and the smoothed-ReLU closed form against Monte Carlo (study 4).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { ActivationSpec, InitName } from '../../src/core/config';
import { normalCdf, normalPdf, smoothRelu, smoothReluProxy } from '../../src/core/formulas';
import { deriveSeed, gaussian, mulberry32 } from '../../src/core/random';
import { createActivationFactory } from '../../src/trainer/activations/index';
import { makeTeacherDataset, type TeacherSpec } from '../../src/trainer/data/teacher';
import { initWeights } from '../../src/trainer/init';

export async function useCpuBackend(): Promise<void> {
  tf.env().set('PROD', true);
  if (!(await tf.setBackend('cpu'))) throw new Error('the tfjs cpu backend did not start');
}

const leaky = (alpha: number): ActivationSpec => ({ type: 'leakyRelu', alpha, rescale: false });

export interface GradStat {
  alpha: number;
  samples: number;
  mean: number;
  variance: number;
  /** Standard error of the sample mean. */
  seMean: number;
  /** Standard error of the sample variance, √((m₄ − s⁴)/N). */
  seVar: number;
  theoryMean: number;
  theoryVar: number;
}

/** Monte Carlo of G = f′(X), X ~ N(0, 1), with f′ taken by tf.grad through the real activation. */
export function leakyGradStats(alpha: number, samples: number, seed: number): GradStat {
  const act = createActivationFactory(leaky(alpha))(samples, 'mc');
  const g = tf.tidy(() => {
    const x = tf.randomNormal([samples], 0, 1, 'float32', seed);
    const ctx = { training: true, sigma: 0, seed };
    return tf.grad((v: tf.Tensor) => tf.sum(act.apply(v, ctx)))(x);
  });
  const v = g.dataSync();
  g.dispose();
  let s = 0;
  for (const x of v) s += x;
  const mean = s / v.length;
  let m2 = 0;
  let m4 = 0;
  for (const x of v) {
    const d = (x - mean) ** 2;
    m2 += d;
    m4 += d * d;
  }
  const variance = m2 / (v.length - 1);
  m4 /= v.length;
  return {
    alpha, samples, mean, variance,
    seMean: Math.sqrt(variance / v.length),
    seVar: Math.sqrt(Math.max(m4 - variance * variance, 0) / v.length),
    theoryMean: (1 + alpha) / 2,
    theoryVar: (1 - alpha) ** 2 / 4,
  };
}

export interface DepthTrace {
  alpha: number;
  init: InitName;
  seed: number;
  /** Variance of the activations f(z_l) over batch and units, l = 1..depth. */
  variance: number[];
  /** variance[last] / variance[first]. */
  ratio: number;
}

/**
 * Forward random inputs x ~ N(0, I) through `depth` dense layers (width × width, no bias, the
 * project's initWeights) with the real activation, recording the activation variance per layer.
 */
export function depthVariance(alpha: number, init: InitName, depth: number, width: number, batch: number, seed: number): DepthTrace {
  const spec = leaky(alpha);
  const act = createActivationFactory(spec)(width, 'depth');
  const variance: number[] = [];
  let h = tf.randomNormal([batch, width], 0, 1, 'float32', deriveSeed(seed, 'input'));
  for (let l = 0; l < depth; l++) {
    const next = tf.tidy(() => {
      const w = initWeights([width, width], width, width, init, spec, deriveSeed(seed, `layer${l}`));
      return act.apply(tf.matMul(h, w), { training: false, sigma: 0, seed });
    });
    h.dispose();
    h = next;
    const { variance: v } = tf.tidy(() => tf.moments(h));
    variance.push(v.dataSync()[0]!);
    v.dispose();
  }
  h.dispose();
  return { alpha, init, seed, variance, ratio: variance[variance.length - 1]! / variance[0]! };
}

export interface SmoothPoint {
  z: number;
  closed: number;
  proxy: number;
  mc: number;
  /** Standard error of the Monte Carlo mean, from the sample. */
  se: number;
  /**
   * The same from the exact variance of max(0, z + σε): E[Y²] = (z² + σ²)Φ(z/σ) + zσφ(z/σ).
   * Needed where no draw is positive (sample SE 0) or only a few are (sample SE unreliable).
   */
  seExact: number;
}

/** E[max(0, z + σε)] by Monte Carlo on a grid of z, beside the closed form (pure JS, seeded). */
export function smoothReluMonteCarlo(sigma: number, zs: readonly number[], samples: number, seed: number): SmoothPoint[] {
  return zs.map((z, i) => {
    const rng = mulberry32(deriveSeed(seed, `z${i}`));
    let s = 0;
    let s2 = 0;
    for (let k = 0; k < samples; k++) {
      const y = Math.max(0, z + sigma * gaussian(rng));
      s += y;
      s2 += y * y;
    }
    const mc = s / samples;
    const variance = Math.max(s2 / samples - mc * mc, 0) * samples / (samples - 1);
    const closed = smoothRelu(z, sigma);
    const u = z / sigma;
    const second = (z * z + sigma * sigma) * normalCdf(u) + z * sigma * normalPdf(u);
    const seExact = Math.sqrt(Math.max(second - closed * closed, 0) / samples);
    return { z, closed, proxy: smoothReluProxy(z, sigma), mc, se: Math.sqrt(variance / samples), seExact };
  });
}

/** z from lo to hi in `n` equal steps (inclusive). */
export function grid(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Number((lo + ((hi - lo) * i) / (n - 1)).toFixed(10)));
}

/**
 * Share of the teacher's target variance carried by its odd part. The odd part of
 * a·relu(Wx) is exactly linear (relu(u) − relu(−u) = u) and, for symmetric x, orthogonal to
 * every even function, so it is the R² of a least-squares linear fit (with intercept), measured
 * here on the training samples (the ones whose loss is plotted). A bias-free network of |·| units is even in x, so its MSE cannot go
 * below this share × Var(y).
 */
export function teacherOddShare(spec: TeacherSpec, splitSeed: number): { share: number; variance: number } {
  const ds = makeTeacherDataset(spec, splitSeed);
  const n = ds.trainSize;
  const d = spec.d;
  const p = d + 1;
  // Normal equations (XᵀX) β = Xᵀy with a leading column of ones; p = d + 1 is small.
  const A = Array.from({ length: p }, () => new Float64Array(p + 1));
  const row = new Float64Array(p);
  for (let s = 0; s < n; s++) {
    row[0] = 1;
    for (let k = 0; k < d; k++) row[k + 1] = ds.xTrain[s * d + k]!;
    const y = ds.yTrain[s]!;
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) A[i]![j]! += row[i]! * row[j]!;
      A[i]![p]! += row[i]! * y;
    }
  }
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[piv]![c]!)) piv = r;
    [A[c], A[piv]] = [A[piv]!, A[c]!];
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k <= p; k++) A[r]![k]! -= f * A[c]![k]!;
    }
  }
  const beta = A.map((r, i) => r[p]! / r[i]!);
  let mean = 0;
  for (let s = 0; s < n; s++) mean += ds.yTrain[s]!;
  mean /= n;
  let ssTot = 0;
  let ssRes = 0;
  for (let s = 0; s < n; s++) {
    let fit = beta[0]!;
    for (let k = 0; k < d; k++) fit += beta[k + 1]! * ds.xTrain[s * d + k]!;
    const y = ds.yTrain[s]!;
    ssTot += (y - mean) ** 2;
    ssRes += (y - fit) ** 2;
  }
  return { share: 1 - ssRes / ssTot, variance: ssTot / n };
}
