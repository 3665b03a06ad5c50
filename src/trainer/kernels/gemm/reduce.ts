/**
 * Sum for the wasm backend when it reduces every axis but the last (a bias gradient): one SIMD
 * pass over the rows. tfjs's own kernel first transposes the whole tensor to put the reduced
 * axes innermost (a full copy of, e.g., a conv layer's [N, H, W, C] gradient). Every other
 * reduction goes to the previous kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, SumAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { bind, offsetOf } from './kernels';

export function makeSum(module: WebAssembly.Module, original: KernelConfig | undefined): KernelFunc {
  if (!original) throw new Error("no wasm kernel 'Sum' to fall back to");
  const fallback = original.kernelFunc;
  return (params) => {
    const backend = params.backend as BackendWasm;
    const { x } = params.inputs as { x: TensorInfo };
    const { axis, keepDims } = params.attrs as unknown as SumAttrs;
    const rank = x.shape.length;
    if (x.dtype !== 'float32' || rank < 2) return fallback(params);
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const leading = axes.length === rank - 1 && axes.every((a, i) => a === i);
    const g = leading ? bind(module, backend) : null;
    if (!g) return fallback(params);
    const cols = x.shape[rank - 1]!;
    const rows = tf.util.sizeFromShape(x.shape) / Math.max(cols, 1);
    const out = backend.makeOutput(keepDims ? [...axes.map(() => 1), cols] : [cols], 'float32');
    if (cols > 0) g.gemm.sum_leading(offsetOf(backend, x), rows, cols, offsetOf(backend, out));
    return out;
  };
}

/**
 * Not a tfjs kernel: a probe's three per-unit vectors in one pass (probes.ts, unitSums).
 * inputs { pre, post, derivative? } shaped [..., units]; attrs { tau } →
 * [Σ post, #(pre > 0), #(|f′(pre)| < τ)] concatenated, f′ = 1[pre > 0] without `derivative`.
 */
export const UNIT_SUMS = 'ActlabUnitSums';

export function makeUnitSums(module: WebAssembly.Module): KernelFunc {
  return (params) => {
    const backend = params.backend as BackendWasm;
    const { pre, post, derivative } = params.inputs as { pre: TensorInfo; post: TensorInfo; derivative?: TensorInfo };
    const { tau } = params.attrs as { tau: number };
    const g = bind(module, backend);
    const inputs = [pre, post, ...(derivative ? [derivative] : [])];
    if (!g || inputs.some((t) => t.dtype !== 'float32' || !tf.util.arraysEqual(t.shape, pre.shape))) {
      throw new Error(`${UNIT_SUMS}: needs float32 tensors of one shape on the wasm heap`);
    }
    const cols = pre.shape[pre.shape.length - 1] ?? 1;
    const rows = tf.util.sizeFromShape(pre.shape) / Math.max(cols, 1);
    const out = backend.makeOutput([3 * cols], 'float32');
    if (cols > 0) {
      g.gemm.unit_sums_f32(offsetOf(backend, pre), offsetOf(backend, post), derivative ? offsetOf(backend, derivative) : 0,
        rows, cols, tau, offsetOf(backend, out));
    }
    return out;
  };
}
