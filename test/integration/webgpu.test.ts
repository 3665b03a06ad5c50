// The webgpu backend on a real adapter: in CI Mesa's lavapipe (a software Vulkan driver, set up by
// scripts/gpu/ensure-lavapipe.sh, which .ci/run calls), or the machine's own GPU. Every check
// runs in child processes (test/fixtures/webgpu/child.ts) started with that adapter's
// environment. Without an adapter every test here is skipped, saying so. Tiny data, few steps:
// a software GPU is slow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVATION_TYPES, type JobSpec } from '../../src/core/config';
import { defaultSpec, trainsStochastically } from '../../src/core/activations';
import type { BackendInfo, EpochEvent, JobEndEvent, JobStartEvent, TrainerEvent } from '../../src/core/protocol';
import { tinyJob } from '../fixtures/trainer/jobs';
import type { ActOutput, JobOutput } from '../fixtures/webgpu/child';
import { ACTIVATION_CASES } from '../fixtures/webgpu/cases';

const ROOT = join(__dirname, '..', '..');
const CHILD = join(ROOT, 'test', 'fixtures', 'webgpu', 'child.ts');
const LAVAPIPE_ENV = join(ROOT, '.cache', 'lavapipe', 'env.json');

/** The children's environment: lavapipe's from .cache (when set up and not overridden), else this one. */
function gpuEnv(): NodeJS.ProcessEnv {
  if (process.env.VK_DRIVER_FILES || process.env.VK_ICD_FILENAMES || !existsSync(LAVAPIPE_ENV)) return { ...process.env };
  const l = JSON.parse(readFileSync(LAVAPIPE_ENV, 'utf8')) as Record<string, string>;
  return {
    ...process.env, VK_DRIVER_FILES: l.VK_DRIVER_FILES, VK_ICD_FILENAMES: l.VK_ICD_FILENAMES,
    LD_LIBRARY_PATH: [l.LD_LIBRARY_PATH, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
  };
}

function child<T>(args: string[], env: NodeJS.ProcessEnv = gpuEnv(), timeoutMs = 240_000): T {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`child ${args[0]} failed (${r.status ?? r.signal}): ${r.stderr.trim().split('\n').slice(-8).join('\n')}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as T;
}

/** Whether an adapter can be created here, decided once (a few seconds) before the tests. */
const available: { ok: true; info: BackendInfo } | { ok: false; why: string } = (() => {
  try {
    const [info] = child<BackendInfo[]>(['info', 'webgpu'], gpuEnv(), 120_000);
    if (info?.name === 'webgpu') return { ok: true, info };
    const why = info?.notes.filter((n) => n.startsWith('webgpu')).join('; ') || JSON.stringify(info);
    return { ok: false, why: `no WebGPU adapter here (${why}); scripts/gpu/ensure-lavapipe.sh sets up a software one` };
  } catch (err) {
    return { ok: false, why: `the webgpu check failed: ${(err as Error).message}` };
  }
})();
const skip = available.ok ? false : `SKIPPED: ${available.why}`;
if (skip) console.log(`# webgpu tests: ${skip}`);

const epochs = (o: JobOutput): EpochEvent[] => o.events.filter((e): e is EpochEvent => e.type === 'epoch');
const jobEnd = (o: JobOutput): JobEndEvent => o.events.find((e): e is JobEndEvent => e.type === 'jobEnd')!;
const jobStart = (o: JobOutput): JobStartEvent | undefined => o.events.find((e): e is JobStartEvent => e.type === 'jobStart');

function close(a: number, b: number, rel: number): boolean {
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-6);
}

test('an explicit webgpu runs on the adapter and records it; auto never takes a software one', { skip }, () => {
  if (!available.ok) return;
  const { adapter } = available.info;
  assert.ok(adapter, 'jobStart records the adapter');
  for (const k of ['vendor', 'architecture', 'device', 'description'] as const) assert.equal(typeof adapter[k], 'string', k);
  const [auto] = child<BackendInfo[]>(['info', 'auto']);
  if (adapter.software) {
    assert.notEqual(auto!.name, 'webgpu', 'auto took the software adapter');
    assert.ok(auto!.notes.some((n) => /webgpu: the only adapter is a software renderer/.test(n)), auto!.notes.join('; '));
  } else {
    // A hardware GPU: auto takes it (unless tfjs-node-gpu is installed and runs).
    assert.ok(['webgpu', 'tensorflow-gpu'].includes(auto!.name), `auto picked ${auto!.name}`);
  }
});

/** The missing-adapter checks need the webgpu package only, not an adapter. */
const dawnInstalled = ((): boolean => { try { require.resolve('webgpu'); return true; } catch { return false; } })();

test('no adapter (no Vulkan driver; no Vulkan loader) falls back to wasm with the reason recorded', { skip: dawnInstalled ? false : 'SKIPPED: the optional package webgpu is not installed' }, () => {
  const noDriver = { ...gpuEnv(), VK_DRIVER_FILES: '/nonexistent/icd.json', VK_ICD_FILENAMES: '/nonexistent/icd.json' };
  const [asked, auto] = child<BackendInfo[]>(['info', 'webgpu', 'auto'], noDriver);
  for (const info of [asked!, auto!]) {
    assert.equal(info.name, 'wasm');
    assert.ok(info.notes.some((n) => /^webgpu: no GPU adapter: /.test(n)), info.notes.join('; '));
  }
  const loaderHere = spawnSync('sh', ['-c', 'ldconfig -p | grep -q "libvulkan.so.1 "']).status === 0;
  if (!loaderHere) {
    const { VK_DRIVER_FILES: _d, VK_ICD_FILENAMES: _i, LD_LIBRARY_PATH: _l, ...bare } = process.env;
    const [noLoader] = child<BackendInfo[]>(['info', 'webgpu'], bare);
    assert.equal(noLoader!.name, 'wasm');
    assert.ok(noLoader!.notes.some((n) => /libvulkan\.so\.1 is not installed/.test(n)), noLoader!.notes.join('; '));
  }
});

/** The deterministic parity runs: a 3-epoch MLP (ReLU, Adam) and a small CNN (GELU, Adam). */
const PARITY: JobSpec[] = [
  tinyJob({ jobId: 'mlp#1', data: { trainSize: 192, testSize: 64 }, model: { type: 'mlp', hidden: [32, 16], init: 'he', bias: true }, training: { epochs: 3, batchSize: 32 } }),
  tinyJob({
    jobId: 'cnn#1', data: { trainSize: 96, testSize: 32 }, model: { type: 'cnn', conv: [4, 8], dense: [16], init: 'he', bias: true },
    // Adam at lr 1e-3: at 1e-2 it amplifies GELU's float32 rounding (2e-7 apart, erf's
    // kernels differ) to 5e-4 apart in three epochs; ReLU's runs agree to 1e-7 either way.
    activation: { type: 'gelu' }, training: { epochs: 3, batchSize: 32, learningRate: 1e-3 },
  }),
];
/** Memory over epochs: an MLP with N-ReLU (noise uploaded every step) for 5 epochs. */
const MEMORY: JobSpec = tinyJob({
  jobId: 'mem#1', data: { trainSize: 128, testSize: 32 }, model: { type: 'mlp', hidden: [32], init: 'he', bias: true },
  activation: ACTIVATION_CASES.nrelu!, training: { epochs: 5, batchSize: 32 },
});

test('MLP and CNN runs: every epoch metric on webgpu within 1e-4 (relative) of cpu; memory flat over epochs', { skip }, () => {
  if (!available.ok) return;
  const cpu = child<JobOutput[]>(['jobs', 'cpu', JSON.stringify(PARITY)]);
  const gpu = child<JobOutput[]>(['jobs', 'webgpu', JSON.stringify([...PARITY, MEMORY])]);
  PARITY.forEach((job, j) => {
    const [c, g] = [cpu[j]!, gpu[j]!];
    assert.equal(jobEnd(g).status, 'completed', `${job.jobId} on webgpu: ${jobEnd(g).message}`);
    assert.equal(jobStart(g)?.backend.name, 'webgpu');
    assert.equal(epochs(g).length, 3);
    epochs(c).forEach((ce, i) => {
      const ge = epochs(g)[i]!;
      for (const key of ['trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy'] as const) {
        assert.ok(close(ge[key]!, ce[key]!, 1e-4), `${job.jobId} epoch ${ce.epoch} ${key}: webgpu ${ge[key]} vs cpu ${ce[key]}`);
      }
      assert.equal(typeof ge.gpuMemoryMB, 'number', 'the epoch event carries the GPU memory');
      assert.equal(ce.gpuMemoryMB, undefined, 'not on cpu');
    });
  });
  const mem = gpu[PARITY.length]!;
  assert.equal(jobEnd(mem).status, 'completed', jobEnd(mem).message);
  // Epoch 1 warms up (the buffer pool, the programs); from then on nothing may accumulate.
  const after = mem.memory.slice(1);
  assert.equal(after.length, 4);
  for (const m of after) {
    assert.equal(m.numTensors, after[0]!.numTensors, `tensors per epoch: ${mem.memory.map((x) => x.numTensors).join(', ')}`);
    assert.equal(m.numBytesInGPU, after[0]!.numBytesInGPU, `GPU bytes per epoch: ${mem.memory.map((x) => x.numBytesInGPU).join(', ')}`);
  }
  const pool = epochs(mem).slice(1).map((e) => e.gpuMemoryMB!);
  assert.ok(pool.every((p) => p === pool[0]), `GPU pool MB per epoch: ${pool.join(', ')}`);
});

test("every registered activation: forward and gradient on webgpu match cpu; noise reproducible per seed, the same in distribution", { skip }, () => {
  if (!available.ok) return;
  const cpu = child<ActOutput[]>(['acts', 'cpu']);
  const gpu = child<ActOutput[]>(['acts', 'webgpu']);
  assert.deepEqual(gpu.map((a) => a.type), [...ACTIVATION_TYPES], 'every activation of the registry');
  const near = (what: string, g: number[], c: number[], tol = 1e-4): void => {
    assert.equal(g.length, c.length, what);
    const scale = Math.max(1, ...c.map(Math.abs));
    const worst = Math.max(0, ...g.map((v, i) => Math.abs(v - c[i]!)));
    assert.ok(worst <= tol * scale, `${what}: max |webgpu − cpu| ${worst} (scale ${scale})`);
  };
  const moments = (xs: number[]): [number, number] => {
    const m = xs.reduce((s, v) => s + v, 0) / xs.length;
    return [m, Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / xs.length)];
  };
  gpu.forEach((g, i) => {
    const c = cpu[i]!;
    const spec = ACTIVATION_CASES[g.type as keyof typeof ACTIVATION_CASES] ?? defaultSpec(g.type as (typeof ACTIVATION_TYPES)[number]);
    near(`${g.type} inference f(x)`, g.inference, c.inference);
    near(`${g.type} f′(x)`, g.derivative, c.derivative);
    assert.deepEqual(g.train1again, g.train1, `${g.type}: the same seed gives the same numbers on webgpu`);
    if (trainsStochastically(spec)) {
      assert.notDeepEqual(g.train2, g.train1, `${g.type}: another seed, other noise`);
      const [gm, gs] = moments(g.train1);
      const [cm, cs] = moments(c.train1);
      assert.ok(Math.abs(gm - cm) <= 0.05 * Math.max(1, cs) && Math.abs(gs - cs) <= 0.1 * cs, `${g.type} training f(x): mean ${gm} vs ${cm}, sd ${gs} vs ${cs}`);
      assert.ok(g.grad.every(Number.isFinite), `${g.type}: finite gradient`);
    } else {
      near(`${g.type} training f(x)`, g.train1, c.train1);
      near(`${g.type} ∂/∂x`, g.grad, c.grad);
      g.varGrads.forEach((v, k) => near(`${g.type} ∂/∂variable ${k}`, v, c.varGrads[k]!));
    }
  });
});

