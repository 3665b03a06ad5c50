/** RReLU's tensor form: uniform slopes drawn as ./noise draws. */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation, ActivationContext } from './types';
import { uniformNoise } from './noise';
import { scaledLeaky, slopeDerivative, withSlope } from './reluFamily';
import { definition } from '../../core/activations/rrelu';
import { implement } from './define';

/**
 * Randomized leaky ReLU: in training a fresh slope ~ U(l, u) per element (seeded by ctx.seed),
 * in inference the mean slope (l+u)/2.
 */
export function rrelu(lower: number, upper: number): Activation {
  const mid = (lower + upper) / 2;
  return {
    apply: (x: tf.Tensor, ctx: ActivationContext) =>
      tf.tidy(() => {
        if (!ctx.training || upper === lower) return scaledLeaky(x, mid, 1);
        return withSlope(x, uniformNoise(x.shape, lower, upper, ctx.seed));
      }),
    derivative: (x: tf.Tensor) => tf.tidy(() => slopeDerivative(x, mid)),
    variables: [],
  };
}

export const implementation = implement(definition, (spec) => rrelu(spec.lower, spec.upper));
