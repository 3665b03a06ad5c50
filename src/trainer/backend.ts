/**
 * Picks the fastest TensorFlow.js backend that loads, in the order of ./backends/index.ts
 * (tfjs-node-gpu → webgpu on a hardware adapter → tfjs-node → wasm → cpu for 'auto'). The
 * native and GPU packages are optional and resolved at run time, so a missing one is a note in
 * BackendInfo, not a crash.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendChoice } from '../core/config';
import type { BackendInfo } from '../core/protocol';
import './kernels/gradients';
import { BACKEND_ORDER } from './backends/index';
import { nodeRequire } from './backends/nodeRequire';
import { firstLine, type BackendContext, type BackendEntry, type PackageLoader } from './backends/types';

export type { PackageLoader } from './backends/types';
export { wasmDistFolder } from './backends/wasm';

/** The four steps of one backend; undefined (with a note saying why) when one fails. */
async function tryBackend(b: BackendEntry, notes: string[], ctx: BackendContext): Promise<BackendInfo | undefined> {
  const unavailable = await b.probe(ctx);
  if (unavailable) return void notes.push(unavailable);
  try {
    b.registerKernels?.();
  } catch (err) {
    return void notes.push(`${b.name} backend failed: ${firstLine(err)}`);
  }
  const failed = await b.init();
  if (failed) return void notes.push(failed);
  const extra = b.report ? await b.report(notes) : {};
  return { name: b.name, notes, ...extra };
}

/**
 * Selects and initialises the backend; throws with the reasons when the choice cannot run.
 * Also registers our kernels for it and sets tfjs's PROD flag.
 */
export async function initBackend(choice: BackendChoice, load: PackageLoader = nodeRequire): Promise<BackendInfo> {
  // PROD skips debug bookkeeping and the cpu backend's "install tfjs-node" console banner.
  tf.env().set('PROD', true);
  const notes: string[] = [];
  for (const b of BACKEND_ORDER) {
    if (choice !== 'auto' && b.choice !== choice) continue;
    const info = await tryBackend(b, notes, { load, choice });
    if (info) return info;
  }
  // An explicit choice whose entries fall back (webgpu without an adapter) goes on as 'auto' would.
  const own = BACKEND_ORDER.filter((b) => b.choice === choice);
  if (choice !== 'auto' && own.length > 0 && own.every((b) => b.fallsBack)) {
    for (const b of BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(own.at(-1)!) + 1)) {
      const info = await tryBackend(b, notes, { load, choice: 'auto' });
      if (info) return info;
    }
  }
  throw new Error(choice === 'auto' ? `no backend could be initialised: ${notes.join('; ')}` : `backend '${choice}' unavailable: ${notes.join('; ')}`);
}
