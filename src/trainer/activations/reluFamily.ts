/**
 * ReLU and its piecewise-linear relatives: x for x > 0, slope·x otherwise, on tfjs's own
 * LeakyRelu/Prelu kernels (one kernel each way; their gradients are registered).
 */
import * as tf from '@tensorflow/tfjs-core';
import { leakyRescale } from '../../core/formulas';
import type { Activation, ActivationContext } from './types';
import { deterministic, positiveMask } from './common';
import { uniformNoise } from './noise';

/** f′ of a piecewise-linear unit: 1 for x > 0, `slope` otherwise (slope broadcasts). */
function slopeDerivative(x: tf.Tensor, slope: number | tf.Tensor): tf.Tensor {
  const m = positiveMask(x);
  return tf.add(m, tf.mul(tf.sub(1, m), slope));
}

export function relu(): Activation {
  return deterministic((x) => tf.relu(x), (x) => positiveMask(x));
}

/** leakyRelu_α, optionally times √(2/(1+α²)); α = −1 is |x|. */
export function leakyRelu(alpha: number, rescale: boolean): Activation {
  const s = rescale ? leakyRescale(alpha) : 1;
  const f = (x: tf.Tensor): tf.Tensor => {
    const y = tf.leakyRelu(x, alpha);
    return s === 1 ? y : tf.mul(s, y);
  };
  const df = (x: tf.Tensor): tf.Tensor => {
    const d = slopeDerivative(x, alpha);
    return s === 1 ? d : tf.mul(s, d);
  };
  return deterministic(f, df);
}

let preluCount = 0;

/** Leaky ReLU with a learnable slope per unit (last axis), initialised to `init`. */
export function prelu(units: number, layerName: string, init: number): Activation {
  // tfjs variable names are global: a counter keeps two models in one process apart.
  // (tidy frees the initial value; variables survive it)
  const name = `${layerName}/prelu_alpha_${preluCount++}`;
  const alpha = tf.tidy(() => tf.variable(tf.fill([units], init), true, name));
  return {
    apply: (x: tf.Tensor, _ctx: ActivationContext) => tf.tidy(() => tf.prelu(x, alpha)),
    derivative: (x: tf.Tensor) => tf.tidy(() => slopeDerivative(x, alpha)),
    variables: [alpha],
  };
}

/**
 * Randomized leaky ReLU: in training a fresh slope ~ U(l, u) per element (seeded by ctx.seed),
 * in inference the mean slope (l+u)/2.
 */
export function rrelu(lower: number, upper: number): Activation {
  const mid = (lower + upper) / 2;
  return {
    apply: (x: tf.Tensor, ctx: ActivationContext) =>
      tf.tidy(() => {
        if (!ctx.training || upper === lower) return tf.leakyRelu(x, mid);
        return tf.prelu(x, uniformNoise(x.shape, lower, upper, ctx.seed));
      }),
    derivative: (x: tf.Tensor) => tf.tidy(() => slopeDerivative(x, mid)),
    variables: [],
  };
}
