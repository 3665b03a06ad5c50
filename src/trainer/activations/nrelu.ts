/**
 * N-ReLU's tensor form. Noise is drawn only in training (or in stochastic inference), seeded by
 * ctx.seed (see ./noise), so the same job draws the same numbers on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { definition } from '../../core/activations/nrelu';
import { NRELU_TRAIN, onActiveBackend } from '../kernels/gemm';
import { positiveMask } from './common';
import { implement } from './define';
import { normalNoise } from './noise';
import type { Activation, ActivationContext } from './types';

/**
 * N-ReLU (arXiv 2511.07559): x for x > 0, else ε ~ N(0, σ²). E[f(x)] = relu(x).
 * The gradient is dy·1[x > 0]: the noise carries none.
 */
export function nrelu(inference: 'deterministic' | 'stochastic'): Activation {
  // customGrad's forward runs in a tidy: what the gradient needs must go through save().
  const noisyForward = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, noise, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    // m·x + (1 − m)·noise with m = 1[x > 0]: ~3× faster on wasm than where(greater(x, 0), …),
    // whose comparison kernel is slow there.
    const m = positiveMask(x);
    save([m]);
    return {
      value: tf.add(tf.mul(m, x), tf.mul(tf.sub(1, m), noise)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, saved[0]!), tf.zerosLike(dy)],
    };
  });
  return {
    apply: (x: tf.Tensor, ctx: ActivationContext) =>
      tf.tidy(() => {
        const noisy = (ctx.training || inference === 'stochastic') && ctx.sigma > 0;
        if (!noisy) return tf.relu(x);
        // wasm: the noise drawn and mixed in by one kernel (native/noise.c), the same numbers;
        // its gradient is registered with it (kernels/gemm/index.ts).
        if (x.dtype === 'float32' && onActiveBackend(NRELU_TRAIN)) {
          return (tf.engine().runKernel(NRELU_TRAIN, { x }, { sigma: ctx.sigma, seed: ctx.seed }) as tf.Tensor[])[0]!;
        }
        return noisyForward(x, normalNoise(x.shape, ctx.sigma, ctx.seed));
      }),
    derivative: (x: tf.Tensor) => tf.tidy(() => positiveMask(x)),
    stepDerivative: true,
    variables: [],
  };
}

export const implementation = implement(definition, (spec) => nrelu(spec.inference));
