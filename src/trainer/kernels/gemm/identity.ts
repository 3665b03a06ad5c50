/**
 * Identity for the wasm backend without the copy: the output shares the input's heap block
 * (reference-counted, as the cpu backend and wasm's own Reshape do). tfjs-wasm copies the data;
 * a training step calls Identity a few dozen times (gradient bookkeeping), whole activations
 * included. Strings keep the previous kernel.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export function makeIdentity(_module: WebAssembly.Module, original: KernelConfig | undefined): KernelFunc {
  if (!original) throw new Error("no wasm kernel 'Identity' to fall back to");
  const fallback = original.kernelFunc;
  return (params) => {
    const backend = params.backend as BackendWasm;
    const { x } = params.inputs as { x: TensorInfo };
    if (x.dtype === 'string') return fallback(params);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
