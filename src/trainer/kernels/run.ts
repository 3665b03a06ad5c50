/** Helpers for kernels composed of other kernels of the same backend. */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { isObj } from '../../core/guards';

interface DataBackend { disposeData(dataId: object, force?: boolean): boolean }

function isDataBackend(b: unknown): b is DataBackend {
  return isObj(b) && typeof b.disposeData === 'function';
}

/**
 * Runs kernels directly (we are already inside a kernel call, so no tensors or tape): `run`
 * for temporaries, freed by `dispose`; `result` for the one output handed back.
 */
export class KernelScope {
  private readonly temps: TensorInfo[] = [];
  private readonly backend: DataBackend;

  constructor(private readonly backendName: string, backend: unknown) {
    if (!isDataBackend(backend)) throw new Error(`backend '${backendName}' cannot dispose data`);
    this.backend = backend;
  }

  run(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo {
    const out = this.result(name, inputs, attrs);
    this.temps.push(out);
    return out;
  }

  result(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo {
    const kernel = tf.getKernel(name, this.backendName);
    if (!kernel) throw new Error(`kernel '${name}' not registered for backend '${this.backendName}'`);
    const out = kernel.kernelFunc({ inputs, backend: this.backend, attrs });
    if (Array.isArray(out)) throw new Error(`kernel '${name}' returned several outputs`);
    return out;
  }

  dispose(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }
}
