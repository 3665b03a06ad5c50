/**
 * `npm run bench`: training speed of the offline default backend (tfjs wasm, one core per
 * process) with and without the SIMD GEMM kernels, against PyTorch CPU when /usr/bin/python3
 * has torch; prints the tables and writes docs/PERFORMANCE.md. Not a test: figures, not asserts.
 *   npm run bench -- [--reps 3] [--no-torch] [--no-trainer] [--no-write] [--no-expr] [--models mlp,cnn] [--acts relu,gelu]
 *   npm run bench -- --only-expr [--reps 3] [--models mlp]   (just the expression-cost row, bench/expr.ts; writes nothing)
 *   npm run bench -- --backend webgpu ...   adds the webgpu columns (a software adapter: a correctness column only)
 *   npm run bench -- --gpu-quick [--no-torch] [--out FILE]   the GPU cases of bench/gpu.ts (~5 min on a GPU); writes nothing else
 * Every measurement runs in its own process (one tfjs backend each, as the trainer does);
 * set-ups are interleaved across repetitions so a burst of load on a shared machine hits all
 * columns alike, and each figure is the median over repetitions.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { RawActivation, RawConfig } from '../src/core/config';
import type { KernelRow } from './kernels';
import { formatKernelRow } from './kernels';
import { modelMacs } from '../src/core/estimate';
import { usefulThreads } from '../src/core/threads';
import { MODELS as STEP_MODELS, type StepResult } from './step';
import { exprRows, formatExprTable } from './expr';
import { PANEL_AT_SCALE } from './panelAtScale';
import { GPU_SECTION, gpuQuick, maxRelDiff, runCase, type CaseResult } from './gpu';
import {
  ALL_CORES, benchRawConfig, childCpuSeconds, jobsOf, ROOT, runSweep, runTrainerJob, withChildCpu, type SweepRun, type TrainerRun,
} from './trainer';

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(`--${name}`);
const REPS = Number(argv[argv.indexOf('--reps') + 1]) > 0 && argv.includes('--reps') ? Number(argv[argv.indexOf('--reps') + 1]) : 3;
const TORCH_SCRIPT = join(ROOT, '..', 'shared', 'reference', 'torch_reference.py');
const PYTHON = '/usr/bin/python3';
const listArg = (name: string, all: readonly string[]): string[] => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]!.split(',').filter((x) => all.includes(x)) : [...all];
};
const ACTS = listArg('acts', ['relu', 'nrelu', 'leakyRelu', 'gelu']);
/** `--backend webgpu`: a webgpu column (bench/gpu.ts's step at batch 128) beside the others. */
const WEBGPU = argv[argv.indexOf('--backend') + 1] === 'webgpu' && argv.includes('--backend');
const MODELS = listArg('models', ['mlp', 'cnn']) as Array<'mlp' | 'cnn'>;
const TORCH_ACT: Record<string, string> = { relu: 'relu', nrelu: 'nrelu', leakyRelu: 'leaky', gelu: 'gelu' };

/** The sweep: six arms, each a job of SWEEP_N samples × SWEEP_EPOCHS epochs (MLP); PyTorch's counterpart of each. */
const SWEEP_N = 8000;
const SWEEP_EPOCHS = 3;
const SWEEP_ARMS: Array<{ ours: RawActivation; torch: TorchArm }> = [
  { ours: { id: 'relu', type: 'relu' }, torch: { act: 'relu' } },
  { ours: { id: 'nrelu05', type: 'nrelu', sigma: 0.05 }, torch: { act: 'nrelu', sigma: 0.05 } },
  { ours: { id: 'nrelu1', type: 'nrelu', sigma: 0.1 }, torch: { act: 'nrelu', sigma: 0.1 } },
  { ours: { id: 'leaky01', type: 'leakyRelu', alpha: 0.01 }, torch: { act: 'leaky' } },
  // torch_reference.py's leaky slope is fixed at 0.01: the same cost.
  { ours: { id: 'leaky1', type: 'leakyRelu', alpha: 0.1 }, torch: { act: 'leaky' } },
  { ours: { id: 'gelu', type: 'gelu' }, torch: { act: 'gelu' } },
];

function median(xs: number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

function lastJsonLine(out: string): unknown {
  const lines = out.trim().split('\n').filter((l) => l.startsWith('{') || l.startsWith('['));
  return lines.length ? JSON.parse(lines[lines.length - 1]!) : undefined;
}

function tsx(script: string, args: string[], env: NodeJS.ProcessEnv = {}): unknown {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', script), ...args], {
    cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return lastJsonLine(r.stdout);
}

/** The native backend's name when @tensorflow/tfjs-node(-gpu) loads here (the trainer would pick it). */
function nativeBackend(): string | undefined {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e',
    "require('./src/trainer/backend').initBackend('tensorflow').then((b) => console.log(b.name), () => process.exit(1))"], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split('\n').at(-1) : undefined;
}

