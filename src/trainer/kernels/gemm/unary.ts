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

/** Not tfjs kernels: GELU x·Φ(x) and its gradient dy·(Φ(x) + x·φ(x)), one pass each (gemm.c). */
export const GELU = 'ActlabGelu';
export const GELU_GRAD = 'ActlabGeluGrad';

export function makeGelu(module: WebAssembly.Module): KernelFunc {
  return (params) => {
    const backend = params.backend as BackendWasm;
    const { x } = params.inputs as { x: TensorInfo };
    const g = bind(module, backend);
    if (!g || x.dtype !== 'float32') throw new Error(`${GELU}: needs float32 on the wasm heap`);
    const out = backend.makeOutput(x.shape, 'float32');
    const n = x.shape.reduce((a, b) => a * b, 1);
    if (n > 0) g.gemm.gelu_f32(offsetOf(backend, x), offsetOf(backend, out), n);
    return out;
  };
}

export function makeGeluGrad(module: WebAssembly.Module): KernelFunc {
  return (params) => {
    const backend = params.backend as BackendWasm;
    const { x, dy } = params.inputs as { x: TensorInfo; dy: TensorInfo };
    const g = bind(module, backend);
    if (!g || x.dtype !== 'float32' || dy.dtype !== 'float32') throw new Error(`${GELU_GRAD}: needs float32 on the wasm heap`);
    const out = backend.makeOutput(x.shape, 'float32');
    const n = x.shape.reduce((a, b) => a * b, 1);
    if (n > 0) g.gemm.gelu_grad_f32(offsetOf(backend, x), offsetOf(backend, dy), offsetOf(backend, out), n);
    return out;
  };
}
