/** PReLU's tensor form: a slope variable per unit. */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation, ActivationContext } from './types';
import { slopeDerivative, withSlope } from './reluFamily';
import { definition } from '../../core/activations/prelu';
import { implement } from './define';

let preluCount = 0;

/** Leaky ReLU with a learnable slope per unit (last axis), initialised to `init`. */
export function prelu(units: number, layerName: string, init: number): Activation {
  // tfjs variable names are global: a counter keeps two models in one process apart.
  // (tidy frees the initial value; variables survive it)
  const name = `${layerName}/prelu_alpha_${preluCount++}`;
  const alpha = tf.tidy(() => tf.variable(tf.fill([units], init), true, name));
  return {
    apply: (x: tf.Tensor, _ctx: ActivationContext) => tf.tidy(() => withSlope(x, alpha)),
    derivative: (x: tf.Tensor) => tf.tidy(() => slopeDerivative(x, alpha)),
    variables: [alpha],
  };
}

export const implementation = implement(definition, (spec, units, layerName) => prelu(units, layerName, spec.init));
