/**
 * Picks the fastest TensorFlow.js backend that loads: tfjs-node-gpu → tfjs-node → wasm → cpu
 * for 'auto'. The native packages are optional and resolved at run time, so a missing one is
 * a note in BackendInfo, not a crash.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import type { BackendChoice, BackendName } from '../core/config';
import type { BackendInfo } from '../core/protocol';
import './kernels/gradients';
import { registerGemmKernels } from './kernels/gemm/index';
import { registerCpuKernels, registerWasmKernels } from './kernels/index';

// A require that esbuild leaves alone (all @tensorflow/* are external in the bundle), resolving
// from this file (dist/trainer.js once bundled) rather than from the working directory.
const nodeRequire = createRequire(typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js'));

interface NativeCandidate { pkg: string; name: BackendName; missingNote: string }

const NATIVE: NativeCandidate[] = [
  { pkg: '@tensorflow/tfjs-node-gpu', name: 'tensorflow-gpu', missingNote: 'tfjs-node-gpu not installed' },
  {
    pkg: '@tensorflow/tfjs-node',
    name: 'tensorflow',
    missingNote: 'tfjs-node not installed (optional dependency; see README: native backend)',
  },
];

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0] ?? msg;
}

function isMissingModule(err: unknown, pkg: string): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND'
    && err.message.includes(`'${pkg}'`);
}

/** Loads a package by name; tests substitute it to simulate installed or broken packages. */
export type PackageLoader = (pkg: string) => unknown;

/** Loads a native package (it registers the 'tensorflow' backend) and switches to it. */
async function tryNative(c: NativeCandidate, notes: string[], load: PackageLoader): Promise<boolean> {
  try {
    load(c.pkg);
  } catch (err) {
    notes.push(isMissingModule(err, c.pkg) ? c.missingNote : `${c.pkg} failed to load: ${firstLine(err)}`);
    return false;
  }
  try {
    if (await tf.setBackend('tensorflow')) return true;
    notes.push(`${c.pkg} loaded but its backend did not initialise`);
  } catch (err) {
    notes.push(`${c.pkg} backend failed: ${firstLine(err)}`);
  }
  return false;
}

/** The folder holding the .wasm binaries, with the trailing separator setWasmPaths needs. */
export function wasmDistFolder(): string {
  return dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm')) + sep;
}

let wasmPathsSet = false;

async function tryWasm(notes: string[]): Promise<BackendInfo | undefined> {
  try {
    if (!wasmPathsSet) {
      setWasmPaths(wasmDistFolder());
      wasmPathsSet = true;
    }
    registerWasmKernels();
    // setBackend resolves false (it does not throw) when the module fails to initialise.
    if (!(await tf.setBackend('wasm'))) {
      notes.push('wasm backend failed to initialise');
      return undefined;
    }
  } catch (err) {
    notes.push(`wasm backend failed: ${firstLine(err)}`);
    return undefined;
  }
  try {
    // Over ours, which they fall back to. Resolves false without an error when disabled
    // (ACTLAB_NATIVE_GEMM=0) or without wasm SIMD: tfjs's kernels with our fixes do the work.
    await registerGemmKernels();
  } catch (err) {
    notes.push(`native GEMM kernels not used: ${firstLine(err)}`);
  }
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  return { name: 'wasm', notes, simd, threads };
}

async function useCpu(notes: string[]): Promise<BackendInfo> {
  registerCpuKernels();
  if (!(await tf.setBackend('cpu'))) throw new Error(`cpu backend failed to initialise (${notes.join('; ')})`);
  return { name: 'cpu', notes };
}

/**
 * Selects and initialises the backend; throws with the reasons when the choice cannot run.
 * Also registers our kernels for it and sets tfjs's PROD flag.
 */
export async function initBackend(choice: BackendChoice, load: PackageLoader = nodeRequire): Promise<BackendInfo> {
  // PROD skips debug bookkeeping and the cpu backend's "install tfjs-node" console banner.
  tf.env().set('PROD', true);
  const notes: string[] = [];
  if (choice === 'auto' || choice === 'tensorflow') {
    for (const c of NATIVE) {
      if (await tryNative(c, notes, load)) return { name: c.name, notes };
    }
    if (choice === 'tensorflow') {
      throw new Error(`backend 'tensorflow' unavailable: ${notes.join('; ')}`);
    }
  }
  if (choice === 'auto' || choice === 'wasm') {
    const info = await tryWasm(notes);
    if (info) return info;
    if (choice === 'wasm') throw new Error(`backend 'wasm' unavailable: ${notes.join('; ')}`);
  }
  return useCpu(notes);
}
