/** GELU's tensor form, fused on wasm. */
import * as tf from '@tensorflow/tfjs-core';
import { GELU, GELU_TRAIN, onActiveBackend } from '../kernels/gemm';
import type { Activation, ActivationContext } from './types';
import { normalCdf, normalPdf } from './common';
import { definition } from '../../core/activations/gelu';
import { implement } from './define';

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

export const implementation = implement(definition, () => gelu());
