import * as tf from '@tensorflow/tfjs-core';
import type { TrainingSpec } from '../core/config';
import { FusedAdamOptimizer } from './kernels/gemm/adam';

/**
 * adam: one fused update kernel per variable on wasm (tfjs's own update elsewhere; same numbers);
 * sgd is plain gradient descent; momentum uses training.momentum; rmsprop keeps tfjs defaults (ρ = 0.9). */
export function createOptimizer(t: Pick<TrainingSpec, 'optimizer' | 'learningRate' | 'momentum'>): tf.Optimizer {
  switch (t.optimizer) {
    case 'adam':
      return new FusedAdamOptimizer(t.learningRate);
    case 'sgd':
      return tf.train.sgd(t.learningRate);
    case 'momentum':
      return tf.train.momentum(t.learningRate, t.momentum);
    case 'rmsprop':
      return tf.train.rmsprop(t.learningRate);
  }
}
