/** Smooth, deterministic activations with their textbook derivatives. */
import * as tf from '@tensorflow/tfjs-core';
import { SELU } from '../../core/papers';
import { GELU, GELU_GRAD } from '../kernels/gemm/unary';
import type { Activation } from './types';
import { deterministic, normalCdf, normalPdf, positiveMask } from './common';

const geluDerivative = (x: tf.Tensor): tf.Tensor => tf.add(normalCdf(x), tf.mul(x, normalPdf(x)));

/**
 * x·Φ(x) with its gradient, as the fused kernels of kernels/gemm (one pass each way) where they
 * are registered for the active backend (wasm); the same formula from tfjs ops elsewhere.
 */
const fusedGelu = tf.customGrad((x, save) => {
  (save as tf.GradSaveFunc)([x as tf.Tensor]);
  return {
    value: tf.engine().runKernel(GELU, { x: x as tf.Tensor }) as tf.Tensor,
    gradFunc: (dy, saved) => tf.engine().runKernel(GELU_GRAD, { x: saved[0]!, dy: dy as tf.Tensor }) as tf.Tensor,
  };
});

/** GELU, exact erf form x·Φ(x). */
export function gelu(): Activation {
  return deterministic(
    (x) => (tf.getKernel(GELU, tf.getBackend()) && x.dtype === 'float32' ? fusedGelu(x) : tf.mul(x, normalCdf(x))),
    geluDerivative,
  );
}

/** α(eˣ − 1) for x ≤ 0. */
function eluDerivative(x: tf.Tensor, alpha: number, scale: number): tf.Tensor {
  const m = positiveMask(x);
  // exp(min(x,0)) keeps the unused positive branch from overflowing.
  const neg = tf.mul(alpha, tf.exp(tf.minimum(x, 0)));
  return tf.mul(scale, tf.add(m, tf.mul(tf.sub(1, m), neg)));
}

export function elu(alpha: number): Activation {
  // tf.elu has α = 1 fixed; the general form is relu(x) + α·(exp(min(x,0)) − 1).
  const f = alpha === 1
    ? (x: tf.Tensor) => tf.elu(x)
    : (x: tf.Tensor) => tf.add(tf.relu(x), tf.mul(alpha, tf.sub(tf.exp(tf.minimum(x, 0)), 1)));
  return deterministic(f, (x) => eluDerivative(x, alpha, 1));
}

export function selu(): Activation {
  return deterministic(
    (x) => tf.mul(SELU.scale, tf.add(tf.relu(x), tf.mul(SELU.alpha, tf.sub(tf.exp(tf.minimum(x, 0)), 1)))),
    (x) => eluDerivative(x, SELU.alpha, SELU.scale),
  );
}

/** SiLU / swish: x·sigmoid(x). */
export function silu(): Activation {
  return deterministic(
    (x) => tf.mul(x, tf.sigmoid(x)),
    (x) => {
      const s = tf.sigmoid(x);
      return tf.mul(s, tf.add(1, tf.mul(x, tf.sub(1, s))));
    },
  );
}

export function tanh(): Activation {
  return deterministic((x) => tf.tanh(x), (x) => tf.sub(1, tf.square(tf.tanh(x))));
}

export function sigmoid(): Activation {
  return deterministic(
    (x) => tf.sigmoid(x),
    (x) => {
      const s = tf.sigmoid(x);
      return tf.mul(s, tf.sub(1, s));
    },
  );
}

export function softplus(): Activation {
  return deterministic((x) => tf.softplus(x), (x) => tf.sigmoid(x));
}

export function linear(): Activation {
  return deterministic((x) => tf.clone(x), (x) => tf.onesLike(x));
}
