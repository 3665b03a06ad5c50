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
      const { y, batch } = batchNormStep(z, scale, offset);
      // The averages only follow the statistics: nothing here reaches the loss.
      tf.tidy(() => {
        const m = BATCH_NORM.momentum;
        const rows = z.size / units;
        const unbiased = rows > 1 ? tf.mul(batch.variance, rows / (rows - 1)) : batch.variance;
        mean.assign(tf.add(tf.mul(mean, 1 - m), tf.mul(batch.mean, m)));
        variance.assign(tf.add(tf.mul(variance, 1 - m), tf.mul(unbiased, m)));
      });
      tf.dispose([batch.mean, batch.variance]);
      return y;
    },
  };
}

/**
 * A training step's BatchNorm of z [..., units] by the batch's own statistics, with its gradient
 * in closed form (Ioffe & Szegedy, Sec. 3): dz = γ/(σR)·(R·dy − Σdy − x̂·Σ(dy·x̂)) over the R rows.
 * Composed from tfjs ops, the backward pass would take about three times as many passes over z
 * (each broadcast op and reduction differentiated on its own), which on wasm doubled a step.
 * Statistics are sums over the leading axes, one SIMD pass on wasm (kernels/gemm/reduce.ts).
 * Returns the output and the batch's mean and (biased) variance, which the caller disposes.
 */
export function batchNormStep(z: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor): { y: tf.Tensor; batch: { mean: tf.Tensor; variance: tf.Tensor } } {
  const units = z.shape[z.shape.length - 1]!;
  const rows = z.size / units;
  let batch: { mean: tf.Tensor; variance: tf.Tensor } | undefined;
  // customGrad's forward runs in a tidy: the gradient's inputs go through save(), the statistics through keep().
  const step = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const mu = tf.mul(tf.sum(x, 0), 1 / rows);
    const d = tf.sub(x, mu);
    const var_ = tf.mul(tf.sum(tf.square(d), 0), 1 / rows);
    const inv = tf.rsqrt(tf.add(var_, BATCH_NORM.epsilon));
    const xhat = tf.mul(d, inv);
    batch = { mean: tf.keep(mu), variance: tf.keep(var_) };
    save([xhat, tf.mul(gamma, inv)]);
    return {
      value: tf.add(tf.mul(xhat, gamma), beta),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, k] = saved as [tf.Tensor, tf.Tensor];
        const dBeta = tf.sum(dy, 0);
        const dGamma = tf.sum(tf.mul(dy, xh), 0);
        const dx = tf.mul(tf.sub(tf.mul(dy, rows), tf.add(tf.mul(xh, dGamma), dBeta)), tf.mul(k, 1 / rows));
        return [dx, dGamma, dBeta];
      },
    };
  });
  const y = tf.reshape(step(tf.reshape(z, [rows, units]), scale, offset), z.shape);
  return { y, batch: batch! };
}

/** z through the layer's norm, or z itself when it has none. */
export function applyNorm(norm: Norm | undefined, z: tf.Tensor, ctx: PassContext): tf.Tensor {
  return norm ? norm.apply(z, ctx) : z;
}

/** Every tensor a norm holds (its trained variables and its averages), for disposal. */
export function normTensors(norm: Norm | undefined): tf.Variable[] {
  return norm ? [...norm.variables, norm.moving.mean, norm.moving.variance] : [];
}
