/**
 * The SIMD SGEMM wasm module (native/gemm.c). It has no runtime of its own and imports its
 * memory, so it can be instantiated on tfjs's wasm heap and read/write tensors in place.
 */
import { GEMM_WASM_BASE64 } from './gemmWasm';

/** Fused activations the C epilogue applies (ACT_* in gemm.c), by tfjs's attribute name. */
export const GEMM_ACTIVATIONS = { linear: 0, relu: 1, relu6: 2, leakyrelu: 3 } as const;

/** Byte offsets into the module's memory; see native/gemm.c for the contract. */
export interface GemmExports {
  sgemm(
    m: number, n: number, k: number,
    a: number, lda: number, transA: number,
    b: number, ldb: number, transB: number,
    c: number, ldc: number,
    bias: number, act: number, alpha: number, work: number,
  ): void;
  /** Conv geometry, in this order, ends every conv entry point (see CONV_PARAMS in gemm.c). */
  conv2d(x: number, filter: number, y: number, bias: number, act: number, alpha: number, work: number, ...geometry: number[]): void;
  conv2d_backprop_input(dy: number, filter: number, dx: number, work: number, ...geometry: number[]): void;
  conv2d_backprop_filter(x: number, dy: number, dfilter: number, work: number, ...geometry: number[]): void;
  maxpool_grad_tiled(
    x: number, dy: number, dx: number, n: number, h: number, w: number, c: number,
    oh: number, ow: number, ph: number, pw: number,
  ): void;
  sum_leading(x: number, rows: number, cols: number, out: number): void;
  unit_sums_f32(pre: number, post: number, deriv: number, rows: number, cols: number, tau: number, out: number): void;
  exp_f32(x: number, y: number, n: number): void;
  erf_f32(x: number, y: number, n: number): void;
  gelu_f32(x: number, y: number, n: number): void;
  gelu_train_f32(x: number, y: number, d: number, n: number): void;
  adam_update(
    w: number, g: number, m: number, v: number, w2: number, m2: number, v2: number, n: number,
    lr: number, b1: number, b2: number, eps: number, c1: number, c2: number,
  ): void;
  /** native/noise.c; `tables` holds the ziggurat's tables (kernels/gemm/noise.ts). */
  normal_f32(out: number, n: number, sigma: number, s0: number, s1: number, s2: number, s3: number, tables: number): void;
  uniform_f32(out: number, n: number, lo: number, hi: number, s0: number, s1: number, s2: number, s3: number): void;
  nrelu_train_f32(
    x: number, y: number, mask: number, n: number, sigma: number,
    s0: number, s1: number, s2: number, s3: number, tables: number,
  ): void;
  gemm_workspace_bytes(): number;
}

let compiled: Promise<WebAssembly.Module | null> | undefined;

export function gemmWasmBytes(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(GEMM_WASM_BASE64, 'base64'));
}

/** Compiles once per process; null where the engine lacks wasm SIMD. */
export function compileGemm(): Promise<WebAssembly.Module | null> {
  compiled ??= (async () => {
    const bytes = gemmWasmBytes();
    if (!WebAssembly.validate(bytes)) return null;
    return WebAssembly.compile(bytes);
  })();
  return compiled;
}

function isGemmExports(x: unknown): x is GemmExports {
  const e = x as Partial<GemmExports> | null;
  return typeof e?.sgemm === 'function' && typeof e.gemm_workspace_bytes === 'function' &&
    typeof e.conv2d === 'function' && typeof e.conv2d_backprop_input === 'function' &&
    typeof e.conv2d_backprop_filter === 'function' && typeof e.maxpool_grad_tiled === 'function' &&
    typeof e.sum_leading === 'function' && typeof e.adam_update === 'function' &&
    typeof e.exp_f32 === 'function' && typeof e.erf_f32 === 'function' &&
    typeof e.gelu_f32 === 'function' && typeof e.gelu_train_f32 === 'function' &&
    typeof e.normal_f32 === 'function' && typeof e.uniform_f32 === 'function' &&
    typeof e.nrelu_train_f32 === 'function' && typeof e.unit_sums_f32 === 'function';
}

export function instantiateGemm(module: WebAssembly.Module, memory: WebAssembly.Memory): GemmExports {
  // noise.c's rare ziggurat branches call the engine's own log and exp, to match the JS generator.
  const instance = new WebAssembly.Instance(module, { env: { memory, log: Math.log, exp: Math.exp } });
  if (!isGemmExports(instance.exports)) throw new Error('gemm.wasm lacks its exports');
  return instance.exports;
}
