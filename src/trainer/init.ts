/** Weight initialisers, seeded. The α-aware ones read the activation's negative slope. */
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationSpec, InitName } from '../core/config';
import { negativeSlope } from '../core/formulas';

/** Standard deviation of the normal initialisers (he, leakyHe, rescaled). */
export function initStd(init: 'he' | 'leakyHe' | 'rescaled', fanIn: number, activation: ActivationSpec): number {
  switch (init) {
    case 'he': return Math.sqrt(2 / fanIn);
    case 'leakyHe': {
      const a = negativeSlope(activation);
      return Math.sqrt(2 / (fanIn * (1 + a * a)));
    }
    // Pairs with the rescaled leaky activation, which carries the √(2/(1+α²)) itself.
    case 'rescaled': return Math.sqrt(1 / fanIn);
  }
}

/** Weight tensor for a dense [fanIn, fanOut] or conv [kh, kw, inC, outC] kernel. */
export function initWeights(
  shape: number[],
  fanIn: number,
  fanOut: number,
  init: InitName,
  activation: ActivationSpec,
  seed: number,
): tf.Tensor {
  if (init === 'glorot') {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return tf.randomUniform(shape, -limit, limit, 'float32', seed);
  }
  // Same seed → the same standard normal draws, scaled: inits differ only by a factor.
  return tf.randomNormal(shape, 0, initStd(init, fanIn, activation), 'float32', seed);
}
