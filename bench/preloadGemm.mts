/**
 * Loaded with `--import` (bundled by bench/trainer.ts) into a trainer process: makes
 * tf.train.adam build FusedAdamOptimizer, standing in for src/trainer/optimizers.ts choosing it
 * on wasm. The trainer registers the GEMM kernels itself (initBackend); the fused update's
 * kernel is one of them, so without them (ACTLAB_NATIVE_GEMM=0) this is tfjs's Adam.
 * tfjs-core is external to both bundles, so this and the trainer share one tfjs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FusedAdamOptimizer } from '../src/trainer/kernels/gemm/adam.ts';

tf.train.adam = (learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number) =>
  new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
