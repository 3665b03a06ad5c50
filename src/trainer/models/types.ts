import type * as tf from '@tensorflow/tfjs-core';
import type { Activation, ActivationContext } from '../activations/types';
import type { Norm } from './norm';

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
  /** Its norm between the linear map and the activation (`model.norm`), if any. */
  norm?: Norm;
}

/**
 * One forward pass's context: the activations' (training mode, σ, seed) and whether it is a
 * training step, where BatchNorm (models/norm.ts) normalises with the batch's own statistics
 * and updates its moving averages. Every other pass (test evaluation, probes, even a
 * training-mode probe pass) normalises with the averages. Absent: false.
 */
export interface PassContext extends ActivationContext {
  batchStatistics?: boolean;
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
  forward(x: tf.Tensor, ctx: PassContext, record?: boolean): ForwardResult;
  dispose(): void;
}
