/**
 * GPU figures. `npm run bench -- --gpu-quick` (sized to finish in about 5 minutes on a GPU
 * machine): the trainer's own step on webgpu, beside wasm (one thread) and PyTorch CUDA when
 * `torch.cuda.is_available()` (bench/torch_gpu.py), for
 *   - MLP 784-256-128-10 at batch 128 and at batch 1,024,
 *   - the CNN (conv3×3(16)-pool-conv3×3(32)-pool-dense128-10) at batch 128,
 *   - a wide MLP, 5 hidden layers of 1,000, on the teacher task (d = 20, MSE) at batch 500;
 * samples/s, ms a step, device memory. Every case also checks correctness: its first steps'
 * losses, from the same weights and data, against wasm. On a software adapter (lavapipe,
 * SwiftShader) only that check is reported: its speed is not a GPU's.
 * Prints markdown; writes nothing unless `--out FILE`.
 *   npm run bench -- --gpu-quick [--min-ms 2000] [--reps 3] [--cases mlp-b128,cnn-b128] [--no-torch] [--out FILE]
 *   node --import tsx bench/gpu.ts --case mlp-b128 --backend webgpu [--act relu] [--min-ms 2000] [--reps 3] [--check-only]
 *     (one case in this process; one JSON line)
 */
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActivationSpec, BackendChoice, ModelSpec } from '../src/core/config';
import { mulberry32 } from '../src/core/random';
import type { GpuAdapterInfo } from '../src/core/protocol';
import { initBackend } from '../src/trainer/backend';
import { gpuMemoryMB } from '../src/trainer/backends/webgpu';
import { localCompute } from '../src/trainer/compute';
import type { Dataset } from '../src/trainer/data/types';
import { lossFunction } from '../src/trainer/losses';
import { createModel } from '../src/trainer/models';
import { createOptimizer } from '../src/trainer/optimizers';
import { ACTIVATIONS } from './step';

export interface GpuCase {
  id: string;
  title: string;
  model: ModelSpec;
  inputShape: number[];
  outputs: number;
  kind: Dataset['kind'];
  batch: number;
}

const MLP: ModelSpec = { type: 'mlp', hidden: [256, 128], init: 'he', bias: true };
const CNN: ModelSpec = { type: 'cnn', conv: [16, 32], dense: [128], init: 'he', bias: true };
const WIDE: ModelSpec = { type: 'mlp', hidden: [1000, 1000, 1000, 1000, 1000], init: 'he', bias: true };

export const GPU_QUICK: readonly GpuCase[] = [
  { id: 'mlp-b128', title: 'MLP 784-256-128-10, batch 128', model: MLP, inputShape: [28, 28, 1], outputs: 10, kind: 'classification', batch: 128 },
  { id: 'mlp-b1024', title: 'MLP 784-256-128-10, batch 1,024', model: MLP, inputShape: [28, 28, 1], outputs: 10, kind: 'classification', batch: 1024 },
  { id: 'cnn-b128', title: 'CNN, batch 128', model: CNN, inputShape: [28, 28, 1], outputs: 10, kind: 'classification', batch: 128 },
  { id: 'wide-b500', title: 'MLP 20-(5 × 1,000)-1, teacher task (MSE), batch 500', model: WIDE, inputShape: [20], outputs: 1, kind: 'regression', batch: 500 },
];

const RELU: ActivationSpec = { type: 'relu' };
/** Steps whose losses the correctness check compares. */
const CHECK_STEPS = 3;

export interface CaseResult {
  case: string;
  /** What ran (a 'webgpu' request without an adapter runs wasm: then no webgpu figure). */
  backend: string;
  adapter?: GpuAdapterInfo;
  notes: string[];
  /** The first steps' losses (same weights and data on every backend). */
  losses: number[];
  samplesPerSec?: number;
  stepMs?: number;
  /** webgpu: tfjs's buffer pool at the end (after the timed steps), MB. */
  deviceMB?: number;
}

