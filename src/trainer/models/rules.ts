/**
 * Per-layer rules that `model.freeze`, `model.parameterization` and `model.outputInit` add to
 * the plain builder (index.ts, layers.ts): how a layer's weights start, what multiplies its
 * pre-activation, and whether the optimizer trains it. The defaults leave every layer as it was.
 *
 * - ntk (the NTK line of Jacot et al. and Allen-Zhu et al., as arXiv 2402.11942 analyses it):
 *   weights N(0, 1), each layer's pre-activation x·W scaled by 1/√fan_in — the output's by 1/√m,
 *   m its fan-in (the last hidden width). At initialisation that equals the `rescaled` init; in
 *   training the gradients differ by the scale.
 * - sign: output weights ±1 with equal probability (the fixed second layer of the masking
 *   analysis, arXiv 2602.17423); `freeze: ["output"]` keeps them fixed.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationSpec, FrozenLayer, ModelSpec } from '../../core/config';
import { initWeights } from '../init';

export const OUTPUT_LAYER = 'output';

export interface LayerRules {
  /** The layer's initial weights, seeded. */
  weights(name: string, shape: number[], fanIn: number, fanOut: number, seed: number): tf.Tensor;
  /** The factor of the layer's x·W (before the bias); undefined for none. */
  scale(name: string, fanIn: number): number | undefined;
  /** False when the layer's weights and biases stay at their initial values. */
  trainable(name: string): boolean;
}

/** The hidden layers' names in forward order: conv1…, then dense1… (what freeze indices count). */
export function hiddenLayerNames(spec: ModelSpec): string[] {
  const dense = spec.type === 'mlp' ? spec.hidden : spec.dense;
  const convs = spec.type === 'cnn' ? spec.conv.map((_, i) => `conv${i + 1}`) : [];
  return [...convs, ...dense.map((_, i) => `dense${i + 1}`)];
}

/** The layer names a freeze list names ("input" is the first hidden layer, the one reading x). */
export function frozenNames(spec: ModelSpec): Set<string> {
  const hidden = hiddenLayerNames(spec);
  const nameOf = (f: FrozenLayer): string => {
    if (f === 'output') return OUTPUT_LAYER;
    const index = f === 'input' ? 1 : f;
    const name = hidden[index - 1];
    if (!Number.isInteger(index) || name === undefined) throw new Error(`model.freeze: no hidden layer ${String(f)} (the model has ${hidden.length})`);
    return name;
  };
  return new Set((spec.freeze ?? []).map(nameOf));
}

/** ±1 with equal probability, seeded. */
function signs(shape: number[], seed: number): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.mul(tf.step(tf.sub(tf.randomUniform(shape, 0, 1, 'float32', seed), 0.5)), 2), 1));
}

export function layerRules(spec: ModelSpec, activation: ActivationSpec): LayerRules {
  const frozen = frozenNames(spec);
  const ntk = spec.parameterization === 'ntk';
  return {
    weights(name, shape, fanIn, fanOut, seed) {
      if (name === OUTPUT_LAYER && spec.outputInit === 'sign') return signs(shape, seed);
      // The same seed draws the same standard normals: ntk's weights are the standard ones unscaled.
      if (ntk) return tf.randomNormal(shape, 0, 1, 'float32', seed);
      return initWeights(shape, fanIn, fanOut, spec.init, activation, seed);
    },
    scale: (_name, fanIn) => (ntk ? 1 / Math.sqrt(fanIn) : undefined),
    trainable: (name) => !frozen.has(name),
  };
}
