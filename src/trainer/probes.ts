/**
 * Dead-unit probes on a fixed held-out batch, per hidden layer (see DESIGN: two definitions):
 *  - deadMean: |mean activation| < τ, activations measured in training mode (noise on), as the
 *    N-ReLU paper (arXiv 2511.07559) does — so noise counts as life;
 *  - deadGrad: max |f′(pre-activation)| < τ over the batch and spatial positions — the unit's
 *    incoming weights get no gradient from any sample.
 * Plus mean activation, per-unit fraction of positive pre-activations, and ‖∂loss/∂W‖₂.
 *
 * Cost: one forward pass over the batch. Its first GRAD_PROBE_SAMPLES samples run under the
 * gradient tape (their statistics and the gradient norms come from the same pass), the rest
 * without. Per unit only three vectors leave the device (Σ post, #(pre > 0), #(|f′(pre)| < τ)),
 * reduced over every axis but the last (a native kernel on wasm; tfjs's mean, max and compare
 * kernels over a CNN layer's [N·H·W, C] cost ~10× more), all in a single read at the end.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerProbe } from '../core/protocol';
import { deriveSeed } from '../core/random';
import type { ActivationContext } from './activations/types';
import type { LossFn } from './losses';
import type { Model } from './models';

/**
 * The gradient norm uses the first this-many probe samples (one training batch): its backward
 * pass costs about two forward passes over them, the dominant part of a probe otherwise.
 */
export const GRAD_PROBE_SAMPLES = 128;

/**
 * Per layer: [Σ post, #(pre > 0), #(|f′(pre)| < τ)] over every axis but the unit axis,
 * concatenated; adds each layer's row count (samples × positions) to `rows`. A unit is
 * gradient-dead when max |f′| < τ, i.e. when all its rows are below τ: a count is a Sum, which
 * is one pass on wasm where a Max over the leading axes transposes the tensor first. Counts are
 * exact in float32 up to 2^24 rows.
 */
function unitSums(model: Model, hidden: ReadonlyArray<{ pre: tf.Tensor; post: tf.Tensor }>, tau: number, rows: number[]): tf.Tensor1D {
  return tf.concat(model.hiddenLayers.flatMap((layer, i) => {
    const { pre, post } = hidden[i]!;
    rows[i] = (rows[i] ?? 0) + pre.size / layer.units;
    const leading = pre.shape.slice(0, -1).map((_, a) => a);
    return [
      tf.sum(post, leading),
      tf.sum(tf.step(pre, 0), leading),
      tf.sum(tf.step(tf.sub(tau, tf.abs(layer.activation.derivative(pre))), 0), leading),
    ];
  })) as tf.Tensor1D;
}

export async function probeLayers(model: Model, x: tf.Tensor, y: tf.Tensor, lossFn: LossFn, ctx: ActivationContext, tau: number): Promise<LayerProbe[]> {
  const layers = model.hiddenLayers;
  if (layers.length === 0) return [];
  const training = { ...ctx, training: true };
  const total = x.shape[0]!;
  const n = Math.min(GRAD_PROBE_SAMPLES, total);
  const rowsPerLayer: number[] = [];
  const all = tf.tidy(() => {
    const xs = n < total ? tf.slice(x, 0, n) : x;
    const ys = n < total ? tf.slice(y, 0, n) : y;
    let gradPart: tf.Tensor1D | undefined;
    const weights = layers.map((l) => l.weight);
    try {
      const { grads } = tf.variableGrads(() => {
        const { output, hidden } = model.forward(xs, training, true);
        // Kept past variableGrads' own tidy; the enclosing tidy does not track it, hence the finally.
        gradPart = tf.keep(unitSums(model, hidden, tau, rowsPerLayer));
        return lossFn(output, ys);
      }, weights);
      // sqrt(Σ g²): tf.norm squares with Pow, a scalar std::pow per element on wasm.
      const norms = tf.stack(weights.map((w) => tf.sqrt(tf.sum(tf.square(grads[w.name]!)))));
      let sums = gradPart!;
      if (n < total) {
        // A stream of its own, so the two parts' noise (N-ReLU in training mode) is independent.
        const rest = model.forward(tf.slice(x, n), { ...training, seed: deriveSeed(ctx.seed, 'probe rest') }, true);
        sums = tf.add(sums, unitSums(model, rest.hidden, tau, rowsPerLayer));
      }
      return tf.concat([norms, sums]);
    } finally {
      gradPart?.dispose();
    }
  });
  let values: Float32Array;
  try {
    values = (await all.data()) as Float32Array;
  } finally {
    all.dispose();
  }
  let at = layers.length;
  return layers.map((layer, i) => {
    const u = layer.units;
    const sumPost = values.subarray(at, at + u);
    const positive = values.subarray(at + u, at + 2 * u);
    const belowTau = values.subarray(at + 2 * u, at + 3 * u);
    at += 3 * u;
    const rows = rowsPerLayer[i]!;
    return {
      layer: layer.name, units: u,
      deadMean: count(sumPost, (s) => Math.abs(s / rows) < tau) / u,
      deadGrad: count(belowTau, (b) => b === rows) / u,
      meanActivation: sumPost.reduce((s, v) => s + v, 0) / (rows * u),
      fracPositive: Array.from(positive, (p) => p / rows),
      gradNorm: values[i]!,
    };
  });
}

function count(xs: Float32Array, pred: (v: number) => boolean): number {
  let c = 0;
  for (const v of xs) if (pred(v)) c++;
  return c;
}
