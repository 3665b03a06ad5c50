/**
 * The backends, fastest first: 'auto' takes the first that runs; an explicit choice takes the
 * first of its own entries that runs. One file per backend; docs/recipes/backend.md.
 */
import { cpuBackend } from './cpu';
import { tensorflowBackend, tensorflowGpuBackend } from './native';
import type { BackendEntry } from './types';
import { wasmBackend } from './wasm';
import { webgpuBackend } from './webgpu';

/** webgpu on a hardware adapter only, for 'auto' (a software one when asked for: ./webgpu.ts). */
export const BACKEND_ORDER: readonly BackendEntry[] = [tensorflowGpuBackend, webgpuBackend, tensorflowBackend, wasmBackend, cpuBackend];
