/**
 * Samples/s of the trainer's own training step (model, loss, optimizer and trainStep from
 * src/trainer) on random 28×28 inputs, in this process. Prints one JSON line.
 *   node --import tsx bench/step.ts --model mlp --act relu --backend wasm --gemm 1 [--fused-adam] [--threads 2] [--norm batch] [--profile] [--reps 3] [--min-ms 1500]
 * --gemm 0 keeps tfjs's own kernels; --norm batch adds BatchNorm to every hidden layer (model.norm); --threads N > 1 trains data-parallel on N threads as the
 * trainer does (src/trainer/parallel); --profile adds each kernel's CPU ms in one step.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationSpec, BackendChoice, JobSpec, ModelSpec, NormName } from '../src/core/config';
import { mulberry32 } from '../src/core/random';
import { initBackend } from '../src/trainer/backend';
import { FusedAdamOptimizer, registerGemmKernels, unregisterGemmKernels } from '../src/trainer/kernels/gemm';
import { localCompute } from '../src/trainer/compute';
import type { Dataset } from '../src/trainer/data/types';
import { startReplicaPool } from '../src/trainer/parallel/pool';
import { TSX_REPLICA_ENTRY } from '../test/fixtures/trainer/replicaEntry';
import { crossEntropy } from '../src/trainer/losses';
import { createModel } from '../src/trainer/models';
import { createOptimizer } from '../src/trainer/optimizers';

export const ACTIVATIONS: Record<string, ActivationSpec> = {
  relu: { type: 'relu' },
  nrelu: {
    type: 'nrelu', inference: 'deterministic',
    sigma: { kind: 'constant', start: 0.05, end: 0.05, per: 'epoch', every: 1, factor: 1 },
  },
  leakyRelu: { type: 'leakyRelu', alpha: 0.01, rescale: false },
  gelu: { type: 'gelu' },
  silu: { type: 'silu' },
  // Swish-β written as an expression (β = 1: SiLU's function), for the expression-cost row.
  swishExpr: { type: 'expr', expr: 'x * sigmoid(beta * x)', params: { beta: 1 }, inference: 'deterministic' },
};

/** The models of torch_reference.py. */
export const MODELS: Record<'mlp' | 'cnn', ModelSpec> = {
  mlp: { type: 'mlp', hidden: [256, 128], init: 'he', bias: true },
  cnn: { type: 'cnn', conv: [16, 32], dense: [128], init: 'he', bias: true },
};

const WARMUP_MS = 1500;
const WARMUP_THREADS_MS = 4000;

/** A job spec for the replicas (they rebuild the model from it). */
function benchJob(model: 'mlp' | 'cnn', activation: ActivationSpec): JobSpec {
  return {
    jobId: 'bench#1', armId: 'bench', activationId: 'bench', label: 'bench', seed: 1, sweep: {},
    data: { dataset: 'mnist', trainSize: 512, testSize: 1, kappa: 0 }, model: MODELS[model], activation,
    training: { epochs: 1, batchSize: 128, optimizer: 'adam', learningRate: 1e-3, momentum: 0, loss: 'crossEntropy' },
    probes: { deadThreshold: 1e-5, samples: 1, every: 1, stepEventMs: 0 }, backend: 'wasm',
  };
}

