/**
 * WebGPU: @tensorflow/tfjs-backend-webgpu on Dawn's Node bindings (npm `webgpu`: Vulkan on Linux,
 * Metal on macOS, D3D12 on Windows; prebuilt, no CUDA). Both are optional dependencies.
 *
 * - tfjs-backend-webgpu registers itself only if `navigator.gpu` exists when it is imported, and
 *   needs the GPUBufferUsage / GPUMapMode / GPUTextureUsage globals: probe sets them up first.
 * - 'auto' uses it only on a hardware adapter: a software one (Mesa llvmpipe/lavapipe,
 *   SwiftShader, WARP), found by its adapter info, is slower than wasm and is taken only when a
 *   config asks for 'webgpu' (the CI tests do, on lavapipe: scripts/gpu/ensure-lavapipe.sh).
 * - No adapter (no Vulkan loader, no driver) is a note saying which, and the job goes on down
 *   the order (fallsBack), to wasm on most machines.
 * - `dataSync()` throws on this backend in Node (its synchronous read needs OffscreenCanvas):
 *   the trainer reads with `await data()` on every path webgpu runs (data-parallel replicas,
 *   which read synchronously, are wasm-only). The trainer's wasm kernels (seeded noise, fused
 *   GELU, fused Adam, the probe sums) are not registered here, so tfjs ops run instead; the
 *   noise is drawn by the same JS generator and uploaded, so a seed gives the same numbers.
 * - Device errors (out of memory, a lost device) arrive asynchronously: the first is kept, and
 *   `deviceFault()` turns it (or an error that reads like one) into a job failure with a hint.
 */
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GpuAdapterInfo } from '../../core/protocol';
import { nodeRequire } from './nodeRequire';
import { firstLine, isMissingModule, type BackendEntry, type PackageLoader, type Why } from './types';

const DAWN_PACKAGE = 'webgpu';
const TFJS_PACKAGE = '@tensorflow/tfjs-backend-webgpu';

type InfoFields = Partial<Record<'vendor' | 'architecture' | 'device' | 'description', string>> & { isFallbackAdapter?: boolean };

/** The parts of a GPUAdapter this file reads. */
export interface AdapterLike {
  info?: InfoFields;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?(): Promise<InfoFields>;
}

export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<AdapterLike | null>;
}

/** npm `webgpu`'s exports. */
export interface DawnModule {
  create(options: string[]): GpuLike;
  globals: Record<string, unknown>;
}

interface DeviceLike {
  lost?: Promise<{ reason?: string; message?: string }>;
  addEventListener?(type: 'uncapturederror', listener: (e: { error?: { message?: string; constructor?: { name?: string } } }) => void): void;
}

/** What tfjs's webgpu backend requests (so the adapter inspected is the one it gets). */
const ADAPTER_OPTIONS = { powerPreference: 'high-performance' } as const;

/** Adapter info naming a software renderer: Mesa llvmpipe (lavapipe), SwiftShader, WARP, ... */
const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|\bsoftware\b|microsoft basic render|\bwarp\b/i;

export function isSoftwareAdapter(info: InfoFields): boolean {
  return info.isFallbackAdapter === true
    || [info.vendor, info.architecture, info.device, info.description].some((s) => typeof s === 'string' && SOFTWARE.test(s));
}

export function describeAdapter(a: GpuAdapterInfo): string {
  const parts = [a.description || a.device, a.vendor && `vendor ${a.vendor}`, a.architecture && `architecture ${a.architecture}`].filter(Boolean);
  return parts.join(', ') || 'no adapter info';
}

async function adapterInfo(adapter: AdapterLike): Promise<GpuAdapterInfo> {
  const raw: InfoFields = adapter.info ?? (adapter.requestAdapterInfo ? await adapter.requestAdapterInfo() : {});
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const info: GpuAdapterInfo = {
    vendor: str(raw.vendor), architecture: str(raw.architecture), device: str(raw.device), description: str(raw.description),
    software: isSoftwareAdapter({ ...raw, isFallbackAdapter: raw.isFallbackAdapter ?? adapter.isFallbackAdapter }),
  };
  return info;
}

