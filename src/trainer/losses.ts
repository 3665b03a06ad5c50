/** Mean losses over a batch; `targets` are class indices (int32 [batch]) or values ([batch, outputs]). */
import * as tf from '@tensorflow/tfjs-core';
import type { LossName } from '../core/config';

export type LossFn = (output: tf.Tensor, targets: tf.Tensor) => tf.Scalar;

/** Softmax cross entropy on logits, in the stable log-softmax form. */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits as tf.Tensor2D);
    const onehot = tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, logits.shape[1]!);
    return tf.neg(tf.mean(tf.sum(tf.mul(onehot, logp), 1)));
  }) as tf.Scalar;
}

export function mse(output: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(output, tf.reshape(targets, output.shape))))) as tf.Scalar;
}

/** For classification with 'mse' the targets are one-hot vectors compared with the raw outputs. */
export function lossFunction(name: LossName, kind: 'classification' | 'regression'): LossFn {
  if (name === 'crossEntropy') {
    if (kind === 'regression') throw new Error("loss 'crossEntropy' needs a classification dataset; use 'mse' for regression");
    return crossEntropy;
  }
  if (kind === 'classification') {
    return (output, labels) => tf.tidy(() => mse(output, tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, output.shape[1]!))) as tf.Scalar;
  }
  return mse;
}
