/** Leaky ReLU's tensor form (also abs's, α = −1). */
import * as tf from '@tensorflow/tfjs-core';
import { leakyRescale } from '../../core/formulas';
import type { Activation } from './types';
import { deterministic } from './common';
import { scaledLeaky, slopeDerivative } from './reluFamily';
import { definition } from '../../core/activations/leakyRelu';
import { implement } from './define';

/** leakyRelu_α, optionally times √(2/(1+α²)); α = −1 is |x|. */
export function leakyRelu(alpha: number, rescale: boolean): Activation {
  const s = rescale ? leakyRescale(alpha) : 1;
  return deterministic(
    (x) => scaledLeaky(x, alpha, s),
    (x) => {
      const d = slopeDerivative(x, alpha);
      return s === 1 ? d : tf.mul(s, d);
    },
  );
}

export const implementation = implement(definition, (spec) => leakyRelu(spec.alpha, spec.rescale));
