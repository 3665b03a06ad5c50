/** SELU's tensor form. */
import * as tf from '@tensorflow/tfjs-core';
import { SELU } from '../../core/papers';
import type { Activation } from './types';
import { deterministic, eluDerivative } from './common';
import { definition } from '../../core/activations/selu';
import { implement } from './define';

export function selu(): Activation {
  return deterministic(
    (x) => tf.mul(SELU.scale, tf.add(tf.relu(x), tf.mul(SELU.alpha, tf.sub(tf.exp(tf.minimum(x, 0)), 1)))),
    (x) => eluDerivative(x, SELU.alpha, SELU.scale),
  );
}

export const implementation = implement(definition, () => selu());
