/**
 * Kernels that tfjs's backends lack, get wrong, or run slowly for training; initBackend
 * registers them for the backend it selects, before the first step.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterConfig } from './conv2dBackpropFilter';
import { gemmKernelsRegistered, unregisterGemmKernels } from './gemm/index';
import { conv2DBackpropInputConfig } from './conv2dBackpropInput';
import { maxPoolGradConfig } from './maxPoolGrad';

/** Builds a kernel from the backend's own one (undefined where it has none). */
type Replacement = (original: KernelConfig | undefined) => KernelConfig;

/**
 * wasm: Conv2DBackpropFilter is missing; MaxPoolGrad drops the gradient of all-negative
 * windows; Conv2DBackpropInput is slow (kept as the fallback for strides > 1).
 */
const WASM: Replacement[] = [
  () => conv2DBackpropFilterConfig('wasm'),
  () => maxPoolGradConfig,
  conv2DBackpropInputConfig,
];
/** cpu: Conv2DBackpropFilter is ~50× slower than a forward convolution. */
const CPU: Replacement[] = [() => conv2DBackpropFilterConfig('cpu')];

const done = new Set<string>();

function register(backendName: string, replacements: Replacement[]): void {
  if (done.has(backendName)) return;
  done.add(backendName);
  for (const make of replacements) {
    const { kernelName } = make(undefined);
    const original = tf.getKernel(kernelName, backendName);
    // registerKernel refuses a name that is taken (it only warns), so drop tfjs's first.
    if (original) tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel(make(original));
  }
}

/**
 * Idempotent; call before the wasm backend's first training step, and before
 * registerGemmKernels (./gemm): the SIMD GEMM kernels handle the common shapes and fall back
 * to the kernels registered before them, which must be ours. A GEMM set registered earlier is
 * taken off here; register it again afterwards (initBackend does).
 */
export function registerWasmKernels(): void {
  if (done.has('wasm')) return;
  if (gemmKernelsRegistered().length > 0) unregisterGemmKernels();
  register('wasm', WASM);
}

/** Idempotent; call before the cpu backend's first training step. */
export function registerCpuKernels(): void {
  register('cpu', CPU);
}