function hasTorch(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** torch_reference.py's samples/s (wall clock) for the timed epoch. */
function torchRun(model: string, act: string, threads: number): number {
  // 10,000 samples an epoch for the MLP, 4,000 for the CNN: each timed epoch lasts ≥ ~0.5 s.
  const n = model === 'cnn' ? 4000 : 10000;
  const args = ['--model', model, '--act', TORCH_ACT[act]!, '--threads', String(threads), '--epochs', '2', '--n', String(n)];
  const r = spawnSync(PYTHON, [TORCH_SCRIPT, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`torch_reference.py failed: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
  return (lastJsonLine(r.stdout) as { samplesPerSec: number }).samplesPerSec;
}

/** One arm of the sweep as torch_reference.py runs it (it has relu, nrelu, leaky (α 0.01) and gelu). */
interface TorchArm { act: string; sigma?: number }

/**
 * PyTorch's side of the sweep: torch_reference.py once per arm, one after another (six
 * processes, as a user would script it; each pays Python and torch start-up as each of our
 * jobs pays Node's), default 2 threads, the same samples per arm as our jobs. Wall seconds.
 */
function torchSweep(arms: TorchArm[], n: number, epochs: number, threads: number): { seconds: number; cpuSeconds: number } {
  const t0 = performance.now();
  let cpuSeconds = 0;
  for (const arm of arms) {
    const args = ['--model', 'mlp', '--act', arm.act, '--threads', String(threads), '--epochs', String(epochs), '--n', String(n),
      ...(arm.sigma === undefined ? [] : ['--sigma', String(arm.sigma)])];
    const [cmd, wrapped] = withChildCpu([PYTHON, TORCH_SCRIPT, ...args]);
    const r = spawnSync(cmd, wrapped, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`torch_reference.py failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    cpuSeconds += childCpuSeconds(r.stderr);
  }
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds };
}

/** Wall and CPU seconds of the six runs with all cores' threads, and CPU seconds of the same with one thread. */
interface TorchSweep { seconds: number; cpuSeconds: number; oneThreadSeconds: number; oneThreadCpuSeconds: number }

type Column = 'simd' | 'simdCpu' | 'par' | 'parCpu' | 'native' | 'simdTfAdamCpu' | 'tfjs' | 'tfjsCpu' | 'cpu' | 'torch2' | 'torch1' | 'webgpu' | 'webgpuCheck';

/** The threads the trainer gives one job of this model alone on this machine (src/trainer/loop.ts). */
/** Epochs of each run of the streaming A/B (the first, warm-up, is left out). */
const STREAMING_EPOCHS = 6;
const productThreads = (model: 'mlp' | 'cnn'): number => usefulThreads(ALL_CORES, 'wasm', 128, modelMacs(STEP_MODELS[model], 784, 10));
type Cell = Record<Column, number[]>;

/** The expression-cost section: Swish-β as an expression vs built-in SiLU (bench/expr.ts). */
function exprSection(): string {
  log('expression vs built-in (x * sigmoid(beta * x) vs silu) …');
  const rows = exprRows(MODELS, REPS, 1500);
  return `\n## An activation written as an expression\n\nOne training step (bench/step.ts: wasm, SIMD kernels, one thread), ` +
    `samples per CPU-second, median of ${REPS} interleaved repetitions. The promise: an expression costs at most 2× its built-in equivalent.\n\n${formatExprTable(rows)}\n`;
}

async function main(): Promise<void> {
  if (flag('only-expr')) {
    process.stdout.write(exprSection());
    return;
  }
  if (flag('gpu-quick')) {
    process.stdout.write(await gpuQuick(ROOT, argv));
    return;
  }
  const startedAt = new Date();
  const load0 = loadavg();
  const torch = flag('no-torch') ? undefined : hasTorch();
  const native = nativeBackend();
  log(`native backend (tfjs-node): ${native ?? 'not installed'}`);
  log(`bench: ${REPS} repetitions; PyTorch ${torch ?? 'not measured'}; load ${load0.map((l) => l.toFixed(1)).join(' ')}`);

  log('kernels …');
  const kernels = tsx('kernels.ts', ['--json']) as KernelRow[];
  kernels.forEach((r) => log(`  ${formatKernelRow(r)}`));

  const cells = new Map<string, Cell>();
  const cell = (m: string, a: string): Cell => {
    const key = `${m}/${a}`;
    let c = cells.get(key);
    if (!c) cells.set(key, c = { simd: [], simdCpu: [], par: [], parCpu: [], native: [], simdTfAdamCpu: [], tfjs: [], tfjsCpu: [], cpu: [], torch2: [], torch1: [], webgpu: [], webgpuCheck: [] });
    return c;
  };
  for (let rep = 0; rep < REPS; rep++) {
    for (const model of MODELS) {
      for (const act of ACTS) {
        const c = cell(model, act);
        // Later flags win: extra may override --reps.
        const step = (backend: string, gemm: boolean, extra: string[] = []): StepResult => tsx('step.ts', [
          '--model', model, '--act', act, '--backend', backend, '--gemm', gemm ? '1' : '0', '--reps', '3', ...extra,
        ], gemm ? {} : { ACTLAB_NATIVE_GEMM: '0' }) as StepResult;
        const simd = step('wasm', true, ['--fused-adam', '--min-ms', '1000']);
        c.simd.push(simd.samplesPerSec);
        c.simdCpu.push(simd.cpuSamplesPerSec);
        const threads = productThreads(model);
        if (threads > 1) {
          const par = step('wasm', true, ['--fused-adam', '--min-ms', '1000', '--threads', String(threads)]);
          c.par.push(par.samplesPerSec);
          c.parCpu.push(par.cpuSamplesPerSec);
        }
        if (native) c.native.push(step('tensorflow', false, ['--reps', '1', '--min-ms', '1000']).samplesPerSec);
        c.simdTfAdamCpu.push(step('wasm', true, ['--reps', '1', '--min-ms', '1000']).cpuSamplesPerSec);
        const tfjs = step('wasm', false, ['--reps', '1', '--min-ms', '1000']);
        c.tfjs.push(tfjs.samplesPerSec);
        c.tfjsCpu.push(tfjs.cpuSamplesPerSec);
        // The cpu backend is only practical for the MLP (its CNN filter gradient is ~100× slower).
        if (model === 'mlp') c.cpu.push(step('cpu', false, ['--reps', '1', '--min-ms', '1500']).samplesPerSec);
        if (WEBGPU) webgpuCell(model, act, c);
        if (torch) {
          c.torch2.push(torchRun(model, act, 2));
          c.torch1.push(torchRun(model, act, 1));
        }
        log(`  rep ${rep + 1} ${model}/${act}: simd ${simd.samplesPerSec.toFixed(0)} (${simd.cpuSamplesPerSec.toFixed(0)}/cpu-s), ` +
          (c.par.length ? `simd×${threads} ${c.par.at(-1)!.toFixed(0)}, ` : '') + (native ? `native ${c.native.at(-1)!.toFixed(0)}, ` : '') +
          `tfjs ${tfjs.samplesPerSec.toFixed(0)}` +
          (torch ? `, torch×2 ${c.torch2.at(-1)!.toFixed(0)}, torch×1 ${c.torch1.at(-1)!.toFixed(0)}` : ''));
      }
    }
  }

  let trainer: TrainerRow[] = [];
  let sweeps: SweepRun[] = [];
  const torchSweeps: TorchSweep[] = [];
  if (!flag('no-trainer')) {
    log('trainer (dist/trainer.js) …');
    const ACT_CONFIG: Record<string, RawConfig['activations']> = {
      relu: [{ id: 'relu', type: 'relu' }],
      nrelu: [{ id: 'nrelu', type: 'nrelu', sigma: 0.05 }],
    };
    for (const model of MODELS) {
      const threads = productThreads(model);
      // The product's set-up first (relu, with the streaming A/B; nrelu, whose probe needs a pass
      // of its own), then one thread where the product uses more, then tfjs's own kernels.
      const rows: Array<Omit<TrainerRow, 'runs' | 'probeSamples'> & { reps: number; streaming?: boolean; probeSamples?: number }> = [
        { model, act: 'relu', gemm: true, threads, reps: REPS, streaming: true },
        { model, act: 'nrelu', gemm: true, threads, reps: Math.min(REPS, 2) },
        // What a probe batch of 1,000 (the default before it scaled with the training set) costs.
        { model, act: 'nrelu', gemm: true, threads, reps: Math.min(REPS, 2), probeSamples: 1000 },
        ...(threads > 1 ? [{ model, act: 'relu', gemm: true, threads: 1, reps: Math.min(REPS, 2) }] : []),
        { model, act: 'relu', gemm: false, threads: 1, reps: 1 },
      ];
      for (const row of rows) {
        const env = { gemm: row.gemm, threads: row.threads };
        const job = (stepEventMs?: number, epochs = 3) => jobsOf(benchRawConfig(model, ACT_CONFIG[row.act]!, epochs, 8000, {
          ...(stepEventMs === undefined ? {} : { stepEventMs }),
          ...(row.probeSamples === undefined ? {} : { samples: row.probeSamples }),
        }))[0]!;
        const runs: TrainerRun[] = [];
        for (let rep = 0; rep < row.reps; rep++) runs.push(await runTrainerJob(job(), env));
        const t: TrainerRow = {
          model, act: row.act, gemm: row.gemm, threads: row.threads, runs,
          probeSamples: job().probes.samples, probeSet: row.probeSamples !== undefined,
        };
        if (row.streaming) {
          // Event streaming: an event every step vs the first and last step of an epoch only,
          // interleaved over the repetitions (one pair alone was dominated by epoch-to-epoch noise).
          t.chatty = [];
          t.quiet = [];
          for (let rep = 0; rep < REPS; rep++) {
            t.chatty.push(await runTrainerJob(job(0, STREAMING_EPOCHS), env));
            t.quiet.push(await runTrainerJob(job(1e9, STREAMING_EPOCHS), env));
          }
        }
        trainer.push(t);
        const r = runs[0]!;
        log(`  ${model} ${row.act} ${row.gemm ? 'simd' : 'tfjs'} ×${row.threads}: ${r.ok ? `${median(r.epochs.map((e) => e.samplesPerSec)).toFixed(0)} samples/s, first epoch ${(r.firstEpochMs! / 1000).toFixed(1)} s, RSS ${r.peakRssMb?.toFixed(0)} MB` : r.error}`);
      }
    }
    log(`sweep (actlab run, 6 arms, ${SWEEP_N} samples × ${SWEEP_EPOCHS} epochs each) vs PyTorch one arm after another …`);
    const sweepRaw = benchRawConfig('mlp', SWEEP_ARMS.map((a) => a.ours), SWEEP_EPOCHS, SWEEP_N);
    // Interleaved rounds: ours on all cores, then PyTorch's six runs, so load hits both alike.
    for (let round = 0; round < Math.min(REPS, 2); round++) {
      sweeps.push(await runSweep(sweepRaw, ALL_CORES, true));
      if (torch) {
        const two = torchSweep(SWEEP_ARMS.map((a) => a.torch), SWEEP_N, SWEEP_EPOCHS, ALL_CORES);
        const one = torchSweep(SWEEP_ARMS.map((a) => a.torch), SWEEP_N, SWEEP_EPOCHS, 1);
        torchSweeps.push({ seconds: two.seconds, cpuSeconds: two.cpuSeconds, oneThreadSeconds: one.seconds, oneThreadCpuSeconds: one.cpuSeconds });
      }
      const o = sweeps.at(-1)!;
      const t = torchSweeps.at(-1);
      log(`  round ${round + 1}: ours ${o.ok ? `${o.seconds.toFixed(1)} s (${o.cpuSeconds.toFixed(1)} CPU-s)` : o.error}` +
        (t ? `, PyTorch ${t.seconds.toFixed(1)} s (${t.cpuSeconds.toFixed(1)} CPU-s; 1 thread ${t.oneThreadSeconds.toFixed(1)} s, ${t.oneThreadCpuSeconds.toFixed(1)} CPU-s)` : ''));
    }
    sweeps.push(await runSweep(sweepRaw, 1, true));
    sweeps.slice(-1).forEach((s) => log(`  ${s.gemm ? 'simd' : 'tfjs'} --parallel ${s.parallel}: ${s.ok ? `${s.samplesPerSec.toFixed(0)} samples/s (${s.seconds.toFixed(1)} s)` : s.error}`));
  } else {
    trainer = [];
    sweeps = [];
  }

  const load1 = loadavg();
  const md = render({ startedAt, load0, load1, torch, native, kernels, cells, trainer, sweeps, torchSweeps }) + (flag('no-expr') ? '' : exprSection());
  process.stdout.write(md);
  if (!flag('no-write')) {
    writeFileSync(join(ROOT, 'docs', 'PERFORMANCE.md'), md);
    log('wrote docs/PERFORMANCE.md');
  }
}

/** The webgpu run seen last (its backend and adapter decide which columns the table has). */
let webgpuSeen: CaseResult | undefined;
const webgpuTimed = (): boolean => webgpuSeen?.backend === 'webgpu' && !webgpuSeen.adapter?.software;

/** One cell's webgpu figures: samples/s on a hardware adapter; always its first losses against wasm's. */
function webgpuCell(model: 'mlp' | 'cnn', act: string, c: Cell): void {
  const id = `${model}-b128`;
  const gpu = runCase(ROOT, id, 'webgpu', ['--act', act, '--min-ms', '1000', '--reps', '1']);
  const ref = runCase(ROOT, id, 'wasm', ['--act', act, '--check-only']);
  if ('error' in gpu || 'error' in ref) return log(`  webgpu ${model}/${act}: ${'error' in gpu ? gpu.error : ''} ${'error' in ref ? ref.error : ''}`);
  webgpuSeen = gpu;
  if (gpu.backend !== 'webgpu') return log(`  webgpu ${model}/${act}: no adapter, ran ${gpu.backend} (${gpu.notes.join('; ')})`);
  // Noise activations draw the same numbers on both (one JS generator), so the losses compare too.
  c.webgpuCheck.push(maxRelDiff(gpu.losses, ref.losses));
  if (gpu.samplesPerSec !== undefined) c.webgpu.push(gpu.samplesPerSec);
}

function webgpuNote(): string {
  const a = webgpuSeen?.adapter;
  if (webgpuSeen?.backend !== 'webgpu' || !a) return `webgpu: no adapter here (${webgpuSeen?.notes.join('; ') ?? 'not run'}), so no webgpu figures.`;
  const what = `${a.description || a.device} (vendor ${a.vendor}, architecture ${a.architecture})`;
  return `webgpu: tfjs-backend-webgpu on ${what}, batch 128 (bench/gpu.ts). "losses vs wasm": the largest relative difference of the first 3 steps' losses from the same weights and data.` +
    (a.software ? ' A software renderer: correctness only, its speed is not a GPU\'s.' : '');
}

interface Report {
  startedAt: Date; load0: number[]; load1: number[]; torch: string | undefined; native: string | undefined; kernels: KernelRow[];
  cells: Map<string, Cell>;
  trainer: TrainerRow[];
  sweeps: SweepRun[];
  /** PyTorch's six sequential runs, one per round. */
  torchSweeps: TorchSweep[];
}

interface TrainerRow {
  model: 'mlp' | 'cnn'; act: string; gemm: boolean; threads: number; runs: TrainerRun[];
  /** The job's probe batch; probeSet: set in the config rather than the default. */
  probeSamples: number; probeSet?: boolean;
  quiet?: TrainerRun[]; chatty?: TrainerRun[];
}

/** Seconds one step event costs, from every-step vs first/last-step streaming (NaN without that A/B). */
function perEventSeconds(t: TrainerRow): number {
  if (!t.chatty || !t.quiet) return NaN;
  // Per interleaved pair: median epoch (warm-up epoch left out) with an event every step minus
  // without; the median over pairs. The difference is small next to epoch-to-epoch noise on a
  // shared machine, hence long runs and pairs (3-epoch runs once read 1.9 % for a cost that
  // 4-epoch pairs run by hand put at zero).
  const perPair = t.chatty.map((c, i) => {
    const q = t.quiet![i];
    if (!c.ok || !q?.ok) return NaN;
    const [ce, qe] = [c.epochs.slice(1), q.epochs.slice(1)];
    return (median(ce.map((e) => e.seconds)) - median(qe.map((e) => e.seconds))) /
      Math.max(1, median(ce.map((e) => e.stepEvents)) - median(qe.map((e) => e.stepEvents)));
  }).filter(Number.isFinite);
  return perPair.length ? Math.max(0, median(perPair)) : NaN;
}

/**
 * A trainer row's medians over runs and epochs after the first (which includes warm-up).
 * Streaming: the per-event cost (measured on the row's own A/B, else on `perEvent`) times the
 * default rate of events.
 */
function trainerFigures(t: TrainerRow, perEvent = perEventSeconds(t)): { eps: number; sec: number; probe: number; events: number; streaming: number; firstS: number; rssMb: number } {
  const ok = t.runs.filter((x) => x.ok);
  const epochs = ok.flatMap((x) => x.epochs.slice(1));
  const sec = median(epochs.map((e) => e.seconds));
  const events = median(epochs.map((e) => e.stepEvents));
  const streaming = (perEvent * events) / sec;
  return {
    eps: median(epochs.map((e) => e.samplesPerSec)), sec, events, streaming,
    probe: median(epochs.map((e) => (e.probeMs ?? NaN) / (e.seconds * 1000))),
    firstS: median(ok.map((x) => x.firstEpochMs ?? NaN)) / 1000,
    rssMb: median(ok.map((x) => x.peakRssMb ?? NaN)),
  };
}

const verdict = (ok: boolean): string => (ok ? '**met**' : '**not met**');

/** The speed issue's targets, each with its figures and a plain verdict. */
function targets(r: Report): string[] {
  const out = ['## Targets', '', '| target | figures | status |', '|---|---|---|'];
  const m = (model: string, act: string, col: Column): number => median(r.cells.get(`${model}/${act}`)?.[col] ?? []);
  for (const [model, goal] of [['mlp', 0.5], ['cnn', 1]] as const) {
    const acts = ACTS.filter((a) => r.cells.has(`${model}/${a}`));
    if (!acts.length || !r.torch) continue;
    // What the trainer runs for one job of this model alone: data-parallel where it pays.
    const threads = productThreads(model);
    const ourCol: Column = threads > 1 ? 'par' : 'simd';
    const vs2 = acts.map((a) => m(model, a, ourCol) / m(model, a, 'torch2'));
    const vsBest = acts.map((a) => m(model, a, ourCol) / Math.max(m(model, a, 'torch2'), m(model, a, 'torch1')));
    const figs = acts.map((a, i) => `${a} ${pct(vs2[i]!)} / ${pct(vsBest[i]!)}`).join(', ');
    const ok2 = vs2.every((x) => x >= goal);
    const okBest = vsBest.every((x) => x >= goal);
    const how = threads > 1 ? `${threads} threads (data-parallel)` : 'one thread';
    out.push(`| one job, ${model.toUpperCase()}, wasm (${how}, as the trainer runs it): ≥ ${pct(goal)} of PyTorch's samples/s | ours / PyTorch 2 threads (the issue's reference set-up) / ours / PyTorch's faster of 1 and 2 threads; wall, interleaved, medians: ${figs} | ` +
      `${ok2 ? `${verdict(true)} against PyTorch's 2 threads${okBest ? ' and its best' : `; against its best thread count ${verdict(false)} for ${acts.filter((_, i) => vsBest[i]! < goal).join(', ')}`}` : `${verdict(false)} (below for ${acts.filter((_, i) => vs2[i]! < goal).join(', ')})`} |`);
  }
  const ours = r.sweeps.filter((s) => s.gemm && s.parallel === ALL_CORES && s.ok);
  if (ours.length && r.torchSweeps.length) {
    const vs2 = ours.map((s, i) => (r.torchSweeps[i]?.seconds ?? NaN) / s.seconds);
    const vs1 = ours.map((s, i) => (r.torchSweeps[i]?.oneThreadSeconds ?? NaN) / s.seconds);
    const ok2 = median(vs2) >= 1;
    const ok1 = median(vs1) >= 1;
    out.push(`| 6-arm sweep on all cores no slower than PyTorch running the arms one after another | PyTorch s / ours s, wall, per round (≥ 1: we are faster): PyTorch 2 threads ${vs2.map((x) => fmt(x, 2)).join(', ')}; PyTorch 1 thread ${vs1.map((x) => fmt(x, 2)).join(', ')} | ` +
      `${ok2 && ok1 ? verdict(true) : ok2 ? `${verdict(true)} against 2 threads; ${verdict(false)} against 1 thread` : verdict(false)} |`);
  }
  for (const t of r.trainer.filter((x) => x.gemm && x.threads === productThreads(x.model) && !x.probeSet)) {
    const base = r.trainer.find((x) => x.model === t.model && x.gemm && x.threads === t.threads && x.chatty);
    const f = trainerFigures(t, base ? perEventSeconds(base) : NaN);
    const total = f.probe + (Number.isFinite(f.streaming) ? f.streaming : 0);
    const own = t.act === 'nrelu' ? ', whose probe needs a training-mode pass of its own' : ', probe shares the test evaluation\'s pass';
    out.push(`| probes + streaming ≤ 3 % of epoch time, ${t.model.toUpperCase()} ${t.act}${own} (8,000-sample epochs, ${fmt(t.probeSamples)}-sample probe (the default), ${t.threads} thread${t.threads > 1 ? 's' : ''}) | probe ${(100 * f.probe).toFixed(1)} % + streaming ${Number.isFinite(f.streaming) ? `${(100 * f.streaming).toFixed(1)} %` : '–'} = ${(100 * total).toFixed(1)} % | ${verdict(total <= 0.03)} |`);
  }
  const mlp = r.trainer.find((x) => x.gemm && x.model === 'mlp' && x.act === 'relu' && x.threads === productThreads('mlp'));
  if (mlp) {
    const f = trainerFigures(mlp);
    out.push(`| first epoch event ≤ 3 s after start (quick start, MLP) | ${fmt(f.firstS, 1)} s | ${verdict(f.firstS <= 3)} |`);
  }
  out.push('', TARGETS_NOTE, '');
  return out;
}

const TARGETS_NOTE = 'All comparisons with PyTorch are wall-clock, on the same machine, interleaved in time (ours, then PyTorch, set-up after set-up, each repetition), medians over the repetitions: whatever load the shared machine had hit both sides alike. PyTorch is shown with 2 threads (the issue\'s reference set-up) and 1 thread, which is faster here: on 2 cores its OpenBLAS pthread pool and OpenMP threads contend (a "1-thread" PyTorch process already keeps ~1.7 cores busy, so no per-CPU-second normalisation of PyTorch is meaningful).';

const fmt = (x: number, digits = 0): string => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');
const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(0)} %` : '–');

function render(r: Report): string {
  const out: string[] = [];
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  out.push('# Performance', '');
  out.push(`Generated by \`npm run bench\` (bench/run.ts) on ${r.startedAt.toISOString().slice(0, 16)} UTC. ` +
    'Re-run it to refresh every figure here; the text around the tables is kept by hand in bench/run.ts.', '');
  out.push(...targets(r));
  out.push('## Machine and method', '');
  out.push(`- ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; ` +
    `load average ${r.load0.map((l) => l.toFixed(1)).join(' / ')} at the start, ${r.load1.map((l) => l.toFixed(1)).join(' / ')} at the end ` +
    '(a shared machine: other processes compete for the cores, so absolute figures are lower bounds; the ratios, ' +
    'measured interleaved, hold better).');
  out.push('- tfjs 4.22 (tfjs-core + tfjs-backend-wasm, SIMD on, its own threads off in Node: one core per isolate; ' +
    'our data-parallel worker threads add more, see Threads below).');
  out.push('- **simd**: wasm with the kernels of src/trainer/kernels/gemm (native/gemm.c) registered for ' +
    'BatchMatMul, _FusedMatMul, Conv2D (≥ 4 input channels), Conv2DBackpropInput, Conv2DBackpropFilter, MaxPoolGrad, ' +
    'Sum (bias gradients), Identity (no copy), Exp and Erf, and Adam as FusedAdamOptimizer (one kernel per variable); ' +
    '"simd, tf.train.adam" is the same with tfjs\'s Adam. **tfjs**: the same backend with its own kernels plus the ' +
    'team\'s fixes in src/trainer/kernels (Conv2DBackpropFilter, which tfjs lacks; MaxPoolGrad; Conv2DBackpropInput), ' +
    'ACTLAB_NATIVE_GEMM=0.');
  out.push('- Training throughput: the trainer\'s own step (createModel, crossEntropy, Adam lr 1e-3, the Compute of ' +
    'src/trainer/compute.ts, batch assembly included; on N threads its data-parallel pool) on random 28×28 inputs, ' +
    'batch 128, one process per figure, timed runs of ≥ 1 s after 1.5 s of warm-up (4 s on 2 threads) ' +
    `(3 runs a process for "simd", 1 for the others); median over ${REPS} rounds. ` +
    'MLP 784-256-128-10; CNN conv3×3(16)-pool-conv3×3(32)-pool-dense128-10.');
  out.push(`- PyTorch: ${r.torch ? `torch ${r.torch}` : 'not available here'} running ../shared/reference/torch_reference.py ` +
    '(same models, Adam, random inputs; second of two epochs of 10,000 (MLP) or 4,000 (CNN) samples timed), ' +
    '2 threads and 1 thread, interleaved with the tfjs runs.', '');

  out.push('## Kernels (wasm, one core, CPU time per call, median of 5)', '');
  out.push('| operation | tfjs ms | tfjs GFLOP/s | simd ms | simd GFLOP/s | speed-up |', '|---|---:|---:|---:|---:|---:|');
  for (const k of r.kernels) {
    const g = (ms: number): string => (k.gflop > 0 ? fmt(k.gflop / (ms / 1000), 1) : '–');
    out.push(`| ${k.label} | ${fmt(k.tfjsMs, 2)} | ${g(k.tfjsMs)} | ${fmt(k.simdMs, 2)} | ${g(k.simdMs)} | ${fmt(k.tfjsMs / k.simdMs, 1)}× |`);
  }
  out.push('', '"tfjs" is what runs without these kernels: tfjs-wasm\'s, or the team\'s fixes in src/trainer/kernels ' +
    'where they replace it (Conv2DBackpropFilter, MaxPoolGrad, Conv2DBackpropInput).', '');

  out.push('## Training throughput, one job (samples/s)', '');
  out.push('"wall": samples per second of elapsed time, as measured on this shared machine; "per CPU-s": samples per ' +
    'second of the process\'s CPU time (all its threads), what one uncontended core would do for the single-threaded ' +
    'tfjs figures. PyTorch 2 threads per CPU-s counts both threads\' CPU time.', '');
  const nativeCol = (r.native ? ` ${r.native} wall |` : '') + (WEBGPU ? (webgpuTimed() ? ' webgpu wall | webgpu: losses vs wasm |' : ' webgpu: losses vs wasm |') : '');
  out.push(`| model | activation | simd wall | simd per CPU-s | simd ${ALL_CORES} thr wall | simd ${ALL_CORES} thr per CPU-s | simd, tf.train.adam per CPU-s | tfjs wall | tfjs per CPU-s | cpu wall |${nativeCol} PyTorch 2 thr wall | PyTorch 1 thr wall | simd / PyTorch 2 thr | simd ${ALL_CORES} thr / PyTorch 2 thr | simd / PyTorch 1 thr | simd / tfjs (per CPU-s) |`);
  out.push(`|---|---|---:|---:|---:|---:|---:|---:|---:|---:|${r.native ? '---:|' : ''}${WEBGPU ? (webgpuTimed() ? '---:|---:|' : '---:|') : ''}---:|---:|---:|---:|---:|---:|`);
  for (const [key, c] of r.cells) {
    const [model, act] = key.split('/');
    const m = (col: Column): number => median(c[col]);
    out.push(`| ${model} | ${act} | ${fmt(m('simd'))} | ${fmt(m('simdCpu'))} | ${fmt(m('par'))} | ${fmt(m('parCpu'))} | ${fmt(m('simdTfAdamCpu'))} | ${fmt(m('tfjs'))} | ${fmt(m('tfjsCpu'))} | ${fmt(m('cpu'))} | ` +
      `${r.native ? `${fmt(m('native'))} | ` : ''}${WEBGPU ? `${webgpuTimed() ? `${fmt(m('webgpu'))} | ` : ''}${c.webgpuCheck.length ? Math.max(...c.webgpuCheck).toExponential(1) : '–'} | ` : ''}${fmt(m('torch2'))} | ${fmt(m('torch1'))} | ${pct(m('simd') / m('torch2'))} | ${pct(m('par') / m('torch2'))} | ${pct(m('simd') / m('torch1'))} | ${fmt(m('simdCpu') / m('tfjsCpu'), 1)}× |`);
  }
  if (WEBGPU) out.push('', webgpuNote());
  out.push('', THREADS_NOTE, '', TORCH_NOTE, '', r.native
    ? `The native backend (${r.native}) was installed and measured ("${r.native} wall"); the trainer picks it for \`backend: "auto"\`.`
    : 'No native backend here: @tensorflow/tfjs-node(-gpu) cannot be installed offline (see README, "Backends"). Where it is installed, `npm run bench` adds its column, and the trainer picks it for `backend: "auto"`.', '');

  if (r.trainer.length) {
    out.push('## The real trainer (dist/trainer.js, MNIST 8,000 train / 1,000 test, 3 epochs)', '');
    out.push('| model | activation | kernels | threads | train samples/s | epoch s | probe samples | probe % of epoch | step events / epoch | streaming % of epoch | first epoch event after | peak RSS |');
    out.push('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const t of r.trainer) {
      const ok = t.runs.filter((x) => x.ok);
      const head = `| ${t.model} | ${t.act} | ${t.gemm ? 'simd' : 'tfjs'} | ${t.threads} |`;
      if (!ok.length) {
        out.push(`${head} failed: ${t.runs[0]?.error ?? ''} | | | | | | | |`);
        continue;
      }
      const { eps, sec, probe, events, streaming, firstS, rssMb } = trainerFigures(t);
      out.push(`${head} ${fmt(eps)} | ${fmt(sec, 2)} | ${fmt(t.probeSamples)}${t.probeSet ? ' (set)' : ''} | ${(100 * probe).toFixed(1)} % | ${fmt(events)} | ${Number.isFinite(streaming) ? `${(100 * streaming).toFixed(1)} %` : '–'} | ${fmt(firstS, 1)} s | ${fmt(rssMb)} MB |`);
    }
    out.push('', 'initBackend registers the kernels; ACTLAB_NATIVE_GEMM=0 turns them off (the "tfjs" rows). "simd" rows ' +
      'use FusedAdamOptimizer (createOptimizer\'s adam), the "tfjs" rows tfjs\'s Adam update. Threads: `--threads` as the scheduler passes it to a job run alone. ' +
      'Probe: the per-epoch dead-unit probe\'s own compute as the trainer times it (the statistics\' reductions on the evaluation pass, or the pass of its own for N-ReLU, the gradient norms and the read-back), as a share of the epoch it follows. ' +
      'Streaming: the cost of the default step-event rate, from the per-event cost of one event every step vs only the ' +
      `first and last (interleaved pairs of ${STREAMING_EPOCHS}-epoch runs; the median over pairs). ` +
      '"First epoch event after" counts from spawning the process: Node start, backend and data ' +
      'loading, the epoch-0 probe and one epoch. Peak RSS is VmHWM; the CNN\'s is mostly the probe and evaluation ' +
      'passes over 1,000 test images at once.', '');
  }
  if (r.sweeps.length) {
    out.push(`## Sweep: 6 arms on all cores vs PyTorch one arm after another (MLP, ${fmt(SWEEP_N)} samples × ${SWEEP_EPOCHS} epochs an arm)`, '');
    out.push(`| round | ours: wall s | PyTorch ${ALL_CORES} threads: wall s | PyTorch 1 thread: wall s | PyTorch ${ALL_CORES} thr s / ours s | PyTorch 1 thr s / ours s | ours: CPU-s | PyTorch ${ALL_CORES} threads: CPU-s | PyTorch 1 thread: CPU-s |`,
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    const ours = r.sweeps.filter((s) => s.gemm && s.parallel === ALL_CORES);
    ours.forEach((s, i) => {
      const t = r.torchSweeps[i];
      out.push(`| ${i + 1} | ${s.ok ? fmt(s.seconds, 1) : `failed: ${s.error}`} | ${fmt(t?.seconds ?? NaN, 1)} | ${fmt(t?.oneThreadSeconds ?? NaN, 1)} | ` +
        `${s.ok ? fmt((t?.seconds ?? NaN) / s.seconds, 2) : '–'} | ${s.ok ? fmt((t?.oneThreadSeconds ?? NaN) / s.seconds, 2) : '–'} | ` +
        `${fmt(s.cpuSeconds, 1)} | ${fmt(t?.cpuSeconds ?? NaN, 1)} | ${fmt(t?.oneThreadCpuSeconds ?? NaN, 1)} |`);
    });
    out.push('', `Arms: relu, nrelu σ 0.05, nrelu σ 0.1, leakyRelu α 0.01, leakyRelu α 0.1, gelu. Ours: \`actlab run\`, ` +
      'one trainer process per job (Node start, MNIST loading, backend init, per epoch: evaluation on 1,000 test ' +
      'samples and the dead-unit probe; the ratio includes all of it). PyTorch: six invocations of ' +
      '../shared/reference/torch_reference.py (2 threads; random inputs, no evaluation, no probes), timed together, ' +
      'Python and torch start-up included; its leaky slope is fixed at 0.01 (same cost). A round runs ours, then ' +
      'PyTorch\'s six with 2 threads, then with 1 thread, so load changes hit all. CPU-s: user + system time of all ' +
      'processes of the run (PyTorch\'s "1 thread" still keeps OpenBLAS\'s pthread pool spinning: ~1.7 cores busy).', '');
    out.push('Every run of this sweep (the --parallel ' + ALL_CORES + ' simd runs are the rounds above):', '');
    out.push('| kernels | --parallel | wall s | samples/s (all jobs) |', '|---|---:|---:|---:|');
    for (const s of r.sweeps) {
      const k = s.gemm ? 'simd' : 'tfjs';
      out.push(s.ok ? `| ${k} | ${s.parallel} | ${fmt(s.seconds, 1)} | ${fmt(s.samplesPerSec)} |` : `| ${k} | ${s.parallel} | failed | ${s.error} |`);
    }
    out.push('');
  }
  out.push(LIMITS, '');
  // Hand-kept: the webview's figures at scale (bench/panelAtScale.ts, from test/webview/scale.test.ts).
  out.push(PANEL_AT_SCALE);
  out.push(GPU_SECTION);
  return out.join('\n');
}

