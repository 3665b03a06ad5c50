/** Sigmoid's tensor form. */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from './types';
import { deterministic } from './common';
import { definition } from '../../core/activations/sigmoid';
import { implement } from './define';

export function sigmoid(): Activation {
  return deterministic(
    (x) => tf.sigmoid(x),
    (x) => {
      const s = tf.sigmoid(x);
      return tf.mul(s, tf.sub(1, s));
    },
  );
}

export const implementation = implement(definition, () => sigmoid());
