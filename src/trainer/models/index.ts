import * as tf from '@tensorflow/tfjs-core';
import type { ActivationSpec, ModelSpec } from '../../core/config';
import { createActivationFactory } from '../activations';
import type { ActivationContext } from '../activations/types';
import { affine, convLayer, denseLayer, layerContext, layerVariables, trainableVariables, type Layer, type LayerInit } from './layers';
import { applyNorm, normTensors } from './norm';
import { OUTPUT_LAYER, layerRules } from './rules';
import type { ForwardResult, Model, PassContext } from './types';

export type { ForwardResult, HiddenLayerInfo, Model, PassContext } from './types';

/**
 * MLP: flatten → (dense [+ norm] + activation)* → dense(outputs).
 * CNN: (3×3 conv 'same' [+ norm] + activation + 2×2 max-pool)* → flatten → (dense [+ norm] + activation)* → dense.
 * Weights come from initWeights (seeded per layer name), biases start at zero, and every hidden
 * layer owns its activation instance (so prelu slopes and noise streams are per layer).
 */
export function createModel(spec: ModelSpec, inputShape: number[], outputs: number, activation: ActivationSpec, seed: number): Model {
  const factory = createActivationFactory(activation);
  const opts: LayerInit = { init: spec.init, activation, bias: spec.bias, seed, rules: layerRules(spec, activation), ...(spec.norm ? { norm: spec.norm } : {}) };
  const convs: Layer[] = [];
  const denses: Layer[] = [];
  let flat: number;
  let macs = 0;
  const denseSizes = spec.type === 'mlp' ? spec.hidden : spec.dense;
  if (spec.type === 'cnn') {
    if (inputShape.length !== 3) throw new Error(`a cnn needs image inputs [height, width, channels]; this dataset gives [${inputShape.join(', ')}]`);
    let [h, w, c] = inputShape as [number, number, number];
    spec.conv.forEach((channels, i) => {
      const name = `conv${i + 1}`;
      convs.push(convLayer(name, c, channels, opts, factory(channels, name)));
      macs += h * w * c * channels * 9;
      c = channels;
      h = Math.floor(h / 2);
      w = Math.floor(w / 2);
      if (h < 1 || w < 1) throw new Error(`too many conv blocks: the image shrinks to nothing after ${name}'s 2×2 pooling`);
    });
    flat = h * w * c;
  } else {
    flat = inputShape.reduce((a, b) => a * b, 1);
  }
  let inputs = flat;
  denseSizes.forEach((units, i) => {
    const name = `dense${i + 1}`;
    denses.push(denseLayer(name, inputs, units, opts, factory(units, name)));
    macs += inputs * units;
    inputs = units;
  });
  const head = denseLayer(OUTPUT_LAYER, inputs, outputs, opts);
  macs += inputs * outputs;
  const hidden = [...convs, ...denses];
  const variables = [...hidden, head].flatMap(layerVariables);
  const trainable = [...hidden, head].flatMap(trainableVariables);

  function forward(x: tf.Tensor, ctx: PassContext, record = false): ForwardResult {
    const recorded: ForwardResult['hidden'] = [];
    const run = (layer: Layer, input: tf.Tensor): tf.Tensor => {
      const pre = applyNorm(layer.norm, affine(layer, input), ctx);
      const post = layer.activation!.apply(pre, layerContext(ctx, layer.name));
      if (record) recorded.push({ pre, post });
      return post;
    };
    let h = x;
    if (convs.length > 0) {
      h = tf.reshape(h, [-1, ...inputShape]);
      for (const layer of convs) h = tf.maxPool(run(layer, h) as tf.Tensor4D, 2, 2, 'valid');
    }
    h = tf.reshape(h, [-1, flat]);
    for (const layer of denses) h = run(layer, h);
    return { output: affine(head, h), hidden: recorded };
  }

  return {
    variables,
    trainable,
    paramCount: variables.reduce((n, v) => n + v.size, 0),
    macsPerSample: macs,
    hiddenLayers: hidden.map((l) => ({ name: l.name, units: l.units, weight: l.weight, activation: l.activation!, frozen: l.frozen, ...(l.norm ? { norm: l.norm } : {}) })),
    forward,
    dispose: () => [...variables, ...hidden.flatMap((l) => normTensors(l.norm))].forEach((v) => v.dispose()),
  };
}