function dataset(c: GpuCase): Dataset {
  const rand = mulberry32(7);
  const rows = 4 * c.batch;
  const per = c.inputShape.reduce((a, b) => a * b, 1);
  const y = c.kind === 'classification'
    ? new Int32Array(rows).map(() => Math.floor(rand() * c.outputs))
    : new Float32Array(rows * c.outputs).map(() => rand() * 2 - 1);
  return {
    kind: c.kind, inputShape: c.inputShape, outputs: c.outputs, trainSize: rows, testSize: 1,
    xTrain: new Float32Array(rows * per).map(() => rand()), yTrain: y,
    xTest: new Float32Array(per), yTest: c.kind === 'classification' ? new Int32Array(1) : new Float32Array(c.outputs),
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** One case on one backend, in this process. */
export async function measureCase(c: GpuCase, backend: BackendChoice, o: { minMs?: number; reps?: number; checkOnly?: boolean; act?: string } = {}): Promise<CaseResult> {
  const info = await initBackend(backend);
  const activation = o.act ? ACTIVATIONS[o.act] : RELU;
  if (!activation) throw new Error(`unknown activation ${o.act}`);
  const model = createModel(c.model, c.inputShape, c.outputs, activation, 1);
  const optimizer = createOptimizer({ optimizer: 'adam', learningRate: 1e-3, momentum: 0 });
  const ds = dataset(c);
  const compute = localCompute({ model, optimizer, lossFn: lossFunction(c.kind === 'classification' ? 'crossEntropy' : 'mse', c.kind), ds });
  const order = Array.from({ length: ds.trainSize }, (_, i) => i);
  let i = 0;
  const step = async (): Promise<number> => {
    const { loss } = await compute.step(order, (i++ % 4) * c.batch, c.batch, { sigma: 0, seed: i, kappa: 0 }, {});
    const v = (await loss.data())[0]!;
    loss.dispose();
    return v;
  };
  const losses: number[] = [];
  for (let s = 0; s < CHECK_STEPS; s++) losses.push(await step());
  const out: CaseResult = { case: c.id, backend: info.name, notes: info.notes, losses, ...(info.adapter ? { adapter: info.adapter } : {}) };
  // No speed figure from a software adapter, nor from the reference run.
  if (!o.checkOnly && !info.adapter?.software) {
    const minMs = o.minMs ?? 2000;
    const warm = performance.now();
    while (performance.now() - warm < minMs / 2) await step();
    const runs: number[] = [];
    for (let r = 0; r < (o.reps ?? 3); r++) {
      const t0 = performance.now();
      let steps = 0;
      do { await step(); steps++; } while (performance.now() - t0 < minMs);
      runs.push((performance.now() - t0) / steps);
    }
    out.stepMs = median(runs);
    out.samplesPerSec = (1000 * c.batch) / out.stepMs;
  }
  const mb = gpuMemoryMB();
  if (mb !== undefined) out.deviceMB = mb;
  await compute.close();
  optimizer.dispose();
  model.dispose();
  return out;
}

interface TorchResult { case: string; samplesPerSec: number; stepMs: number; deviceMB: number; device: string }

const fmt = (x: number | undefined, digits = 0): string => (x !== undefined && Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');

/** The largest relative difference between two loss sequences. */
export function maxRelDiff(a: number[], b: number[]): number {
  return Math.max(...a.map((v, k) => Math.abs(v - b[k]!) / Math.max(Math.abs(b[k]!), 1e-12)));
}

export function runCase(root: string, id: string, backend: string, extra: string[]): CaseResult | { error: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'gpu.ts'), '--case', id, '--backend', backend, ...extra], {
    cwd: root, encoding: 'utf8', maxBuffer: 1 << 24, timeout: 300_000,
  });
  if (r.status !== 0) return { error: `${id} on ${backend} failed: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ') || r.signal}` };
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as CaseResult;
}

function torchCases(root: string, ids: string[], minMs: number): { version?: string; results: TorchResult[]; why?: string } {
  const r = spawnSync('/usr/bin/python3', [join(root, 'bench', 'torch_gpu.py'), '--cases', ids.join(','), '--min-ms', String(minMs)], { encoding: 'utf8', timeout: 300_000 });
  if (r.error || r.status !== 0) return { results: [], why: r.error ? 'no /usr/bin/python3' : (r.stderr || '').trim().split('\n').at(-1) };
  const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const head = lines[0] as { torch?: string; cuda?: boolean; why?: string } | undefined;
  if (!head?.cuda) return { results: [], why: head?.why ?? 'torch.cuda.is_available() is false', ...(head?.torch ? { version: head.torch } : {}) };
  return { version: head.torch!, results: lines.slice(1) as unknown as TorchResult[] };
}

