import type * as tf from '@tensorflow/tfjs-core';
import type { Activation, ActivationContext } from '../activations/types';

export interface HiddenLayerInfo {
  /** "dense1", "conv1", ... */
  name: string;
  /** Neurons (dense) or channels (conv). */
  units: number;
  weight: tf.Variable;
  /** The layer's own activation instance (probes read its derivative). */
  activation: Activation;
  /** model.freeze: its weights get no gradient. */
  frozen: boolean;
}

export interface ForwardResult {
  /** Logits (classification) or outputs (regression), shape [batch, outputs]. */
  output: tf.Tensor;
  /** Per hidden layer, only when recorded: pre-activation and activation (before pooling). */
  hidden: { pre: tf.Tensor; post: tf.Tensor }[];
}

export interface Model {
  /** Every variable, activation parameters (prelu slopes) and frozen layers included (replicas load these). */
  variables: tf.Variable[];
  /** What the optimizer trains: `variables` less the frozen layers' weights and biases. */
  trainable: tf.Variable[];
  paramCount: number;
  /** Multiply-adds of one sample's forward pass (what a step costs, roughly ×3 with backprop). */
  macsPerSample: number;
  hiddenLayers: HiddenLayerInfo[];
  /**
   * Runs the network on x [batch, ...inputShape]. Does not tidy: call it inside tf.tidy or a
   * gradient function. `ctx.seed` is this call's noise seed; each layer derives its own from it.
   */
  forward(x: tf.Tensor, ctx: ActivationContext, record?: boolean): ForwardResult;
  dispose(): void;
}
