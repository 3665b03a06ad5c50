/**
 * Runs a preset through the real CLI (`node bin/actlab.js run`) and reads the run folder back:
 * the same path a user takes, so the reproduction also exercises the product.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import type { JobSpec, ResolvedConfig } from '../../src/core/config';
import { decodeEventLine, type EpochEvent, type ProbeEvent } from '../../src/core/protocol';

/** One job's record: its spec, epoch events in order, probes by epoch, and how it ended. */
export interface JobRecord {
  job: JobSpec;
  epochs: EpochEvent[];
  probes: ProbeEvent[];
  status: string;
  /** The backend the trainer reported at jobStart. */
  backend?: string;
}

export interface RunRecord {
  runDir: string;
  resolved: ResolvedConfig;
  jobs: JobRecord[];
  status: string;
  /** Wall-clock seconds from runStart to runEnd (NaN while running). */
  seconds: number;
}

/** The JSONC preset as an object (throws on a syntax error). */
export function readPreset(path: string): Record<string, unknown> {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(readFileSync(path, 'utf8'), errors, { allowTrailingComma: true });
  if (errors.length > 0 || typeof value !== 'object' || value === null) throw new Error(`${path}: not a valid JSONC object`);
  return value as Record<string, unknown>;
}

/** Writes a (possibly shrunk) preset as plain JSON, without its $schema (the path would be wrong). */
export function writePreset(preset: Record<string, unknown>, path: string): void {
  const { $schema: _schema, ...rest } = preset;
  writeFileSync(path, `${JSON.stringify(rest, null, 2)}\n`);
}

/** Reads a finished (or partial) run folder. */
export function readRun(runDir: string): RunRecord {
  const resolved = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8')) as ResolvedConfig;
  const byId = new Map<string, JobRecord>();
  for (const job of resolved.jobs) byId.set(job.jobId, { job, epochs: [], probes: [], status: 'queued' });
  let status = 'running';
  let seconds = Number.NaN;
  const path = join(runDir, 'events.jsonl');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const e = decodeEventLine(line);
    if (typeof e === 'string') continue; // a torn last line of a live run
    if (e.type === 'runEnd') { status = e.status; seconds = e.seconds; continue; }
    if (e.type === 'runStart' || e.jobId === undefined) continue;
    const rec = byId.get(e.jobId);
    if (!rec) continue;
    if (e.type === 'epoch') rec.epochs.push(e);
    else if (e.type === 'probe') rec.probes.push(e);
    else if (e.type === 'jobStart') { rec.status = 'running'; rec.backend = e.backend.name; }
    else if (e.type === 'jobEnd') rec.status = e.status;
  }
  for (const r of byId.values()) r.epochs.sort((a, b) => a.epoch - b.epoch);
  return { runDir, resolved, jobs: [...byId.values()], status, seconds };
}

/** The single run folder under `outDir` (the newest when there are several). */
export function findRunDir(outDir: string): string | undefined {
  if (!existsSync(outDir)) return undefined;
  const dirs = readdirSync(outDir)
    .map((n) => join(outDir, n))
    .filter((p) => statSync(p).isDirectory() && existsSync(join(p, 'config.json')))
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
  return dirs[dirs.length - 1];
}

/**
 * `node bin/actlab.js run <preset> --out <outDir> --parallel N --quiet`, its output appended to
 * `log`. Resolves with the run folder once the CLI exits (exit code 1 — a diverged job — is a
 * result, not an error; anything else without a run folder is).
 */
export function runPreset(root: string, preset: string, outDir: string, parallel: number, log: (s: string) => void): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/actlab.js'), 'run', preset, '--out', outDir, '--parallel', String(parallel), '--quiet'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => log(d.toString()));
    child.stderr.on('data', (d: Buffer) => log(d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const dir = findRunDir(outDir);
      if (dir && (code === 0 || code === 1)) resolve(dir);
      else reject(new Error(`actlab run ${preset} exited with ${code}${dir ? '' : ' and wrote no run folder'}`));
    });
  });
}

/** Jobs grouped by a key (e.g. the arm), in first-seen order. */
export function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}
