/**
 * Multiplicative Gaussian input masks (arXiv 2602.17423): x ⊙ c with c ~ N(1, κ² I), a fresh
 * mask every training step; inference and probes see the clean input.
 */
import * as tf from '@tensorflow/tfjs-core';

export function maskInputs(x: tf.Tensor, kappa: number, seed: number): tf.Tensor {
  if (kappa === 0) return x;
  if (!(kappa > 0)) throw new Error(`input-noise kappa must be ≥ 0 (got ${kappa})`);
  return tf.tidy(() => tf.mul(x, tf.randomNormal(x.shape, 1, kappa, 'float32', seed)));
}
