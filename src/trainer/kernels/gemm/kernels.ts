/**
 * BatchMatMul and _FusedMatMul for tfjs's wasm backend on the SIMD SGEMM module, and the
 * binding every kernel of this folder shares. Operands are read and outputs written in place
 * on the backend's own heap (the module imports that memory), so a kernel costs no copies.
 * Cases the module does not cover (non-float32, a non-vector bias, a backend whose memory cannot
 * be reached) go to the kernel registered before.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { GEMM_ACTIVATIONS, instantiateGemm, type GemmExports } from './module';

export interface Bound { gemm: GemmExports; work: number }

/** One instance per backend object: a new wasm backend has a new heap. */
const bound = new WeakMap<object, Bound | null>();

function heapMemory(backend: BackendWasm): WebAssembly.Memory | null {
  // Emscripten keeps the module's exports (memory included) under `asm`; not in tfjs's types.
  const asm = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm;
  return asm?.memory instanceof WebAssembly.Memory ? asm.memory : null;
}

function tryInstantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): GemmExports | null {
  try {
    return instantiateGemm(module, memory);
  } catch {
    return null;
  }
}

export function bind(module: WebAssembly.Module, backend: BackendWasm): Bound | null {
  let b = bound.get(backend);
  if (b !== undefined) return b;
  b = null;
  const memory = heapMemory(backend);
  // A threaded tfjs-wasm build has a shared memory, which this module's import does not match.
  const shared = memory !== null && !(memory.buffer instanceof ArrayBuffer);
  const gemm = memory && !shared ? tryInstantiate(module, memory) : null;
  if (gemm) {
    // Lives as long as the backend; 16-byte aligned for the packed panels.
    const { _malloc: malloc } = backend.wasm as unknown as { _malloc(bytes: number): number };
    const raw = malloc(gemm.gemm_workspace_bytes() + 16) >>> 0;
    b = { gemm, work: ((raw + 15) & ~15) >>> 0 };
  }
  bound.set(backend, b);
  return b;
}

export function offsetOf(backend: BackendWasm, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset >>> 0;
}

function product(dims: number[]): number {
  return dims.reduce((p, d) => p * d, 1);
}

/** Flat batch index into an operand with batch dims `shape` for flat output batch `outIndex`. */
function broadcastIndex(shape: number[], outShape: number[], outIndex: number): number {
  let index = 0;
  let stride = 1;
  let rest = outIndex;
  for (let d = outShape.length - 1, s = shape.length - 1; d >= 0; d--, s--) {
    const coord = rest % outShape[d]!;
    rest = Math.floor(rest / outShape[d]!);
    if (s < 0) continue;
    const size = shape[s]!;
    if (size !== 1) index += coord * stride;
    stride *= size;
  }
  return index;
}

interface MatMulArgs {
  a: TensorInfo; b: TensorInfo; transposeA: boolean; transposeB: boolean;
  bias: number; act: number; alpha: number;
}

function runMatMul(g: Bound, backend: BackendWasm, args: MatMulArgs): TensorInfo {
  const { a, b, transposeA, transposeB } = args;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (k !== kb) {
    throw new Error(`matMul: inner shapes ${k} and ${kb} of [${a.shape}] and [${b.shape}] ` +
      `(transposeA=${transposeA}, transposeB=${transposeB}) must match`);
  }
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const outBatch = tf.broadcast_util.assertAndGetBroadcastShape(aBatch, bBatch);
  const out = backend.makeOutput([...outBatch, m, n], 'float32');
  const batches = product(outBatch);
  if (m * n === 0) return out;
  const aOff = offsetOf(backend, a);
  const bOff = offsetOf(backend, b);
  const cOff = offsetOf(backend, out);
  const lda = a.shape[ra - 1]!;
  const ldb = b.shape[rb - 1]!;
  const ta = transposeA ? 1 : 0;
  const tb = transposeB ? 1 : 0;
  const { gemm, work } = g;
  if (!transposeA && product(bBatch) === 1 && product(aBatch) === batches) {
    // A's batches are consecutive rows against one B: a single taller GEMM.
    gemm.sgemm(m * batches, n, k, aOff, lda, 0, bOff, ldb, tb, cOff, n, args.bias, args.act, args.alpha, work);
    return out;
  }
  for (let i = 0; i < batches; i++) {
    const ai = broadcastIndex(aBatch, outBatch, i);
    const bi = broadcastIndex(bBatch, outBatch, i);
    gemm.sgemm(
      m, n, k, aOff + ai * m * k * 4, lda, ta, bOff + bi * k * n * 4, ldb, tb,
      cOff + i * m * n * 4, n, args.bias, args.act, args.alpha, work,
    );
  }
  return out;
}

