/**
 * The backends, fastest first: 'auto' takes the first that runs; an explicit choice takes the
 * first of its own entries that runs. One file per backend; docs/recipes/backend.md.
 */
import { cpuBackend } from './cpu';
import { tensorflowBackend, tensorflowGpuBackend } from './native';
import type { BackendEntry } from './types';
import { wasmBackend } from './wasm';

export const BACKEND_ORDER: readonly BackendEntry[] = [tensorflowGpuBackend, tensorflowBackend, wasmBackend, cpuBackend];