const THREADS_NOTE = `"simd ${ALL_CORES} thr": the same step data-parallel on ${ALL_CORES} threads (src/trainer/parallel: each worker thread ` +
  'runs a replica of the model on its shard of the batch; the main thread averages the gradients, applies Adam and ' +
  'publishes the weights). The trainer does that for a job alone when a step has enough work (the CNN); the MLP stays ' +
  'on one thread, where it is faster. Measured after 4 s of warm-up (1.5 s for one thread): with two isolates busy, ' +
  'V8\'s background compilers compete with them and the two-thread speed ramps up over the first 3–4 s, which the ' +
  'real-trainer table below (3 short epochs) includes.';

const TORCH_NOTE = 'PyTorch with 2 threads suffers most from other processes on a 2-core machine (its two threads ' +
  'wait on each other at every op), and even alone its 2-thread runs are slower than its 1-thread runs here. Our ' +
  'per-CPU-s columns (process CPU time, all threads) are the load-independent view of our side.';

const LIMITS = `## What limits each figure

- **GEMM ceiling.** wasm SIMD is 128-bit and has no fused multiply-add (relaxed SIMD is off in
  Node 20), so one core peaks near 50 GFLOP/s (two 4-wide multiplies and two adds a cycle); the
  4×8 micro-kernel in native/gemm.c reaches 40–50 GFLOP/s on every MLP shape, transposed operands
  included (they are packed, never materialised). PyTorch's OpenBLAS/oneDNN use 256-bit FMA: about
  twice the flops per core, and it has both cores. That gap is the floor under the PyTorch ratios.
- **MLP (simd).** The GEMMs are now about half of a step; the rest is tfjs's per-op cost (engine
  bookkeeping, an allocation per kernel) over ~80 kernel calls and the loss. FusedAdamOptimizer
  removed ~80 of the ~165 calls a step had. Further gains need fewer ops per step (fused bias +
  activation, a fused loss), not a faster GEMM.
- **MLP (tfjs).** tfjs-wasm's BatchMatMul with a transposed operand, which every backward GEMM has,
  runs at 2–3 GFLOP/s; it was > 90 % of the step.
- **CNN (simd).** The convolutions and their gradients are GEMMs over im2col rows staged through
  L2 (~40 GFLOP/s on conv2 forward, input gradient and filter gradient alike). conv1 has one input
  channel, a K = 9 GEMM: its forward pass stays on XNNPACK and its filter gradient (~11 GFLOP/s) is
  bound by the im2col traffic. Max-pool and its gradient, bias adds and the element-wise
  activation kernels take most of the rest.
- **Activations.** N-ReLU's noise is drawn on the wasm heap (native/noise.c: the same
  xoshiro128** + ziggurat as src/trainer/random/ziggurat.ts, bit for bit, so a seed gives the
  same numbers on the cpu backend) and mixed in by the same kernel (ActlabNReluTrain): one pass
  writes the output and the mask the backward pass multiplies by. 2.4 M normals (a CNN batch)
  took 23 ms in JS and take 8.7 ms there; N-ReLU's forward on conv1 (1.6 M activations a batch)
  takes ~5 ms where the JS draw, its upload and four element-wise kernels took ~18 ms. Tried and
  dropped: four interleaved streams in SIMD lanes (the ziggurat's table lookups stay scalar, wasm
  has no gather) took 2.4 M normals from 8.3 to 7.0 ms and left the fused N-ReLU kernel at 8.0 ms,
  not worth changing every N-ReLU run's numbers. GELU is one fused SIMD kernel each way (ActlabGelu, ActlabGeluTrain);
  erf still needs a division and an exp per element.
- **The trainer** adds per step: batch assembly, a per-step loss read-back (a sync point) and
  accuracy counting; per epoch: evaluation on the test split and a probe (see its table).
- **Probes.** A probe needs the hidden layers of a training-mode pass over the probe batch. For a
  deterministic activation (ReLU, leaky ReLU, GELU, ...) that is the test evaluation's own pass
  over the same samples, so the probe adds only its per-unit reductions (one native pass a layer,
  ActlabUnitSums, for Σ activation, #positive and #|f′| < τ: tfjs's ops took seven) and the norms
  of the gradient the last training step computed anyway. N-ReLU (and RReLU) differ between
  training and inference, so their probe runs a forward pass of its own: S samples forward cost
  about S / (3 N) of an N-sample epoch, plus the noise. A fixed 1,000-sample probe was ~4–6 % of
  the 8,000-sample epochs here (its row in the table above); the default probe batch is now 1/16
  of the training set within 256–1,000 (500 here, 1,000 from 16,000 training samples up, so full
  MNIST keeps 1,000): 2.5 % (MLP) and 2.9 % (CNN, 2 threads) here, where S / (3 N) alone is 2.1 %. \`probes.samples\` and \`probes.every\` set it
  explicitly; the reproduction presets do.
- **Threads.** tfjs-wasm runs one thread per isolate in Node. A job alone gets the cores
  (src/runner/scheduler.ts) and, when a step has enough work (≥ 5·10⁷ forward multiply-adds: the
  CNN, not the MLP), trains data-parallel on worker threads (src/trainer/parallel): shards of each
  batch on replicas, gradients averaged and Adam applied on the main thread, weights published
  through shared memory. Two threads give 1.5–1.7× on the CNN, not 2×: each step waits for the
  slower shard, the averaging, Adam and the weight copies run on one thread, and two busy isolates
  slow each other ~15 % (shared caches, V8's background work). On the MLP each shard's 2–3 ms of
  kernels is mostly per-op overhead that sharding does not halve, so it stays on one thread.
  The numbers depend on the shard count (noise per shard, summation order); the thread count is
  in each job's jobStart event, so a run can be repeated exactly.
- **cpu backend**: plain JS loops; only for reference.
- **Sweeps**: one job per process, one thread each when the jobs fill the cores; --parallel N
  scales with free cores. Short jobs are dominated by process start, data loading and per-epoch
  evaluation.
- **Noise**: the machine is shared; compare columns of one table (measured interleaved), not tables
  from different days. The per-CPU-second columns are the steadier ones.

## How it is built, and how to hook it in

- native/gemm.c → native/gemm.wasm (~25 KB) with \`native/build.sh\` (clang-14 + wasm-ld-14,
  \`--target=wasm32 -msimd128 -O3 -nostdlib\`; no emscripten). The module imports its memory and
  has no data segments and no shadow stack (build.sh refuses either), so it is instantiated on
  tfjs-wasm's own heap and reads and writes tensors in place: no copies. The same bytes are
  embedded as base64 in src/trainer/kernels/gemm/gemmWasm.ts (generated by build.sh), so the
  bundled trainer needs no file lookup; test/unit/trainer/gemm.test.ts checks that the two agree
  and, where clang-14 is installed (\`apt-get install clang-14 lld-14\`), that a rebuild
  reproduces the committed binary byte for byte.
- \`await registerGemmKernels()\` (src/trainer/kernels/gemm/index.ts) registers the kernels for
  the 'wasm' backend, before or after \`tf.setBackend('wasm')\`; each falls back to the kernel it
  replaced for cases it does not cover (NCHW, depthwise, overlapping pools, non-float32).
  \`ACTLAB_NATIVE_GEMM=0\` disables it. \`new FusedAdamOptimizer(lr)\` is a drop-in for
  \`tf.train.adam(lr)\` (tfjs's update on other backends).
- initBackend (src/trainer/backend.ts) registers them for wasm after the team's own kernel fixes
  (src/trainer/kernels), which they fall back on; createOptimizer (src/trainer/optimizers.ts)
  returns FusedAdamOptimizer for adam, so the trainer and sweep rows run the product as shipped.`;

void main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
