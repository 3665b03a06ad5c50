/** Loss and accuracy over a whole split, batched, in inference mode. */
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationContext } from './activations/types';
import { disposeBatch, makeBatch } from './batches';
import type { Dataset } from './data/types';
import type { LossFn } from './losses';
import type { Model } from './models';

/** Large enough to amortise per-call overhead, small enough for a CNN's activations. */
export const EVAL_BATCH = 1000;

export interface Evaluation { loss: number; accuracy?: number }

/** Number of rows whose argmax equals the label (a scalar; no gradient needed). */
export function countCorrect(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'float32')));
}

/** `between` runs after each batch (the loop yields to the event loop and checks for a cancel there). */
export async function evaluate(
  model: Model, ds: Dataset, split: 'train' | 'test', lossFn: LossFn, ctx: ActivationContext, between?: () => Promise<void>,
): Promise<Evaluation> {
  const n = split === 'train' ? ds.trainSize : ds.testSize;
  const classify = ds.kind === 'classification';
  let lossSum = 0;
  let correct = 0;
  for (let from = 0; from < n; from += EVAL_BATCH) {
    const batch = makeBatch(ds, split, from, Math.min(EVAL_BATCH, n - from));
    const stats = tf.tidy(() => {
      const { output } = model.forward(batch.x, { ...ctx, training: false }, false);
      const loss = tf.mul(lossFn(output, batch.y), batch.size);
      return classify ? tf.stack([loss, countCorrect(output, batch.y)]) : tf.reshape(loss, [1]);
    });
    disposeBatch(batch);
    const values = await stats.data();
    stats.dispose();
    lossSum += values[0]!;
    correct += classify ? values[1]! : 0;
    await between?.();
  }
  return classify ? { loss: lossSum / n, accuracy: correct / n } : { loss: lossSum / n };
}
