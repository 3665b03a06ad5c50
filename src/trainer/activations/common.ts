import * as tf from '@tensorflow/tfjs-core';
import type { Activation, ActivationContext } from './types';

/** A deterministic activation: the same function in training and inference. */
export function deterministic(
  f: (x: tf.Tensor) => tf.Tensor,
  df: (x: tf.Tensor) => tf.Tensor,
): Activation {
  return {
    apply: (x: tf.Tensor, _ctx: ActivationContext) => tf.tidy(() => f(x)),
    derivative: (x: tf.Tensor) => tf.tidy(() => df(x)),
    variables: [],
  };
}

/** 1[x > 0] as float32: a mask with no gradient path back to x (Step's gradient is zero). */
export function positiveMask(x: tf.Tensor): tf.Tensor {
  return tf.step(x, 0);
}

/** Φ(x) = ½(1 + erf(x/√2)), elementwise. */
export function normalCdf(x: tf.Tensor): tf.Tensor {
  return tf.mul(0.5, tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
}

/** φ(x) = exp(−x²/2)/√(2π), elementwise. */
export function normalPdf(x: tf.Tensor): tf.Tensor {
  return tf.mul(1 / Math.sqrt(2 * Math.PI), tf.exp(tf.mul(-0.5, tf.square(x))));
}

/** α(eˣ − 1) for x ≤ 0. */
export function eluDerivative(x: tf.Tensor, alpha: number, scale: number): tf.Tensor {
  const m = positiveMask(x);
  // exp(min(x,0)) keeps the unused positive branch from overflowing.
  const neg = tf.mul(alpha, tf.exp(tf.minimum(x, 0)));
  return tf.mul(scale, tf.add(m, tf.mul(tf.sub(1, m), neg)));
}
