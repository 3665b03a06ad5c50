/**
 * Loaded with `--import` (bundled by bench/trainer.ts, or through tsx) into a trainer process:
 * registers the SIMD GEMM kernels and makes tf.train.adam build FusedAdamOptimizer, before the
 * first step (tfjs-core is external to the bundle, so this and the trainer share one tfjs). It
 * stands in for src/trainer registering them itself, so the benchmark measures the real trainer
 * with the kernels either way; registering twice is harmless.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { FusedAdamOptimizer, registerGemmKernels } from '../src/trainer/kernels/gemm/index.ts';

await registerGemmKernels();
tf.train.adam = (learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number) =>
  new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