/** `npm run bench -- --gpu-quick`: the markdown report. */
export async function gpuQuick(root: string, argv: string[]): Promise<string> {
  const opt = (name: string): string | undefined => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : undefined; };
  const minMs = Number(opt('min-ms') ?? 2000);
  const reps = Number(opt('reps') ?? 3);
  const wanted = opt('cases')?.split(',');
  const cases = GPU_QUICK.filter((c) => !wanted || wanted.includes(c.id));
  const log = (m: string): void => { process.stderr.write(`${m}\n`); };
  const rows: Array<{ c: GpuCase; gpu: CaseResult | { error: string }; ref: CaseResult | { error: string } }> = [];
  for (const c of cases) {
    log(`gpu-quick: ${c.title} …`);
    const gpu = runCase(root, c.id, 'webgpu', ['--min-ms', String(minMs), '--reps', String(reps)]);
    // The wasm reference is timed only beside a hardware adapter's figures.
    const timed = !('error' in gpu) && gpu.backend === 'webgpu' && !gpu.adapter?.software;
    const ref = runCase(root, c.id, 'wasm', timed ? ['--min-ms', String(minMs), '--reps', '1'] : ['--check-only']);
    rows.push({ c, gpu, ref });
  }
  const torch = argv.includes('--no-torch') ? { results: [], why: '--no-torch' } as ReturnType<typeof torchCases> : torchCases(root, cases.map((c) => c.id), minMs);
  const first = rows.map((r) => r.gpu).find((g): g is CaseResult => !('error' in g));
  const adapter = first?.adapter;
  const software = adapter?.software === true;
  const onGpu = first?.backend === 'webgpu';
  const out: string[] = ['## GPU (webgpu): `npm run bench -- --gpu-quick`', ''];
  out.push(`- Adapter: ${onGpu && adapter ? `${adapter.description || adapter.device} (vendor ${adapter.vendor || '?'}, architecture ${adapter.architecture || '?'})${software ? ', **a software renderer: correctness only, no speed figures**' : ''}` : `none: the webgpu runs fell back to ${first?.backend ?? '?'} (${first?.notes.join('; ') ?? ''})`}.`);
  out.push(`- PyTorch CUDA: ${torch.results.length ? `torch ${torch.version}` : `not measured (${torch.why ?? 'unavailable'})`}.`);
  out.push(`- Each figure: the trainer's own step (createModel, Adam lr 1e-3, localCompute with batch assembly), ${reps} timed runs of ≥ ${minMs} ms after ${minMs / 2} ms of warm-up, median. ` +
    `Correctness: the first ${CHECK_STEPS} steps' losses against wasm from the same weights and data (largest relative difference). Device memory: tfjs's buffer pool (numBytesAllocatedInGPU) after the timed steps; PyTorch's max_memory_allocated.`, '');
  if (software || !onGpu) {
    out.push('| case | losses vs wasm (max rel. diff) | device MB |', '|---|---:|---:|');
  } else {
    out.push('| case | webgpu samples/s | webgpu ms/step | webgpu device MB | wasm samples/s | webgpu / wasm | PyTorch CUDA samples/s | PyTorch ms/step | PyTorch device MB | webgpu / PyTorch | losses vs wasm (max rel. diff) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  }
  for (const { c, gpu, ref } of rows) {
    if ('error' in gpu || 'error' in ref) {
      out.push(`| ${c.title} | failed: ${'error' in gpu ? gpu.error : ''} ${'error' in ref ? ref.error : ''} |`);
      continue;
    }
    const diff = maxRelDiff(gpu.losses, ref.losses);
    const check = `${diff.toExponential(1)}${diff <= 1e-3 ? '' : ' **(differs)**'}`;
    if (software || !onGpu) {
      out.push(`| ${c.title} | ${check} | ${fmt(gpu.deviceMB)} |`);
      continue;
    }
    const t = torch.results.find((x) => x.case === c.id);
    out.push(`| ${c.title} | ${fmt(gpu.samplesPerSec)} | ${fmt(gpu.stepMs, 1)} | ${fmt(gpu.deviceMB)} | ${fmt(ref.samplesPerSec)} | ${fmt((gpu.samplesPerSec ?? NaN) / (ref.samplesPerSec ?? NaN), 1)}× | ` +
      `${fmt(t?.samplesPerSec)} | ${fmt(t?.stepMs, 1)} | ${fmt(t?.deviceMB)} | ${t ? `${fmt((gpu.samplesPerSec ?? NaN) / t.samplesPerSec, 2)}×` : '–'} | ${check} |`);
  }
  out.push('');
  const md = out.join('\n');
  const file = opt('out');
  if (file) {
    writeFileSync(file, md);
    log(`wrote ${file}`);
  }
  return md;
}

function arg(name: string): string | undefined {
  const i = process.argv.lastIndexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1]?.endsWith('gpu.ts') && arg('case')) {
  const c = GPU_QUICK.find((x) => x.id === arg('case'));
  if (!c) throw new Error(`--case ${GPU_QUICK.map((x) => x.id).join('|')}`);
  // stdout carries the JSON line.
  console.log = console.error;
  console.warn = console.error;
  void measureCase(c, (arg('backend') ?? 'webgpu') as BackendChoice, {
    ...(arg('min-ms') ? { minMs: Number(arg('min-ms')) } : {}),
    ...(arg('reps') ? { reps: Number(arg('reps')) } : {}),
    checkOnly: process.argv.includes('--check-only'),
    ...(arg('act') ? { act: arg('act')! } : {}),
  }).then((r) => { process.stdout.write(`${JSON.stringify(r)}\n`); tf.disposeVariables(); process.exit(0); });
}

