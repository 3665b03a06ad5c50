/** ReLU's tensor form. */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from './types';
import { deterministic, positiveMask } from './common';
import { definition } from '../../core/activations/relu';
import { implement } from './define';

export function relu(): Activation {
  return { ...deterministic((x) => tf.relu(x), (x) => positiveMask(x)), stepDerivative: true };
}

export const implementation = implement(definition, () => relu());
