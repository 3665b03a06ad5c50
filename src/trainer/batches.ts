/** Turning a Dataset's flat arrays into batch tensors (copying rows in JS is cheap next to a step). */
import * as tf from '@tensorflow/tfjs-core';
import { sampleSize } from './data';
import type { Dataset } from './data/types';

export interface Batch { x: tf.Tensor; y: tf.Tensor; size: number }

/**
 * Samples `order[from..from+count)` of a split (or `from..from+count` when order is omitted).
 * x: [count, ...inputShape]; y: int32 [count] (classes) or float32 [count, outputs].
 */
export function makeBatch(ds: Dataset, split: 'train' | 'test', from: number, count: number, order?: ArrayLike<number>): Batch {
  const xs = split === 'train' ? ds.xTrain : ds.xTest;
  const ys = split === 'train' ? ds.yTrain : ds.yTest;
  const size = sampleSize(ds);
  const yPer = ds.kind === 'classification' ? 1 : ds.outputs;
  let xb: Float32Array;
  let yb: Int32Array | Float32Array;
  if (order) {
    xb = new Float32Array(count * size);
    yb = ys instanceof Int32Array ? new Int32Array(count * yPer) : new Float32Array(count * yPer);
    for (let i = 0; i < count; i++) {
      const j = order[from + i]!;
      xb.set(xs.subarray(j * size, (j + 1) * size), i * size);
      yb.set(ys.subarray(j * yPer, (j + 1) * yPer), i * yPer);
    }
  } else {
    xb = xs.subarray(from * size, (from + count) * size);
    yb = ys.subarray(from * yPer, (from + count) * yPer);
  }
  const x = tf.tensor(xb, [count, ...ds.inputShape], 'float32');
  const y = ds.kind === 'classification' ? tf.tensor1d(yb, 'int32') : tf.tensor2d(yb, [count, yPer], 'float32');
  return { x, y, size: count };
}

export function disposeBatch(b: Batch): void {
  b.x.dispose();
  b.y.dispose();
}
