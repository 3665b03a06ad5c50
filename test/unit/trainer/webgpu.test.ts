// The webgpu backend's choices, with Dawn substituted (no GPU needed): which adapter 'auto' takes,
// what a missing loader, adapter or package leaves as a note, and where the job goes then. The
// same on a real (software) adapter: test/integration/webgpu.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type PackageLoader } from '../../../src/trainer/backend';
import { nodeRequire } from '../../../src/trainer/backends/nodeRequire';
import { backendLabel, type JobStartEvent } from '../../../src/core/protocol';
import { deviceFault, isSoftwareAdapter, noAdapterReason, type AdapterLike, type DawnModule } from '../../../src/trainer/backends/webgpu';

const missing = (pkg: string): Error => Object.assign(new Error(`Cannot find module '${pkg}'`), { code: 'MODULE_NOT_FOUND' });

/** A loader where tfjs-node(-gpu) are absent and Dawn offers `adapter` (null: none). */
function loaderWith(adapter: AdapterLike | null, tfjsWebgpu: 'fake' | 'missing' = 'fake'): { load: PackageLoader; requests: () => number } {
  let requests = 0;
  const dawn: DawnModule = {
    create: () => ({ requestAdapter: async () => { requests++; return adapter; } }),
    globals: {},
  };
  const load: PackageLoader = (pkg) => {
    if (pkg.startsWith('@tensorflow/tfjs-node')) throw missing(pkg);
    if (pkg === 'webgpu') return dawn;
    // "Installed", registers nothing: the probe says so rather than crash.
    if (pkg === '@tensorflow/tfjs-backend-webgpu') {
      if (tfjsWebgpu === 'missing') throw missing(pkg);
      return {};
    }
    return nodeRequire(pkg);
  };
  return { load, requests: () => requests };
}

const LAVAPIPE: AdapterLike = { info: { vendor: 'mesa', architecture: 'software', device: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' } };
const NVIDIA: AdapterLike = { info: { vendor: 'nvidia', architecture: 'ada', device: '', description: 'NVIDIA GeForce RTX 4090' } };

test('software adapters are recognised by their adapter info', () => {
  assert.equal(isSoftwareAdapter(LAVAPIPE.info!), true);
  assert.equal(isSoftwareAdapter({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)' }), true);
  assert.equal(isSoftwareAdapter({ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' }), true);
  assert.equal(isSoftwareAdapter({ vendor: 'apple', architecture: 'metal-3', description: 'Apple M2' }), false);
  assert.equal(isSoftwareAdapter({ vendor: 'amd', architecture: 'rdna-3', description: 'AMD Radeon RX 7900 XTX (RADV NAVI31)' }), false);
  assert.equal(isSoftwareAdapter({ ...NVIDIA.info, isFallbackAdapter: true }), true, 'the spec\'s fallback flag counts too');
});

test("'auto' never takes a software adapter: the note says why, and wasm runs", async () => {
  const info = await initBackend('auto', loaderWith(LAVAPIPE).load);
  assert.equal(info.name, 'wasm');
  const note = info.notes.find((n) => n.startsWith('webgpu:'));
  assert.match(note ?? '', /software renderer \(llvmpipe.*\).*only when asked for/, info.notes.join('; '));
  assert.equal(info.adapter, undefined);
});

test("'auto' tries webgpu on a hardware adapter (here its tfjs package registers nothing: a note, then wasm)", async () => {
  const info = await initBackend('auto', loaderWith(NVIDIA).load);
  assert.equal(info.name, 'wasm');
  assert.ok(info.notes.some((n) => /tfjs-backend-webgpu registered no backend/.test(n)), info.notes.join('; '));
  assert.ok(!info.notes.some((n) => /software/.test(n)));
});

test('no adapter (no Vulkan loader or driver): a note with the reason, and the job falls back to wasm, asked for or not', async () => {
  for (const choice of ['auto', 'webgpu'] as const) {
    const info = await initBackend(choice, loaderWith(null).load);
    assert.equal(info.name, 'wasm', choice);
    assert.equal(tf.getBackend(), 'wasm');
    assert.ok(info.notes.some((n) => n.startsWith('webgpu: no GPU adapter: ')), info.notes.join('; '));
  }
});

test("an explicit 'webgpu' takes the software adapter, and without its packages falls back with the reason", async () => {
  const lava = await initBackend('webgpu', loaderWith(LAVAPIPE, 'missing').load);
  assert.equal(lava.name, 'wasm');
  assert.ok(lava.notes.includes('@tensorflow/tfjs-backend-webgpu not installed (optional dependency)'), lava.notes.join('; '));
  const load: PackageLoader = (pkg) => { if (pkg === 'webgpu' || pkg.startsWith('@tensorflow/tfjs-node')) throw missing(pkg); return nodeRequire(pkg); };
  const none = await initBackend('webgpu', load);
  assert.equal(none.name, 'wasm');
  assert.deepEqual(none.notes.slice(0, 1), ['webgpu not installed (optional dependency; see README: Backends)']);
  // On down the order as 'auto' would: tfjs-node's note follows.
  assert.ok(none.notes.some((n) => n.startsWith('tfjs-node not installed')), none.notes.join('; '));
});

test('the no-adapter reason names what to install', () => {
  assert.match(noAdapterReason('linux', () => false), /libvulkan\.so\.1 is not installed.*apt-get install libvulkan1/);
  assert.match(noAdapterReason('linux', () => true), /no Vulkan driver offered an adapter/);
  assert.match(noAdapterReason('darwin'), /Metal/);
  assert.match(noAdapterReason('win32'), /D3D12/);
});

test('device faults are reported on webgpu only', async () => {
  await initBackend('cpu');
  assert.equal(deviceFault(new Error('Out of memory')), undefined, 'not on the cpu backend');
});

test('the label shows the adapter, and says software when it is', () => {
  const start = (adapter?: JobStartEvent['backend']['adapter'], threads?: number): JobStartEvent => ({
    type: 'jobStart', v: 1, t: 0, jobId: 'a#1', backend: { name: adapter ? 'webgpu' : 'wasm', notes: [], ...(adapter ? { adapter } : {}) },
    parameters: 1, stepsPerEpoch: 1, epochs: 1, trainSize: 1, testSize: 1, ...(threads ? { threads } : {}),
  });
  assert.equal(backendLabel(start(undefined, 2)), 'wasm ×2');
  assert.equal(backendLabel(start({ vendor: 'nvidia', architecture: 'ada', device: '', description: 'NVIDIA GeForce RTX 4090', software: false })), 'webgpu (NVIDIA GeForce RTX 4090)');
  assert.equal(backendLabel(start({ vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1', software: true })), 'webgpu (llvmpipe, software)');
});

test('no synchronous read-back in the trainer outside the wasm-only data-parallel code (dataSync throws on webgpu)', () => {
  const root = join(__dirname, '..', '..', '..', 'src', 'trainer');
  const offenders: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        // parallel/: replicas, wasm only (core/threads.ts usefulThreads); kernels/: registered for wasm and cpu only.
        if (name !== 'parallel' && name !== 'kernels') walk(p);
        continue;
      }
      if (!p.endsWith('.ts')) continue;
      readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
        if (/\.(dataSync|arraySync|bufferSync)\(/.test(line) && !line.trim().startsWith('*') && !line.trim().startsWith('//')) offenders.push(`${p}:${i + 1}`);
      });
    }
  };
  walk(root);
  assert.deepEqual(offenders, []);
});
