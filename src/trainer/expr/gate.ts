/**
 * The identity whose gradient is dy where `mask` holds and exactly 0 elsewhere. A select's
 * gradient into its unchosen branch is 0, but the branch's own backward can turn that 0 into
 * NaN (0 · 1/0 in log′ at 0, 0 · ∞ in sqrt′); gating the branch's inputs drops it with a select,
 * where multiplying by a 0/1 mask would keep NaN. tfjs has no such op, hence customGrad.
 */
import * as tf from '@tensorflow/tfjs-core';

export function gradientGate(v: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  // customGrad hands its function the inputs and then a save callback, typed as one union.
  // The mask goes through save(): a tensor merely closed over is disposed with the forward
  // pass's scope before tf.grad runs the backward one.
  const gate = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    (args[1] as tf.GradSaveFunc)([mask]);
    return {
      value: tf.clone(args[0] as tf.Tensor),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.where(saved[0]!, dy, tf.zerosLike(dy)),
    };
  });
  return gate(v);
}
