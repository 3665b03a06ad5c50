/** Softplus's tensor form. */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from './types';
import { deterministic } from './common';
import { definition } from '../../core/activations/softplus';
import { implement } from './define';

export function softplus(): Activation {
  return deterministic((x) => tf.softplus(x), (x) => tf.sigmoid(x));
}

export const implementation = implement(definition, () => softplus());
