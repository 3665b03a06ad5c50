/**
 * Seeded noise on the wasm heap (native/noise.c), bit for bit the JS generator of
 * random/ziggurat.ts: N(0, σ²) and U(lo, hi) tensors drawn in place (no JS fill, no upload),
 * and N-ReLU's training forward fused with its noise into one pass.
 * Not tfjs kernels: activations/noise.ts and activations/noisy.ts run them when registered.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { fn, kn, LAYERS, seedState, wn } from '../../random/ziggurat';
import { bind, offsetOf, type Bound } from './kernels';

/** attrs { shape, sigma, seed } → float32 N(0, σ²), as fillNormal. */
export const NORMAL = 'ActlabNormal';
/** attrs { shape, lo, hi, seed } → float32 U(lo, hi), as fillUniform. */
export const UNIFORM = 'ActlabUniform';
/** inputs { x }, attrs { sigma, seed } → [x where x > 0 else σ·z, 1[x > 0]]. */
export const NRELU_TRAIN = 'ActlabNReluTrain';

/** The ziggurat tables' copy on each heap, laid out as noise.c reads them. */
const tablesOn = new WeakMap<Bound, number>();

function tables(backend: BackendWasm, g: Bound): number {
  let at = tablesOn.get(g);
  if (at !== undefined) return at;
  const { _malloc: malloc, HEAPU8: heap } = backend.wasm as unknown as { _malloc(bytes: number): number; HEAPU8: Uint8Array };
  at = ((malloc(20 * LAYERS + 8) >>> 0) + 7) & ~7;
  new Int32Array(heap.buffer, at, LAYERS).set(kn);
  new Float64Array(heap.buffer, at + 4 * LAYERS, LAYERS).set(wn);
  new Float64Array(heap.buffer, at + 12 * LAYERS, LAYERS).set(fn);
  tablesOn.set(g, at);
  return at;
}

function bound(module: WebAssembly.Module, backend: BackendWasm, name: string): Bound {
  const g = bind(module, backend);
  if (!g) throw new Error(`${name}: the wasm heap cannot be reached`);
  return g;
}

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

function state(seed: number): [number, number, number, number] {
  const s = seedState(seed);
  return [s[0]!, s[1]!, s[2]!, s[3]!];
}

export function makeNormal(module: WebAssembly.Module): KernelFunc {
  return (params) => {
    const backend = params.backend as BackendWasm;
    const { shape, sigma, seed } = params.attrs as { shape: number[]; sigma: number; seed: number };
    const g = bound(module, backend, NORMAL);
    const out = backend.makeOutput(shape, 'float32');
    const n = size(shape);
    if (n > 0) g.gemm.normal_f32(offsetOf(backend, out), n, sigma, ...state(seed), tables(backend, g));
    return out;
  };
}

export function makeUniform(module: WebAssembly.Module): KernelFunc {
  return (params) => {
    const backend = params.backend as BackendWasm;
    const { shape, lo, hi, seed } = params.attrs as { shape: number[]; lo: number; hi: number; seed: number };
    const g = bound(module, backend, UNIFORM);
    const out = backend.makeOutput(shape, 'float32');
    const n = size(shape);
    if (n > 0) g.gemm.uniform_f32(offsetOf(backend, out), n, lo, hi, ...state(seed));
    return out;
  };
}

export function makeNReluTrain(module: WebAssembly.Module): KernelFunc {
  return (params) => {
    const backend = params.backend as BackendWasm;
    const { x } = params.inputs as { x: TensorInfo };
    const { sigma, seed } = params.attrs as { sigma: number; seed: number };
    if (x.dtype !== 'float32') throw new Error(`${NRELU_TRAIN}: needs float32`);
    const g = bound(module, backend, NRELU_TRAIN);
    const y = backend.makeOutput(x.shape, 'float32');
    const mask = backend.makeOutput(x.shape, 'float32');
    const n = size(x.shape);
    if (n > 0) {
      g.gemm.nrelu_train_f32(offsetOf(backend, x), offsetOf(backend, y), offsetOf(backend, mask), n,
        sigma, ...state(seed), tables(backend, g));
    }
    return [y, mask];
  };
}
