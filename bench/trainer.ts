/**
 * End-to-end figures from the real trainer (dist/trainer.js, one job per process, as the
 * runner forks it) and the CLI (sweeps): epoch cost of probes and event streaming, time to the
 * first epoch event, peak RSS, and sweep throughput at --parallel 1 vs all cores.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobSpec, RawConfig } from '../src/core/config';
import { resolveConfig } from '../src/core/expand';

export const ROOT = join(__dirname, '..');

export interface TrainerRun {
  ok: boolean;
  /** ms from spawning the process to its first epoch event. */
  firstEpochMs?: number;
  /** Per epoch: seconds (whole epoch), train-only samples/s, probe ms, step events. */
  epochs: Array<{ seconds: number; samplesPerSec: number; probeMs?: number; stepEvents: number }>;
  peakRssMb?: number;
  error?: string;
}

function peakRssKb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function benchRawConfig(
  model: 'mlp' | 'cnn', activations: RawConfig['activations'], epochs: number, trainSize: number,
  probes: { stepEventMs?: number; samples?: number } = {},
): RawConfig {
  return {
    name: `bench ${model}`,
    data: { dataset: 'mnist', trainSize, testSize: 1000 },
    model: model === 'mlp' ? { type: 'mlp', hidden: [256, 128] } : { type: 'cnn', conv: [16, 32], dense: [128] },
    activations,
    training: { epochs, batchSize: 128, optimizer: 'adam', learningRate: 0.001, seeds: [1] },
    backend: 'wasm',
    ...(Object.keys(probes).length ? { probes } : {}),
  };
}

/** Runs one job in `node dist/trainer.js --job file` and collects its events. */
export function runTrainerJob(job: JobSpec, opts: { gemm: boolean; threads?: number }): Promise<TrainerRun> {
  const dir = mkdtempSync(join(tmpdir(), 'actlab-bench-'));
  const file = join(dir, 'job.json');
  writeFileSync(file, JSON.stringify(job));
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'trainer.js'), '--job', file, '--threads', String(opts.threads ?? 1)], {
    env: kernelEnv(opts.gemm), stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: TrainerRun = { ok: false, epochs: [] };
  let peak = 0;
  // VmHWM only grows, so the last reading before exit is the peak.
  const poll = setInterval(() => { peak = Math.max(peak, peakRssKb(child.pid!) ?? 0); }, 50);
  let buffered = '';
  let stepEvents = 0;
  let pendingEpoch: TrainerRun['epochs'][number] | undefined;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      let e: { type?: string; seconds?: number; samplesPerSec?: number; ms?: number; epoch?: number; status?: string; message?: string };
      try { e = JSON.parse(line) as typeof e; } catch { continue; }
      if (e.type === 'step') stepEvents++;
      if (e.type === 'epoch') {
        run.firstEpochMs ??= performance.now() - t0;
        pendingEpoch = { seconds: e.seconds ?? NaN, samplesPerSec: e.samplesPerSec ?? NaN, stepEvents };
        run.epochs.push(pendingEpoch);
        stepEvents = 0;
      }
      if (e.type === 'probe' && pendingEpoch && (e.epoch ?? 0) > 0) pendingEpoch.probeMs = e.ms;
      if (e.type === 'jobEnd') {
        run.ok = e.status === 'completed';
        if (!run.ok) run.error = `${e.status}: ${e.message ?? ''}`;
      }
    }
  });
  return new Promise((resolve) => {
    child.on('close', () => {
      clearInterval(poll);
      rmSync(dir, { recursive: true, force: true });
      if (peak > 0) run.peakRssMb = peak / 1024;
      if (!run.ok && !run.error) run.error = stderr.trim().split('\n').slice(-3).join(' | ') || 'no jobEnd';
      resolve(run);
    });
  });
}

export function jobsOf(raw: RawConfig): JobSpec[] {
  return resolveConfig(raw).jobs;
}

/** CPU seconds: user + system of all (waited-for) descendants, from `children`'s `times` line. */
export interface SweepRun { ok: boolean; parallel: number; gemm: boolean; seconds: number; cpuSeconds: number; samplesPerSec: number; error?: string }

/**
 * bash runs the command, then prints with `times` the CPU time of its children, which on Linux
 * includes every descendant that was waited for (the CLI waits for its trainers): the CPU cost
 * of a whole sweep, which other processes' load does not inflate the way it does wall time.
 */
export function withChildCpu(argv: string[]): [string, string[]] {
  return ['bash', ['-c', '"$0" "$@"; s=$?; times >&2; exit $s', ...argv]];
}

/** The children's user + system seconds from a withChildCpu run's stderr. */
export function childCpuSeconds(stderr: string): number {
  const line = stderr.trim().split('\n').at(-1) ?? '';
  const parts = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return parts.length === 2 ? parts[0]! + parts[1]! : NaN;
}

/** Env for a process whose trainers (forked with env inherited) get the kernels or not. */
function kernelEnv(gemm: boolean): NodeJS.ProcessEnv {
  return gemm ? { ...process.env } : { ...process.env, ACTLAB_NATIVE_GEMM: '0' };
}

/** `actlab run` on a config file; throughput = samples trained by all jobs / wall time. */
export function runSweep(raw: RawConfig, parallel: number, gemm: boolean): Promise<SweepRun> {
  const dir = mkdtempSync(join(tmpdir(), 'actlab-sweep-'));
  const file = join(dir, 'sweep.actlab.json');
  writeFileSync(file, JSON.stringify(raw));
  const jobs = jobsOf(raw);
  const samples = jobs.reduce((n, j) => n + j.data.trainSize * j.training.epochs, 0);
  const t0 = performance.now();
  const [cmd, args] = withChildCpu([process.execPath,
    join(ROOT, 'bin', 'actlab.js'), 'run', file, '--json', '--quiet', '--parallel', String(parallel), '--out', join(dir, 'runs'),
  ]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: kernelEnv(gemm) });
  let stderr = '';
  let completed = 0;
  let buffered = '';
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.includes('"jobEnd"') && line.includes('"completed"')) completed++;
    }
  });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      rmSync(dir, { recursive: true, force: true });
      const ok = code === 0 && completed === jobs.length;
      resolve({
        ok, parallel, gemm, seconds, cpuSeconds: childCpuSeconds(stderr), samplesPerSec: samples / seconds,
        ...(ok ? {} : { error: `exit ${code}, ${completed}/${jobs.length} jobs completed: ${stderr.trim().split('\n').slice(-2).join(' | ')}` }),
      });
    });
  });
}

export const ALL_CORES = availableParallelism();
