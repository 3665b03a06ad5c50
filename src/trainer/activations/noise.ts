/**
 * Seeded noise tensors for the stochastic activations. On wasm with kernels/gemm registered they
 * are drawn on the heap (native/noise.c); elsewhere in JS (random/ziggurat.ts) and uploaded.
 * Both run the same generator, so the same seed gives the same numbers on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { NORMAL, onActiveBackend, UNIFORM } from '../kernels/gemm';
import { fillNormal, fillUniform } from '../random/ziggurat';

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A float32 tensor of N(0, σ²) noise; same seed, same numbers. */
export function normalNoise(shape: readonly number[], sigma: number, seed: number): tf.Tensor {
  if (onActiveBackend(NORMAL)) return tf.engine().runKernel(NORMAL, {}, { shape: shape.slice(), sigma, seed }) as tf.Tensor;
  return tf.tensor(fillNormal(new Float32Array(size(shape)), sigma, seed), shape.slice(), 'float32');
}

/** A float32 tensor of U(lo, hi) noise; same seed, same numbers. */
export function uniformNoise(shape: readonly number[], lo: number, hi: number, seed: number): tf.Tensor {
  if (onActiveBackend(UNIFORM)) return tf.engine().runKernel(UNIFORM, {}, { shape: shape.slice(), lo, hi, seed }) as tf.Tensor;
  return tf.tensor(fillUniform(new Float32Array(size(shape)), lo, hi, seed), shape.slice(), 'float32');
}
