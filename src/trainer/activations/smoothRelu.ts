/**
 * Smoothed ReLU (arXiv 2602.17423): the expectation of max(0, z + σε), deterministic.
 * σ comes per call (ctx.sigma); σ = 0 is relu.
 */
import * as tf from '@tensorflow/tfjs-core';
import { definition } from '../../core/activations/smoothRelu';
import type { Activation, ActivationContext } from './types';
import { normalCdf, normalPdf, positiveMask } from './common';
import { implement } from './define';

/** z·Φ(z/σ) + σ·φ(z/σ); the gradient is set to the closed form dy·Φ(z/σ). */
function full(z: tf.Tensor, sigma: number): tf.Tensor {
  // customGrad's forward runs in a tidy: what the gradient needs must go through save().
  const forward = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const u = tf.div(x, sigma);
    const cdf = normalCdf(u);
    save([cdf]);
    return {
      value: tf.add(tf.mul(x, cdf), tf.mul(sigma, normalPdf(u))),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, saved[0]!)],
    };
  });
  return forward(z);
}

/** z·Φ(z/σ), differentiated as written: Φ(u) + u·φ(u). */
function proxy(z: tf.Tensor, sigma: number): tf.Tensor {
  return tf.mul(z, normalCdf(tf.div(z, sigma)));
}

/** initialSigma: what derivative() uses before the first forward pass (the schedule's start). */
export function smoothRelu(proxyForm: boolean, initialSigma: number): Activation {
  let lastSigma = initialSigma;
  return {
    apply: (x: tf.Tensor, ctx: ActivationContext) =>
      tf.tidy(() => {
        lastSigma = ctx.sigma;
        if (!(ctx.sigma > 0)) return tf.relu(x);
        return proxyForm ? proxy(x, ctx.sigma) : full(x, ctx.sigma);
      }),
    // The probe has no ctx: it reads f′ at the σ of the latest forward pass.
    derivative: (x: tf.Tensor) =>
      tf.tidy(() => {
        if (!(lastSigma > 0)) return positiveMask(x);
        const u = tf.div(x, lastSigma);
        return proxyForm ? tf.add(normalCdf(u), tf.mul(u, normalPdf(u))) : normalCdf(u);
      }),
    variables: [],
  };
}

export const implementation = implement(definition, (spec) => smoothRelu(spec.proxy, spec.sigma.start));
