/**
 * Normalisation between a hidden layer's linear map (dense or conv) and its activation
 * (`model.norm`). "batch" is BatchNorm (Ioffe & Szegedy 2015, arXiv 1502.03167): per unit
 * (neuron or channel), z ↦ γ·(z − μ)/√(σ² + ε) + β, with μ, σ² the batch's statistics over every
 * axis but the last in a training step, and moving averages of them everywhere else (test
 * evaluation, probes), so inference does not depend on which samples share a batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NormName } from '../../core/config';
import type { PassContext } from './types';

/**
 * ε as in the paper's implementations; the averages move by `momentum` of the way to each
 * step's statistics (PyTorch's default 0.1: the paper averages over the whole training set
 * after training, which a per-epoch evaluation cannot wait for).
 */
export const BATCH_NORM = { epsilon: 1e-5, momentum: 0.1 } as const;

export interface Norm {
  /** Trained with the weights: γ (starts at 1) and β (starts at 0), one per unit. */
  readonly variables: tf.Variable[];
  /** Not trained: the moving mean and (unbiased) variance, starting at 0 and 1. */
  readonly moving: { mean: tf.Variable; variance: tf.Variable };
  /**
   * Normalises z [..., units]. With `ctx.batchStatistics` (a training step) by the batch's own
   * statistics, moving the averages toward them as a side effect; otherwise by the averages.
   */
  apply(z: tf.Tensor, ctx: PassContext): tf.Tensor;
}

const variable = (t: tf.Tensor, trainable: boolean): tf.Variable => {
  // Unnamed: tfjs names must be unique per process (see layers.ts).
  const v = tf.variable(t, trainable);
  t.dispose();
  return v;
};

/** The layer's norm for `kind`; undefined for "none" (the layer is exactly as without one). */
export function createNorm(kind: NormName | undefined, units: number): Norm | undefined {
  if (kind === undefined || kind === 'none') return undefined;
  const scale = variable(tf.ones([units]), true);
  const offset = variable(tf.zeros([units]), true);
  const mean = variable(tf.zeros([units]), false);
  const variance = variable(tf.ones([units]), false);
  const normalise = (z: tf.Tensor, mu: tf.Tensor, var_: tf.Tensor): tf.Tensor =>
    // γ/√(σ² + ε) first: one op on [units] instead of one over the whole activation.
    tf.add(tf.mul(tf.sub(z, mu), tf.mul(scale, tf.rsqrt(tf.add(var_, BATCH_NORM.epsilon)))), offset);
  return {
    variables: [scale, offset],
    moving: { mean, variance },
    apply(z, ctx) {
      if (!ctx.batchStatistics) return normalise(z, mean, variance);
      const axes = z.shape.slice(0, -1).map((_, i) => i);
      const batch = tf.moments(z, axes);
      const rows = z.size / units;
      // The gradient only follows the normalised output: these ops do not reach the loss.
      tf.tidy(() => {
        const m = BATCH_NORM.momentum;
        const unbiased = rows > 1 ? tf.mul(batch.variance, rows / (rows - 1)) : batch.variance;
        mean.assign(tf.add(tf.mul(mean, 1 - m), tf.mul(batch.mean, m)));
        variance.assign(tf.add(tf.mul(variance, 1 - m), tf.mul(unbiased, m)));
      });
      return normalise(z, batch.mean, batch.variance);
    },
  };
}

/** z through the layer's norm, or z itself when it has none. */
export function applyNorm(norm: Norm | undefined, z: tf.Tensor, ctx: PassContext): tf.Tensor {
  return norm ? norm.apply(z, ctx) : z;
}

/** Every tensor a norm holds (its trained variables and its averages), for disposal. */
export function normTensors(norm: Norm | undefined): tf.Variable[] {
  return norm ? [...norm.variables, norm.moving.mean, norm.moving.variance] : [];
}