export interface StepResult {
  model: string; act: string; backend: string; gemm: boolean; fusedAdam: boolean; threads: number;
  /** Wall-clock throughput, and the same per CPU-second of this process (less disturbed by others). */
  samplesPerSec: number; cpuSamplesPerSec: number; runs: number[]; batch: number;
  profile?: Array<{ kernel: string; ms: number; calls: number }>;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function measureStep(o: {
  model: 'mlp' | 'cnn'; act: string; backend: BackendChoice; gemm: boolean;
  /** FusedAdamOptimizer instead of tf.train.adam (its kernel exists with gemm on wasm only). */
  fusedAdam?: boolean;
  batch?: number; minMs?: number; reps?: number; profile?: boolean; threads?: number; norm?: NormName;
}): Promise<StepResult> {
  const threads = o.threads ?? 1;
  const batch = o.batch ?? 128;
  await initBackend(o.backend);
  if (o.backend === 'wasm') {
    if (o.gemm) {
      if (!(await registerGemmKernels())) throw new Error('the SIMD GEMM kernels did not register');
    } else {
      unregisterGemmKernels();
    }
  }
  const activation = ACTIVATIONS[o.act];
  if (!activation) throw new Error(`unknown activation ${o.act}`);
  const model = createModel({ ...MODELS[o.model], ...(o.norm ? { norm: o.norm } : {}) }, [28, 28, 1], 10, activation, 1);
  const optimizer = o.fusedAdam
    ? new FusedAdamOptimizer(1e-3)
    : createOptimizer({ optimizer: 'adam', learningRate: 1e-3, momentum: 0 });
  const rand = mulberry32(7);
  // A few distinct batches, as in an epoch; pixel values do not change the speed. The step goes
  // through the trainer's Compute (batch assembly included), on one thread or data-parallel.
  const rows = 4 * batch;
  const ds: Dataset = {
    kind: 'classification', inputShape: [28, 28, 1], outputs: 10, trainSize: rows, testSize: 1,
    xTrain: new Float32Array(rows * 784).map(() => rand()), yTrain: new Int32Array(rows).map(() => Math.floor(rand() * 10)),
    xTest: new Float32Array(784), yTest: new Int32Array(1),
  };
  const parts = { model, optimizer, lossFn: crossEntropy, ds };
  const compute = threads > 1
    ? await startReplicaPool({ ...parts, job: benchJob(o.model, activation), batchSize: batch, replicas: threads - 1, entry: TSX_REPLICA_ENTRY })
    : localCompute(parts);
  const order = Array.from({ length: rows }, (_, i) => i);
  let seed = 0;
  const step = async (i: number): Promise<void> => {
    const { loss } = await compute.step(order, (i % 4) * batch, batch, { sigma: 0.05, seed: seed++, kappa: 0 }, {});
    await loss.data();
    loss.dispose();
  };
  // Each timed run lasts at least minMs (whole steps), so slow and fast set-ups cost alike.
  const minMs = o.minMs ?? 1500;
  // Warm-up by time: V8 optimises tfjs's JS in about a second on one thread; with two isolates
  // busy its background compilers compete with them and steady speed takes ~3–4 s.
  const warm = performance.now();
  const warmupMs = threads > 1 ? WARMUP_THREADS_MS : WARMUP_MS;
  for (let i = 0; i < 3 || performance.now() - warm < warmupMs; i++) await step(i);
  const runs: number[] = [];
  const cpuRuns: number[] = [];
  for (let r = 0; r < (o.reps ?? 3); r++) {
    const t0 = performance.now();
    const c0 = cpuMs();
    let steps = 0;
    do { await step(steps++); } while (performance.now() - t0 < minMs);
    runs.push((steps * batch) / ((performance.now() - t0) / 1000));
    cpuRuns.push((steps * batch) / ((cpuMs() - c0) / 1000));
  }
  let profile: StepResult['profile'];
  if (o.profile) profile = await cpuProfile(o.backend === 'cpu' ? 'cpu' : 'wasm', 7, (i) => step(i));
  await compute.close();
  optimizer.dispose();
  model.dispose();
  return {
    model: o.model, act: o.act, backend: o.backend, gemm: o.backend === 'wasm' && o.gemm, fusedAdam: Boolean(o.fusedAdam), threads: compute.threads,
    samplesPerSec: median(runs), cpuSamplesPerSec: median(cpuRuns), runs, batch, ...(profile ? { profile } : {}),
  };
}

/**
 * Per kernel, the CPU ms it takes in one step (median over `steps` steps): every kernel of the
 * backend is wrapped to read process.cpuUsage around its call, which other processes on a
 * shared machine disturb far less than tf.profile's wall-clock times. Kernels that call other
 * kernels directly (not through the engine) count them as their own time.
 */
async function cpuProfile(backendName: string, steps: number, step: (i: number) => Promise<void>): Promise<NonNullable<StepResult['profile']>> {
  const originals = tf.getKernelsForBackend(backendName);
  let current = new Map<string, { ms: number; calls: number }>();
  for (const k of originals) {
    tf.unregisterKernel(k.kernelName, backendName);
    tf.registerKernel({
      ...k,
      kernelFunc: (params) => {
        const t0 = cpuMs();
        const out = k.kernelFunc(params);
        const e = current.get(k.kernelName) ?? { ms: 0, calls: 0 };
        e.ms += cpuMs() - t0;
        e.calls++;
        current.set(k.kernelName, e);
        return out;
      },
    });
  }
  const perStep: Array<Map<string, { ms: number; calls: number }>> = [];
  const stepMs: number[] = [];
  try {
    for (let i = 0; i < steps; i++) {
      current = new Map();
      const t0 = cpuMs();
      await step(i);
      stepMs.push(cpuMs() - t0);
      perStep.push(current);
    }
  } finally {
    for (const k of originals) {
      tf.unregisterKernel(k.kernelName, backendName);
      tf.registerKernel(k);
    }
  }
  const total = median(perStep.map((m) => [...m.values()].reduce((t, e) => t + e.ms, 0)));
  const rows = [...perStep[0]!].map(([kernel, e]) => ({
    kernel, calls: e.calls, ms: median(perStep.map((m) => m.get(kernel)?.ms ?? 0)),
  })).sort((a, b) => b.ms - a.ms);
  return [
    { kernel: '(whole step)', calls: 1, ms: median(stepMs) },
    { kernel: '(all kernels)', calls: rows.reduce((n, r) => n + r.calls, 0), ms: total },
    ...rows,
  ];
}

/** The last occurrence wins, so a caller can append overrides. */
function arg(name: string, fallback: string): string {
  const i = process.argv.lastIndexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

if (process.argv[1]?.endsWith('step.ts')) {
  const model = arg('model', 'mlp');
  if (model !== 'mlp' && model !== 'cnn') throw new Error(`--model mlp|cnn, got ${model}`);
  void measureStep({
    model, act: arg('act', 'relu'), backend: arg('backend', 'wasm') as BackendChoice,
    gemm: arg('gemm', '1') !== '0', profile: process.argv.includes('--profile'),
    fusedAdam: process.argv.includes('--fused-adam'),
    ...(process.argv.includes('--threads') ? { threads: Number(arg('threads', '1')) } : {}),
    ...(process.argv.includes('--min-ms') ? { minMs: Number(arg('min-ms', '0')) } : {}),
    ...(process.argv.includes('--reps') ? { reps: Number(arg('reps', '0')) } : {}),
    ...(process.argv.includes('--norm') ? { norm: arg('norm', 'none') as NormName } : {}),
  }).then((r) => console.log(JSON.stringify(r)));
}