test('a layer larger than the device allows ends the job failed, with the reason and a hint (no hang)', { skip }, (t) => {
  if (!available.ok) return;
  // A first layer whose 784 × units weights are just beyond one binding (lavapipe: 128 MB); on a
  // GPU that allows gigabytes the layer would be too big to build in a test.
  const { maxStorageBufferBindingSize: limit } = child<{ maxStorageBufferBindingSize: number }>(['limits']);
  if (limit > 2 ** 29) return t.skip(`this adapter binds ${Math.round(limit / 2 ** 20)} MB at once: too large a layer to build here`);
  const units = Math.ceil(limit / (784 * 4)) + 64;
  const huge = tinyJob({ jobId: 'huge#1', data: { trainSize: 32, testSize: 8 }, model: { type: 'mlp', hidden: [units], init: 'he', bias: true }, training: { epochs: 1, batchSize: 8 } });
  const [out] = child<JobOutput[]>(['jobs', 'webgpu', JSON.stringify([huge])], gpuEnv(), 180_000);
  const end = jobEnd(out!);
  assert.equal(end.status, 'failed');
  assert.match(end.message ?? '', /^GPU error: .*larger than the maximum/);
  assert.match(end.message ?? '', /smaller batchSize or model/, end.message);
});

// The events type is used by the fixture's output; keep the import honest.
export type { TrainerEvent };
