/** ELU's tensor form. */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from './types';
import { deterministic, eluDerivative } from './common';
import { definition } from '../../core/activations/elu';
import { implement } from './define';

export function elu(alpha: number): Activation {
  // tf.elu has α = 1 fixed; the general form is relu(x) + α·(exp(min(x,0)) − 1).
  const f = alpha === 1
    ? (x: tf.Tensor) => tf.elu(x)
    : (x: tf.Tensor) => tf.add(tf.relu(x), tf.mul(alpha, tf.sub(tf.exp(tf.minimum(x, 0)), 1)));
  return deterministic(f, (x) => eluDerivative(x, alpha, 1));
}

export const implementation = implement(definition, (spec) => elu(spec.alpha));