/**
 * npm `webgpu` is an ES module: Node 20's require refuses it (ERR_REQUIRE_ESM), so it is
 * imported by its resolved path (a computed specifier, which the bundler leaves to Node). A
 * substituted loader (tests) answers synchronously.
 */
async function loadDawn(load: PackageLoader): Promise<DawnModule> {
  try {
    return load(DAWN_PACKAGE) as DawnModule;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw err;
    const url = pathToFileURL(nodeRequire.resolve(DAWN_PACKAGE)).href;
    return (await import(url)) as DawnModule;
  }
}

/** Dawn's options (`create([...])`), e.g. ACTLAB_WEBGPU_OPTIONS="backend=vulkan,adapter=NVIDIA". */
function dawnOptions(): string[] {
  return (process.env.ACTLAB_WEBGPU_OPTIONS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** One GPU object per Dawn module (a substituted module gets its own). */
const gpus = new WeakMap<object, GpuLike>();

function gpuOf(dawn: DawnModule): GpuLike {
  let gpu = gpus.get(dawn);
  if (!gpu) {
    gpu = dawn.create(dawnOptions());
    gpus.set(dawn, gpu);
  }
  return gpu;
}

/**
 * What tfjs-backend-webgpu needs to find at import: `navigator.gpu` (Node 20 has no navigator;
 * Node 21+ has one without gpu) and the GPU* constants. Its first requestAdapter gets the
 * adapter the probe inspected; any later one asks Dawn again.
 */
function installNavigatorGpu(dawn: DawnModule, gpu: GpuLike, adapter: AdapterLike): void {
  for (const [k, v] of Object.entries(dawn.globals ?? {})) {
    if (!(k in globalThis)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  }
  let first: AdapterLike | undefined = adapter;
  const wrapped: GpuLike = {
    requestAdapter(options) {
      const a = first;
      first = undefined;
      return a ? Promise.resolve(a) : gpu.requestAdapter(options);
    },
  };
  const g = globalThis as unknown as { navigator?: object };
  if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: wrapped, configurable: true, writable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu: wrapped }, configurable: true, writable: true });
}

/** Whether a shared library can be found by the dynamic loader (Linux). */
function libraryFound(name: string): boolean {
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib64', '/lib'];
  if (dirs.some((d) => existsSync(join(d, name)))) return true;
  try {
    return readFileSync('/etc/ld.so.cache').includes(name);
  } catch {
    return false;
  }
}

/** Why Dawn offered no adapter, with what to install. */
export function noAdapterReason(platform: NodeJS.Platform = process.platform, hasLoader = libraryFound): string {
  if (platform === 'linux') {
    if (!hasLoader('libvulkan.so.1')) {
      return 'the Vulkan loader libvulkan.so.1 is not installed (Debian/Ubuntu: apt-get install libvulkan1, plus the GPU\'s Vulkan driver: NVIDIA\'s, or mesa-vulkan-drivers for AMD and Intel)';
    }
    const icd = process.env.VK_DRIVER_FILES ?? process.env.VK_ICD_FILENAMES;
    return `no Vulkan driver offered an adapter${icd ? ` (VK_DRIVER_FILES=${icd})` : ''}: install the GPU's Vulkan driver (\`vulkaninfo --summary\` lists what Vulkan sees)`;
  }
  if (platform === 'darwin') return 'Metal offered no adapter';
  if (platform === 'win32') return 'D3D12 offered no adapter: update the GPU driver';
  return `no prebuilt Dawn support on ${platform}`;
}

/** The adapter of the last successful probe (reported by jobStart), and the first device error. */
let current: GpuAdapterInfo | undefined;
let fault: string | undefined;
let watched: DeviceLike | undefined;

function watchDevice(): void {
  const device = (tf.backend() as { device?: DeviceLike }).device;
  if (!device || device === watched) return;
  watched = device;
  device.addEventListener?.('uncapturederror', (e) => {
    const kind = e.error?.constructor?.name;
    fault ??= `${kind && kind !== 'Object' ? `${kind}: ` : ''}${e.error?.message ?? 'unknown GPU error'}`;
  });
  void device.lost?.then((info) => {
    // 'destroyed' is our own doing (process end), not a fault.
    if (info.reason !== 'destroyed') fault ??= `the GPU device was lost (${info.reason ?? 'unknown'}: ${info.message ?? ''})`;
  });
}

