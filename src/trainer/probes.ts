/**
 * Dead-unit probes on a fixed held-out batch, per hidden layer (see DESIGN: two definitions):
 *  - deadMean: |mean activation| < τ, activations measured in training mode (noise on), as the
 *    N-ReLU paper (arXiv 2511.07559) does — so noise counts as life;
 *  - deadGrad: max |f′(pre-activation)| < τ over the batch and spatial positions — the unit's
 *    incoming weights get no gradient from any sample.
 * Plus mean activation, per-unit fraction of positive pre-activations, and ‖∂loss/∂W‖₂.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerProbe } from '../core/protocol';
import type { ActivationContext } from './activations/types';
import type { LossFn } from './losses';
import type { Model } from './models';

/**
 * The gradient norm uses the first this-many probe samples: a backward pass over 1,000 CNN
 * samples cost ~4 s on wasm (a fifth of an epoch), the forward statistics ~0.2 s.
 */
export const GRAD_PROBE_SAMPLES = 256;

/** [batch, (h, w,) units] → [rows, units]: spatial positions count as samples. */
function rowsByUnit(t: tf.Tensor): tf.Tensor2D {
  return tf.reshape(t, [-1, t.shape[t.shape.length - 1]!]);
}

/** ‖∂loss/∂W‖₂ per hidden layer on (the start of) the probe batch. */
function gradNorms(model: Model, x: tf.Tensor, y: tf.Tensor, lossFn: LossFn, ctx: ActivationContext): tf.Tensor1D {
  return tf.tidy(() => {
    const n = Math.min(GRAD_PROBE_SAMPLES, x.shape[0]!);
    const xs = n < x.shape[0]! ? tf.slice(x, 0, n) : x;
    const ys = n < y.shape[0]! ? tf.slice(y, 0, n) : y;
    const weights = model.hiddenLayers.map((l) => l.weight);
    const { grads } = tf.variableGrads(() => lossFn(model.forward(xs, ctx).output, ys), weights);
    return tf.stack(weights.map((w) => tf.norm(grads[w.name]!))) as tf.Tensor1D;
  });
}

export async function probeLayers(model: Model, x: tf.Tensor, y: tf.Tensor, lossFn: LossFn, ctx: ActivationContext, tau: number): Promise<LayerProbe[]> {
  const training = { ...ctx, training: true };
  if (model.hiddenLayers.length === 0) return [];
  const perLayer = tf.tidy(() => {
    const { hidden } = model.forward(x, training, true);
    return model.hiddenLayers.map((layer, i) => {
      const p = rowsByUnit(hidden[i]!.pre);
      const a = rowsByUnit(hidden[i]!.post);
      const unitMean = tf.mean(a, 0);
      const deadMean = tf.div(tf.sum(tf.cast(tf.less(tf.abs(unitMean), tau), 'float32')), layer.units);
      const maxDeriv = tf.max(tf.abs(rowsByUnit(layer.activation.derivative(p))), 0);
      const deadGrad = tf.div(tf.sum(tf.cast(tf.less(maxDeriv, tau), 'float32')), layer.units);
      return { scalars: tf.stack([deadMean, deadGrad, tf.mean(a)]), fracPositive: tf.mean(tf.cast(tf.greater(p, 0), 'float32'), 0) };
    });
  });
  const norms = gradNorms(model, x, y, lossFn, training);
  try {
    const normValues = await norms.data();
    const layers: LayerProbe[] = [];
    for (let i = 0; i < perLayer.length; i++) {
      const layer = model.hiddenLayers[i]!;
      const [s, f] = await Promise.all([perLayer[i]!.scalars.data(), perLayer[i]!.fracPositive.data()]);
      layers.push({
        layer: layer.name, units: layer.units, deadMean: s[0]!, deadGrad: s[1]!, meanActivation: s[2]!,
        fracPositive: Array.from(f), gradNorm: normValues[i]!,
      });
    }
    return layers;
  } finally {
    tf.dispose([norms, ...perLayer.flatMap((l) => [l.scalars, l.fracPositive])]);
  }
}
