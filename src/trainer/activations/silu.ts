/** SiLU's tensor form. */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from './types';
import { deterministic } from './common';
import { definition } from '../../core/activations/silu';
import { implement } from './define';

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

export const implementation = implement(definition, () => silu());
