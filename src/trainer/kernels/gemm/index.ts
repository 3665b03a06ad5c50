/**
 * Registers the SIMD GEMM module (native/gemm.c) on tfjs's wasm backend as BatchMatMul and
 * _FusedMatMul (tfjs's own: ~38 GFLOP/s forward but 2–3 with a transposed operand, which every
 * backward pass uses) and as Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter and MaxPoolGrad
 * (im2col GEMMs), as Sum for bias gradients, a copy-free Identity, SIMD Exp and Erf, a fused GELU
 * with its gradient, and seeded noise (native/noise.c). Set ACTLAB_NATIVE_GEMM=0 to keep the previous kernels (for comparison).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { FUSED_ADAM, makeFusedAdam } from './adam';
import { makeConv2D, makeConv2DBackpropFilter, makeConv2DBackpropInput, makeMaxPoolGrad } from './conv';
import { makeBatchMatMul, makeFusedMatMul } from './kernels';
import { compileGemm } from './module';
import { makeIdentity } from './identity';
import { makeNormal, makeNReluTrain, makeUniform, NORMAL, NRELU_TRAIN, UNIFORM } from './noise';
import { makeSum, makeUnitSums, UNIT_SUMS } from './reduce';
import { GELU, GELU_TRAIN, makeErf, makeExp, makeGelu, makeGeluTrain } from './unary';

const BACKEND = 'wasm';

// Training goes through GELU_TRAIN (activations/classic.ts); this covers a gradient taken
// through the inference kernel all the same.
tf.registerGradient({
  kernelName: GELU,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tf.Tensor, (tf.engine().runKernel(GELU_TRAIN, { x: saved[0]! }) as tf.Tensor[])[1]!) }),
});

// N-ReLU's training forward outputs [y, 1[x > 0]]: dy·mask, the noise carries no gradient.
tf.registerGradient({
  kernelName: NRELU_TRAIN,
  outputsToSave: [false, true],
  gradFunc: (dy, saved) => ({ x: () => tf.mul((dy as tf.Tensor[])[0]!, saved[0]!) }),
});

type Maker = (module: WebAssembly.Module, previous: KernelConfig | undefined) => KernelFunc;

const MATMUL: Array<[string, Maker]> = [
  [tf.BatchMatMul, makeBatchMatMul],
  [tf._FusedMatMul, makeFusedMatMul],
  // Not a tfjs kernel: FusedAdamOptimizer's update, a no-op until an optimizer asks for it.
  [FUSED_ADAM, makeFusedAdam],
];
const CONV: Array<[string, Maker]> = [
  [tf.Conv2D, makeConv2D],
  [tf.Conv2DBackpropInput, makeConv2DBackpropInput],
  [tf.Conv2DBackpropFilter, makeConv2DBackpropFilter],
  [tf.MaxPoolGrad, makeMaxPoolGrad],
  [tf.Sum, makeSum],
  [tf.Identity, makeIdentity],
  [tf.Exp, makeExp],
  [tf.Erf, makeErf],
  // Not tfjs kernels: the GELU activation runs them when registered (activations/classic.ts).
  [GELU, makeGelu],
  [GELU_TRAIN, makeGeluTrain],
  // Not tfjs kernels: seeded noise (activations/noise.ts, activations/noisy.ts).
  [NORMAL, makeNormal],
  [UNIFORM, makeUniform],
  [NRELU_TRAIN, makeNReluTrain],
  // Not a tfjs kernel: the dead-unit probe's reductions (probes.ts).
  [UNIT_SUMS, makeUnitSums],
];

/** The kernels registered before ours (undefined: none), kept to fall back on and to restore. */
let previous: Map<string, KernelConfig | undefined> | undefined;

export { FusedAdamOptimizer } from './adam';
export { GELU, GELU_TRAIN } from './unary';
export { NORMAL, NRELU_TRAIN, UNIFORM } from './noise';
export { UNIT_SUMS } from './reduce';

export interface GemmOptions {
  /** Also replace the convolution kernels, MaxPoolGrad, Sum, Identity, Exp and Erf (default true). */
  conv?: boolean;
}

/** Whether the active backend has kernel `name` (ours are registered on wasm only). */
export function onActiveBackend(name: string): boolean {
  return Boolean(tf.getKernel(name, tf.getBackend()));
}

export function gemmKernelsRegistered(): string[] {
  return previous ? [...previous.keys()] : [];
}

/**
 * Idempotent (a second call with other options keeps the first set). Resolves true when the
 * kernels are (now) registered, false when they cannot be: no wasm SIMD, tfjs-backend-wasm not
 * loaded, or ACTLAB_NATIVE_GEMM=0. Safe before or after `tf.setBackend('wasm')`: the module
 * binds to the backend's heap on the first call of a kernel.
 */
export async function registerGemmKernels(options: GemmOptions = {}): Promise<boolean> {
  if (previous) return true;
  if (process.env.ACTLAB_NATIVE_GEMM === '0') return false;
  if (!tf.getKernel(tf.BatchMatMul, BACKEND)) return false;
  const module = await compileGemm();
  if (!module) return false;
  if (previous) return true;
  const kernels = options.conv === false ? MATMUL : [...MATMUL, ...CONV];
  const saved = new Map<string, KernelConfig | undefined>();
  for (const [name, make] of kernels) {
    const before = tf.getKernel(name, BACKEND);
    saved.set(name, before);
    if (before) tf.unregisterKernel(name, BACKEND);
    // The previous kernel's setupFunc must stay: a backend initialised after this runs the
    // setups of the kernels registered then, and our fallbacks call the previous kernelFunc,
    // which needs its setup (tfjs-wasm's kernels bind their C function there).
    tf.registerKernel({
      kernelName: name, backendName: BACKEND, kernelFunc: make(module, before),
      ...(before?.setupFunc ? { setupFunc: before.setupFunc } : {}),
      ...(before?.disposeFunc ? { disposeFunc: before.disposeFunc } : {}),
    });
  }
  previous = saved;
  return true;
}

/** Puts the previous kernels back (tests and benchmarks compare both). */
export function unregisterGemmKernels(): void {
  if (!previous) return;
  for (const [name, config] of previous) {
    tf.unregisterKernel(name, BACKEND);
    if (config) tf.registerKernel(config);
  }
  previous = undefined;
}
