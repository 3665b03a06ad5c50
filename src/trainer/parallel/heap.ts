/**
 * A tensor's float32 data in place on the wasm backend's heap, so that weights and gradients
 * leave a thread with one memcpy and no garbage (a dataSync copy a variable a step made V8
 * collect external memory often enough to stall both threads). Undefined on other backends.
 * Read only: writing a variable in place would bypass the packed filters tfjs-wasm's XNNPACK
 * convolution caches per tensor (see replica.ts, loadWeights).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export function heapView(t: tf.Tensor): Float32Array | undefined {
  if (t.dtype !== 'float32' || tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend() as BackendWasm;
  const info = backend.dataIdMap.get(t.dataId);
  if (!info) return undefined;
  // The Emscripten module has HEAPU8; tfjs's type for it omits it.
  const heap = (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8;
  return new Float32Array(heap.buffer, info.memoryOffset >>> 0, t.size);
}

/** Copies t's values into dst at `at`. */
export function readInto(t: tf.Tensor, dst: Float32Array, at: number): void {
  dst.set(heapView(t) ?? (t.dataSync() as Float32Array), at);
}
