import * as tf from '@tensorflow/tfjs-core';
import type { TrainingSpec } from '../core/config';

/** sgd is plain gradient descent; momentum uses training.momentum; rmsprop keeps tfjs defaults (ρ = 0.9). */
export function createOptimizer(t: Pick<TrainingSpec, 'optimizer' | 'learningRate' | 'momentum'>): tf.Optimizer {
  switch (t.optimizer) {
    case 'adam':
      return tf.train.adam(t.learningRate);
    case 'sgd':
      return tf.train.sgd(t.learningRate);
    case 'momentum':
      return tf.train.momentum(t.learningRate, t.momentum);
    case 'rmsprop':
      return tf.train.rmsprop(t.learningRate);
  }
}
