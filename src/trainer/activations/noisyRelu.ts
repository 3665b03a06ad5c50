/** Noisy ReLU's tensor form: noise before the rectifier, drawn as for N-ReLU (./noise). */
import * as tf from '@tensorflow/tfjs-core';
import { definition } from '../../core/activations/noisyRelu';
import { positiveMask } from './common';
import { implement } from './define';
import { normalNoise } from './noise';
import type { Activation, ActivationContext } from './types';

/**
 * Noisy ReLU: max(0, x + ε), ε ~ N(0, σ²); its gradient 1[x + ε > 0] comes from relu's.
 * Its mean over ε is smoothRelu(x, σ).
 */
export function noisyRelu(inference: 'deterministic' | 'stochastic'): Activation {
  return {
    apply: (x: tf.Tensor, ctx: ActivationContext) =>
      tf.tidy(() => {
        const noisy = (ctx.training || inference === 'stochastic') && ctx.sigma > 0;
        if (!noisy) return tf.relu(x);
        return tf.relu(tf.add(x, normalNoise(x.shape, ctx.sigma, ctx.seed)));
      }),
    derivative: (x: tf.Tensor) => tf.tidy(() => positiveMask(x)),
    stepDerivative: true,
    variables: [],
  };
}

export const implementation = implement(definition, (spec) => noisyRelu(spec.inference));
