/** tanh's tensor form. */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from './types';
import { deterministic } from './common';
import { definition } from '../../core/activations/tanh';
import { implement } from './define';

export function tanh(): Activation {
  return deterministic((x) => tf.tanh(x), (x) => tf.sub(1, tf.square(tf.tanh(x))));
}

export const implementation = implement(definition, () => tanh());