const OOM = /out of memory|outofmemory|failed to allocate|allocation failed|larger than the maximum|exceeds the max|maxBufferSize|maxStorageBufferBindingSize/i;
const HINT = 'the GPU ran out of memory or the tensor is larger than the device allows: try a smaller batchSize or model, fewer GPU jobs at once, or backend "wasm"';

/**
 * On webgpu, a job failure's message: the device error behind it (or that an error reads like),
 * with a hint when it is memory. Undefined when the backend is not webgpu or nothing is known.
 */
export function deviceFault(err?: unknown): string | undefined {
  if (tf.getBackend() !== 'webgpu') return undefined;
  const msg = err === undefined ? undefined : err instanceof Error ? err.message : String(err);
  const what = fault ?? (msg !== undefined && OOM.test(msg) ? msg : undefined);
  if (what === undefined) return undefined;
  return OOM.test(what) ? `GPU error: ${firstLine(what)} (${HINT})` : `GPU error: ${firstLine(what)}`;
}

/** Throws the device's first asynchronous error, if any (checked after each step's read-back). */
export function throwIfDeviceFault(): void {
  const f = fault === undefined ? undefined : deviceFault();
  if (f) throw new Error(f);
}

/** The device memory tfjs holds (its buffer pool, in MB), on webgpu; undefined elsewhere. */
export function gpuMemoryMB(): number | undefined {
  if (tf.getBackend() !== 'webgpu') return undefined;
  const m = tf.memory() as { numBytesAllocatedInGPU?: number; numBytesInGPU?: number };
  const bytes = m.numBytesAllocatedInGPU ?? m.numBytesInGPU;
  return typeof bytes === 'number' ? Math.round((bytes / 2 ** 20) * 100) / 100 : undefined;
}

async function probe(load: PackageLoader, auto: boolean): Promise<Why | undefined> {
  let dawn: DawnModule;
  try {
    dawn = await loadDawn(load);
  } catch (err) {
    return isMissingModule(err, DAWN_PACKAGE) ? 'webgpu not installed (optional dependency; see README: Backends)' : `webgpu (Dawn) failed to load: ${firstLine(err)}`;
  }
  // Already running in this process: the same adapter (a GPUAdapter gives one device).
  if (current && tf.findBackend('webgpu')) {
    return current.software && auto ? softwareNote(current) : undefined;
  }
  if (typeof dawn?.create !== 'function') return `webgpu (Dawn) failed to load: it exports no create()`;
  let adapter: AdapterLike | null;
  try {
    adapter = await gpuOf(dawn).requestAdapter(ADAPTER_OPTIONS);
  } catch (err) {
    return `webgpu: requesting an adapter failed: ${firstLine(err)}`;
  }
  if (!adapter) return `webgpu: no GPU adapter: ${noAdapterReason()}`;
  const info = await adapterInfo(adapter);
  if (info.software && auto) return softwareNote(info);
  installNavigatorGpu(dawn, gpuOf(dawn), adapter);
  try {
    load(TFJS_PACKAGE);
  } catch (err) {
    return isMissingModule(err, TFJS_PACKAGE) ? `${TFJS_PACKAGE} not installed (optional dependency)` : `${TFJS_PACKAGE} failed to load: ${firstLine(err)}`;
  }
  if (!tf.findBackendFactory('webgpu')) return `${TFJS_PACKAGE} registered no backend (it was imported before navigator.gpu was set)`;
  current = info;
  return undefined;
}

function softwareNote(info: GpuAdapterInfo): Why {
  return `webgpu: the only adapter is a software renderer (${describeAdapter(info)}), slower than wasm: used only when asked for (backend "webgpu")`;
}

export const webgpuBackend: BackendEntry = {
  name: 'webgpu',
  choice: 'webgpu',
  fallsBack: true,
  probe: ({ load, choice }) => probe(load, choice === 'auto'),
  async init() {
    try {
      if (!(await tf.setBackend('webgpu'))) return 'webgpu backend failed to initialise';
      watchDevice();
      return undefined;
    } catch (err) {
      return `webgpu backend failed: ${firstLine(err)}`;
    }
  },
  async report() {
    return current ? { adapter: current } : {};
  },
};
