/** The two layer kinds as raw ops over tf.variables (no tfjs-layers: one tfjs-core, small bundle). */
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationSpec, InitName, NormName } from '../../core/config';
import { deriveSeed } from '../../core/random';
import type { Activation, ActivationContext } from '../activations/types';
import { initWeights } from '../init';
import { createNorm, type Norm } from './norm';
import type { LayerRules } from './rules';

/**
 * `rules` (rules.ts): freeze, parameterization and output init; absent for the standard model.
 * `norm`: BatchNorm between the linear map and the activation (norm.ts); absent for none.
 */
export interface LayerInit { init: InitName; activation: ActivationSpec; bias: boolean; seed: number; rules?: LayerRules; norm?: NormName }

export interface Layer {
  name: string;
  /** Output units (dense) or channels (conv). */
  units: number;
  weight: tf.Variable;
  bias?: tf.Variable;
  /** Absent for the output layer. */
  activation?: Activation;
  /** Between the linear map and the activation (hidden layers with `model.norm` only). */
  norm?: Norm;
  kind: 'dense' | 'conv';
  /** Multiplies x·W before the bias (ntk: 1/√fan_in); absent for none. */
  scale?: number;
  /** Weights and bias keep their initial values (model.freeze). */
  frozen: boolean;
}

type LayerVariables = Pick<Layer, 'weight' | 'bias' | 'scale' | 'frozen'>;

function makeVariables(name: string, shape: number[], fanIn: number, fanOut: number, opts: LayerInit): LayerVariables {
  const seed = deriveSeed(opts.seed, name);
  const w = opts.rules ? opts.rules.weights(name, shape, fanIn, fanOut, seed) : initWeights(shape, fanIn, fanOut, opts.init, opts.activation, seed);
  const trainable = opts.rules?.trainable(name) ?? true;
  // Unnamed: tfjs names must be unique per process, and tests hold several models at once.
  const weight = tf.variable(w, trainable);
  w.dispose();
  const units = shape[shape.length - 1]!;
  let bias: tf.Variable | undefined;
  if (opts.bias) {
    const zeros = tf.zeros([units]);
    bias = tf.variable(zeros, trainable);
    zeros.dispose();
  }
  const scale = opts.rules?.scale(name, fanIn);
  return { weight, bias, frozen: !trainable, ...(scale === undefined ? {} : { scale }) };
}

/** A hidden layer (one with an activation) gets the configured norm; the output layer none. */
const hiddenNorm = (opts: LayerInit, units: number, activation?: Activation): { norm?: Norm } => {
  const norm = activation ? createNorm(opts.norm, units) : undefined;
  return norm ? { norm } : {};
};

export function denseLayer(name: string, inputs: number, units: number, opts: LayerInit, activation?: Activation): Layer {
  return { name, units, kind: 'dense', activation, ...makeVariables(name, [inputs, units], inputs, units, opts), ...hiddenNorm(opts, units, activation) };
}

/** 3×3 convolution, 'same' padding, stride 1. */
export function convLayer(name: string, inChannels: number, channels: number, opts: LayerInit, activation?: Activation): Layer {
  return { name, units: channels, kind: 'conv', activation, ...makeVariables(name, [3, 3, inChannels, channels], 9 * inChannels, 9 * channels, opts), ...hiddenNorm(opts, channels, activation) };
}

/** The affine part: x·W + b or conv(x, W) + b. */
export function affine(layer: Layer, x: tf.Tensor): tf.Tensor {
  const xw = layer.kind === 'dense' ? tf.matMul(x as tf.Tensor2D, layer.weight as tf.Tensor2D) : tf.conv2d(x as tf.Tensor4D, layer.weight as tf.Tensor4D, 1, 'same');
  const z = layer.scale === undefined ? xw : tf.mul(xw, layer.scale);
  return layer.bias ? tf.add(z, layer.bias) : z;
}

/** Each layer's noise must be independent of the others' within a step. */
export function layerContext(ctx: ActivationContext, layerName: string): ActivationContext {
  return { ...ctx, seed: deriveSeed(ctx.seed, layerName) };
}

/** Every variable of the layer, frozen ones included (what replicas receive and dispose frees). */
export function layerVariables(layer: Layer): tf.Variable[] {
  return [layer.weight, ...(layer.bias ? [layer.bias] : []), ...(layer.norm?.variables ?? []), ...(layer.activation?.variables ?? [])];
}

/** What the optimizer trains: a frozen layer's activation parameters (prelu slopes) still learn. */
export function trainableVariables(layer: Layer): tf.Variable[] {
  return layer.frozen ? [...(layer.activation?.variables ?? [])] : layerVariables(layer);
}
