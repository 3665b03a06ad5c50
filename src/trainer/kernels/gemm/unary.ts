/**
 * Exp and Erf for the wasm backend as SIMD loops (gemm.c: exp4, erf4). tfjs-wasm's are scalar
 * libm calls, and GELU's Φ and φ (erf and exp over every activation, forward and backward)
 * made them a third of a GELU CNN step. Non-float32 inputs go to the previous kernel.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { bind, offsetOf } from './kernels';

type UnaryExport = 'exp_f32' | 'erf_f32';

function makeUnary(fn: UnaryExport) {
  return (module: WebAssembly.Module, original: KernelConfig | undefined): KernelFunc => {
    if (!original) throw new Error(`no wasm kernel to fall back to for ${fn}`);
    const fallback = original.kernelFunc;
    return (params) => {
      const backend = params.backend as BackendWasm;
      const { x } = params.inputs as { x: TensorInfo };
      const g = x.dtype === 'float32' ? bind(module, backend) : null;
      if (!g) return fallback(params);
      const out = backend.makeOutput(x.shape, 'float32');
      const n = x.shape.reduce((a, b) => a * b, 1);
      if (n > 0) g.gemm[fn](offsetOf(backend, x), offsetOf(backend, out), n);
      return out;
    };
  };
}

export const makeExp = makeUnary('exp_f32');
export const makeErf = makeUnary('erf_f32');

/**
 * Not tfjs kernels: GELU x·Φ(x) (inference), and for training x·Φ(x) together with its
 * derivative Φ(x) + x·φ(x), which the backward pass multiplies dy by (one erf and exp per
 * element in all; gemm.c).
 */
export const GELU = 'ActlabGelu';
export const GELU_TRAIN = 'ActlabGeluTrain';

/** A GELU kernel: `outputs` float32 tensors shaped like x, filled by `run` (byte offsets). */
function geluKernel(module: WebAssembly.Module, name: string, outputs: number,
  run: (gemm: NonNullable<ReturnType<typeof bind>>['gemm'], x: number, outs: number[], n: number) => void): KernelFunc {
  return (params) => {
    const backend = params.backend as BackendWasm;
    const { x } = params.inputs as { x: TensorInfo };
    const g = bind(module, backend);
    if (!g || x.dtype !== 'float32') throw new Error(`${name}: needs float32 on the wasm heap`);
    const outs = Array.from({ length: outputs }, () => backend.makeOutput(x.shape, 'float32'));
    const n = x.shape.reduce((a, b) => a * b, 1);
    if (n > 0) run(g.gemm, offsetOf(backend, x), outs.map((o) => offsetOf(backend, o)), n);
    return outputs === 1 ? outs[0]! : outs;
  };
}

export const makeGelu = (module: WebAssembly.Module): KernelFunc =>
  geluKernel(module, GELU, 1, (gemm, x, [y], n) => gemm.gelu_f32(x, y!, n));

/** Two outputs: [x·Φ(x), Φ(x) + x·φ(x)]. */
export const makeGeluTrain = (module: WebAssembly.Module): KernelFunc =>
  geluKernel(module, GELU_TRAIN, 2, (gemm, x, [y, d], n) => gemm.gelu_train_f32(x, y!, d!, n));