function shipped(name: string, original: KernelConfig | undefined): KernelFunc {
  if (!original) throw new Error(`no shipped wasm kernel '${name}' to fall back to`);
  return original.kernelFunc;
}

export function makeBatchMatMul(module: WebAssembly.Module, original: KernelConfig | undefined): KernelFunc {
  const fallback = shipped(tf.BatchMatMul, original);
  return (params) => {
    const backend = params.backend as BackendWasm;
    const { a, b } = params.inputs as { a: TensorInfo; b: TensorInfo };
    const attrs = params.attrs as unknown as tf.BatchMatMulAttrs;
    const g = bind(module, backend);
    if (!g || a.dtype !== 'float32' || b.dtype !== 'float32') return fallback(params);
    return runMatMul(g, backend, {
      a, b, transposeA: attrs.transposeA, transposeB: attrs.transposeB, bias: 0, act: 0, alpha: 0,
    });
  };
}

/** Activations the C epilogue lacks, applied afterwards by the backend's own kernel. */
const SEPARATE_ACTIVATIONS: Record<string, string> = { elu: tf.Elu, sigmoid: tf.Sigmoid, prelu: tf.Prelu };

function disposeData(backend: BackendWasm, t: TensorInfo): void {
  backend.disposeData(t.dataId);
}

/**
 * tfjs's own wasm _FusedMatMul is also wrong with transposeB (4.22: off by ~10 % against the
 * cpu backend), so every float32 case with a vector bias runs the GEMM here.
 */
export function makeFusedMatMul(module: WebAssembly.Module, original: KernelConfig | undefined): KernelFunc {
  const fallback = shipped(tf._FusedMatMul, original);
  return (params) => {
    const backend = params.backend as BackendWasm;
    const { a, b, bias, preluActivationWeights } =
      params.inputs as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const attrs = (params.attrs ?? {}) as NamedAttrMap & Partial<tf._FusedMatMulAttrs>;
    const activation = attrs.activation ?? 'linear';
    const fused = (GEMM_ACTIVATIONS as Record<string, number>)[activation];
    const separate = SEPARATE_ACTIVATIONS[activation];
    const g = bind(module, backend);
    const n = attrs.transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
    const vectorBias = bias == null || (bias.shape.length === 1 && bias.shape[0] === n && bias.dtype === 'float32');
    if (!g || (fused === undefined && separate === undefined) || !vectorBias ||
      (activation === 'prelu' && preluActivationWeights == null) ||
      a.dtype !== 'float32' || b.dtype !== 'float32') {
      return fallback(params);
    }
    const z = runMatMul(g, backend, {
      a, b, transposeA: attrs.transposeA ?? false, transposeB: attrs.transposeB ?? false,
      bias: bias ? offsetOf(backend, bias) : 0, act: fused ?? 0, alpha: attrs.leakyreluAlpha ?? 0,
    });
    if (separate === undefined) return z;
    const kernel = tf.getKernel(separate, 'wasm');
    if (!kernel) throw new Error(`_FusedMatMul needs the wasm kernel '${separate}'`);
    const inputs = activation === 'prelu' ? { x: z, alpha: preluActivationWeights! } : { x: z };
    const y = kernel.kernelFunc({ inputs, backend, attrs: {} });
    disposeData(backend, z);
    if (Array.isArray(y)) throw new Error(`kernel '${separate}' returned several outputs`);
    return y;
  };
}
