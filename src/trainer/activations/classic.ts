/** Smooth, deterministic activations with their textbook derivatives. */
import * as tf from '@tensorflow/tfjs-core';
import { SELU } from '../../core/papers';
import { GELU, GELU_TRAIN, onActiveBackend } from '../kernels/gemm';
import type { Activation, ActivationContext } from './types';
import { deterministic, normalCdf, normalPdf, positiveMask } from './common';

/** Φ(x) + x·φ(x) from tfjs ops (backends without the fused kernels). */
const geluDerivative = (x: tf.Tensor): tf.Tensor => tf.add(normalCdf(x), tf.mul(x, normalPdf(x)));

const fused = (x: tf.Tensor): boolean => x.dtype === 'float32' && onActiveBackend(GELU);

/** x·Φ(x) and its derivative in one fused pass (wasm); the backward pass is then dy times it. */
const fusedTrainingGelu = tf.customGrad((x, save) => {
  const [y, d] = tf.engine().runKernel(GELU_TRAIN, { x: x as tf.Tensor }) as tf.Tensor[];
  (save as tf.GradSaveFunc)([d!]);
  return { value: y!, gradFunc: (dy, saved) => tf.mul(dy as tf.Tensor, saved[0]!) };
});

/**
 * GELU, exact erf form x·Φ(x). Where the fused kernels of kernels/gemm are registered for the
 * active backend (wasm) the forward pass also yields the derivative the backward pass needs;
 * elsewhere the same formulas run as tfjs ops and autodiff.
 */
export function gelu(): Activation {
  return {
    apply: (x: tf.Tensor, ctx: ActivationContext) => tf.tidy(() => {
      if (!fused(x)) return tf.mul(x, normalCdf(x));
      return ctx.training ? fusedTrainingGelu(x) : tf.engine().runKernel(GELU, { x }) as tf.Tensor;
    }),
    derivative: (x: tf.Tensor) => tf.tidy(() => (fused(x) ? (tf.engine().runKernel(GELU_TRAIN, { x }) as tf.Tensor[])[1]! : geluDerivative(x))),
    variables: [],
  };
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
