/**
 * Dead-unit probes on a fixed held-out batch, per hidden layer (DESIGN's two definitions, and
 * the signed reading of the first):
 *  - deadMean: |mean activation| < τ, activations measured in training mode (noise on), as the
 *    N-ReLU paper (arXiv 2511.07559) does — so noise counts as life;
 *  - deadSigned: mean activation < τ, signed — the rule as the N-ReLU notes word it; a unit
 *    whose mean is negative (all-negative N-ReLU noise averages about 0, either sign) is dead;
 *  - deadGrad: max |f′(pre-activation)| < τ over the batch and spatial positions — the unit's
 *    incoming weights get no gradient from any sample.
 * Plus mean activation, per-unit fraction of positive pre-activations, and ‖∂loss/∂W‖₂.
 *
 * Cost. The statistics need the hidden layers of a training-mode forward pass over the probe
 * batch. For a deterministic activation that is the test evaluation's own pass over the same
 * samples (the loop has evaluate() record them), so a probe adds only the reductions below;
 * a stochastic one (N-ReLU, RReLU, ...) gets a forward pass of its own. The gradient norms come
 * from the gradient the training step computes anyway (see gradientNorms), never from an extra
 * backward pass. Per unit only three vectors leave the device (Σ post, #(pre > 0),
 * #(|f′(pre)| < τ)), reduced over every axis but the last (on wasm one native pass for all three,
 * gemm.c's unit_sums_f32; tfjs's ops made seven passes over a CNN layer's [N·H·W, C]).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerProbe } from '../core/protocol';
import type { ActivationContext } from './activations/types';
import { onActiveBackend, UNIT_SUMS } from './kernels/gemm';
import type { Model } from './models';

/** Per hidden layer, the rows (samples × positions) its statistics were summed over. */
export interface UnitSums { sums: tf.Tensor1D; rows: number[] }

/**
 * Per layer: [Σ post, #(pre > 0), #(|f′(pre)| < τ)] over every axis but the unit axis,
 * concatenated. A unit is gradient-dead when max |f′| < τ, i.e. when all its rows are below τ:
 * a count is a Sum, which is one pass on wasm where a Max over the leading axes transposes the
 * tensor first. Counts are exact in float32 up to 2^24 rows. Call inside a tidy.
 */
export function unitSums(model: Model, hidden: ReadonlyArray<{ pre: tf.Tensor; post: tf.Tensor }>, tau: number): UnitSums {
  const rows: number[] = [];
  const native = onActiveBackend(UNIT_SUMS);
  const sums = tf.concat(model.hiddenLayers.flatMap((layer, i) => {
    const { pre, post } = hidden[i]!;
    rows.push(pre.size / layer.units);
    if (native) {
      const inputs: tf.NamedTensorMap = { pre, post };
      if (!layer.activation.stepDerivative) inputs.derivative = layer.activation.derivative(pre);
      return [tf.engine().runKernel(UNIT_SUMS, inputs, { tau }) as tf.Tensor];
    }
    const leading = pre.shape.slice(0, -1).map((_, a) => a);
    return [
      tf.sum(post, leading),
      tf.sum(tf.step(pre, 0), leading),
      tf.sum(tf.step(tf.sub(tau, tf.abs(layer.activation.derivative(pre))), 0), leading),
    ];
  })) as tf.Tensor1D;
  return { sums, rows };
}

/** The statistics from a forward pass of their own over x, in training mode (noise on). */
export function forwardUnitSums(model: Model, x: tf.Tensor, ctx: ActivationContext, tau: number): UnitSums {
  let rows: number[] = [];
  const sums = tf.tidy(() => {
    const r = unitSums(model, model.forward(x, { ...ctx, training: true }, true).hidden, tau);
    rows = r.rows;
    return r.sums;
  });
  return { sums, rows };
}

/**
 * ‖∂loss/∂W‖₂ per hidden layer's weight, from a gradient map the caller computed (the training
 * step's: the mean loss over one training batch). sqrt(Σ g²): tf.norm squares with Pow, a
 * scalar std::pow per element on wasm. Call inside a tidy.
 */
export function gradientNorms(model: Model, grads: tf.NamedTensorMap): tf.Tensor1D {
  return tf.stack(model.hiddenLayers.map((l) => {
    // A frozen layer's weights take no step: its update is zero.
    if (l.frozen) return tf.scalar(0);
    const g = grads[l.weight.name];
    if (!g) throw new Error(`no gradient for ${l.weight.name}`);
    return tf.sqrt(tf.sum(tf.square(g)));
  })) as tf.Tensor1D;
}

/** Turns the read-back sums and norms into the protocol's per-layer probes. */
export function layerProbes(model: Model, sums: Float32Array, rows: readonly number[], norms: Float32Array, tau: number): LayerProbe[] {
  let at = 0;
  return model.hiddenLayers.map((layer, i) => {
    const u = layer.units;
    const sumPost = sums.subarray(at, at + u);
    const positive = sums.subarray(at + u, at + 2 * u);
    const belowTau = sums.subarray(at + 2 * u, at + 3 * u);
    at += 3 * u;
    const n = rows[i]!;
    return {
      layer: layer.name, units: u,
      deadMean: count(sumPost, (s) => Math.abs(s / n) < tau) / u,
      deadSigned: count(sumPost, (s) => s / n < tau) / u,
      deadGrad: count(belowTau, (b) => b === n) / u,
      meanActivation: sumPost.reduce((s, v) => s + v, 0) / (n * u),
      fracPositive: Array.from(positive, (p) => p / n),
      gradNorm: norms[i]!,
    };
  });
}

function count(xs: Float32Array, pred: (v: number) => boolean): number {
  let c = 0;
  for (const v of xs) if (pred(v)) c++;
  return c;
}
