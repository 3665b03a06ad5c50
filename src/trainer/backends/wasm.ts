/**
 * tfjs-backend-wasm: WebAssembly, everywhere, with our kernel fixes and the SIMD GEMM kernels
 * (src/trainer/kernels). Records whether SIMD and threads were detected.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { dirname, sep } from 'node:path';
import { registerGemmKernels } from '../kernels/gemm/index';
import { registerWasmKernels } from '../kernels/index';
import { nodeRequire } from './nodeRequire';
import { firstLine, type BackendEntry } from './types';

/** The folder holding the .wasm binaries, with the trailing separator setWasmPaths needs. */
export function wasmDistFolder(): string {
  return dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm')) + sep;
}

let wasmPathsSet = false;

export const wasmBackend: BackendEntry = {
  name: 'wasm',
  choice: 'wasm',
  probe() {
    try {
      if (!wasmPathsSet) {
        setWasmPaths(wasmDistFolder());
        wasmPathsSet = true;
      }
      return undefined;
    } catch (err) {
      return `wasm backend failed: ${firstLine(err)}`;
    }
  },
  registerKernels: registerWasmKernels,
  async init() {
    try {
      // setBackend resolves false (it does not throw) when the module fails to initialise.
      return (await tf.setBackend('wasm')) ? undefined : 'wasm backend failed to initialise';
    } catch (err) {
      return `wasm backend failed: ${firstLine(err)}`;
    }
  },
  async report(notes) {
    try {
      // Over ours, which they fall back to. Resolves false without an error when disabled
      // (ACTLAB_NATIVE_GEMM=0) or without wasm SIMD: tfjs's kernels with our fixes do the work.
      await registerGemmKernels();
    } catch (err) {
      notes.push(`native GEMM kernels not used: ${firstLine(err)}`);
    }
    const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    const threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
    return { simd, threads };
  },
};
