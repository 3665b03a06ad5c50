import type { Tensor, Variable } from '@tensorflow/tfjs-core';

/** Per call: whether we are training (noise on) and the current σ from the schedule. */
export interface ActivationContext {
  training: boolean;
  /** Current σ (noise activations, smoothRelu); ignored by the others. */
  sigma: number;
  /** A fresh 32-bit seed for this call's noise (derived from the job seed and step). */
  seed: number;
}

/** One activation instance, owned by one hidden layer. */
export interface Activation {
  /** f(x) as used in the forward pass (training: stochastic ones sample; inference per config). */
  apply(x: Tensor, ctx: ActivationContext): Tensor;
  /**
   * f′(x) as the backward pass uses it, deterministic (noise excluded), same shape as x;
   * the gradient-dead probe reads it.
   */
  derivative(x: Tensor): Tensor;
  /** f′ is 1[x > 0] (the ReLU family): the probe counts it from x's sign without forming it. */
  readonly stepDerivative?: boolean;
  /** Trainable parameters of the activation itself (prelu: one slope per unit). */
  readonly variables: Variable[];
  /** Named learnable parameters (expressions): their values go into epoch events and summaries. */
  readonly learnable?: Readonly<Record<string, Variable>>;
}

/** `units` = size of the last axis of the layer output (neurons or channels). */
export type ActivationFactory = (units: number, layerName: string) => Activation;
