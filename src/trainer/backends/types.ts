/**
 * One TensorFlow.js backend the trainer can run on, as the four steps initBackend takes for it
 * (src/trainer/backend.ts): probe, register our kernels, init, report. The ordered list of them
 * is ./index.ts; docs/recipes/backend.md says how to add one.
 */
import type { BackendChoice, BackendName } from '../../core/config';
import type { BackendInfo } from '../../core/protocol';

/** Loads a package by name; tests substitute it to simulate installed or broken packages. */
export type PackageLoader = (pkg: string) => unknown;

export interface BackendContext {
  load: PackageLoader;
  /** What the config asked for: 'auto', or this entry's own choice. */
  choice: BackendChoice;
}

/** A reason a backend was not used; it becomes one of BackendInfo's notes. */
export type Why = string;

export interface BackendEntry {
  /** What BackendInfo.name says when it runs. */
  name: BackendName;
  /** The config's `backend` value that asks for it alone ('auto' tries every entry in order). */
  choice: Exclude<BackendChoice, 'auto'>;
  /** 1. Can it run here? Loads what it needs (its package, its binaries' location). */
  probe(ctx: BackendContext): Promise<Why | undefined> | Why | undefined;
  /** 2. Our kernels that must replace tfjs's before its first step (src/trainer/kernels). */
  registerKernels?(): void;
  /** 3. Switches tfjs to it. */
  init(): Promise<Why | undefined>;
  /**
   * 4. What jobStart's BackendInfo records beyond name and notes; also registers the kernels
   * that need the running backend (wasm's SIMD GEMM), noting why when it cannot.
   */
  report?(notes: Why[]): Promise<Omit<BackendInfo, 'name' | 'notes'>>;
  /**
   * Asked for explicitly but unavailable, go on down the order (the entries after it, as
   * 'auto' would) instead of failing the job: a GPU is a property of the machine, not of the
   * config, and the note says why it was not used. Default false (the choice fails).
   */
  fallsBack?: boolean;
}

export function isMissingModule(err: unknown, pkg: string): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND'
    && err.message.includes(`'${pkg}'`);
}

export function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0] ?? msg;
}