/**
 * docs/PERFORMANCE.md's GPU section (render() appends it): how to produce the figures and what
 * was checked on the software adapter. Kept by hand until a GPU machine has run --gpu-quick.
 */
export const GPU_SECTION = `
## GPU (webgpu)

No GPU figures yet: no machine with a GPU has run the benchmark. On one (Linux with the GPU's
Vulkan driver and \`libvulkan1\`, macOS, or Windows; README, "Backends"):

\`\`\`sh
npm ci
npm run bench -- --gpu-quick --out gpu-quick.md   # ~5 minutes: the table below, for that GPU
npm run bench -- --backend webgpu                 # the whole benchmark with a webgpu column (long; rewrites this file)
\`\`\`

\`--gpu-quick\` (bench/gpu.ts) times the trainer's own step on webgpu beside wasm (one thread)
and, when \`/usr/bin/python3\` has torch with \`torch.cuda.is_available()\`, PyTorch CUDA
(bench/torch_gpu.py, the same models, Adam, a loss read-back a step as the trainer does): MLP
784-256-128-10 at batch 128 and 1,024, the CNN at batch 128, and a wide MLP of 5 × 1,000 on the
teacher task (d = 20, MSE) at batch 500; samples/s, ms a step and device memory (tfjs's buffer
pool; PyTorch's max_memory_allocated). Every case also compares its first 3 steps' losses with
wasm's from the same weights and data. On a software adapter only that comparison is printed.

What was checked here, on Mesa lavapipe 25.0.7 (a software Vulkan driver on 2 CPU cores, so
correctness, not speed):

- \`--gpu-quick\`: the first 3 Adam steps' losses against wasm's, largest relative difference:
  MLP batch 128 1.2·10⁻⁶, batch 1,024 4.7·10⁻⁵, CNN 6.0·10⁻⁶, wide MLP 6.5·10⁻⁵ (1 m 52 s).
- test/integration/webgpu.test.ts (in \`npm test\`): 3-epoch runs, every epoch metric against the
  cpu backend (relative): MLP (ReLU, Adam lr 10⁻²) ≤ 1.1·10⁻⁷; CNN (GELU, Adam lr 10⁻³) ≤
  2.2·10⁻⁵ (at lr 10⁻² Adam amplifies GELU's float32 rounding, 2·10⁻⁷ apart, to 5·10⁻⁴ by epoch
  3, while ReLU's CNN stays within 1.1·10⁻⁷). Every activation's f, f′ and input gradient within
  5·10⁻⁷ (absolute, inputs in [−4, 4]), PReLU's slope gradient within 10⁻⁶; seeded noise the
  same numbers as on cpu (one JS generator, uploaded). Memory over epochs: the same 28 tensors and 81,544 bytes on the
  device after every epoch, the buffer pool at 11.96 MB throughout. A layer beyond the device's
  binding limit ends the job \`failed\` with the GPU's error and a hint.
`;
