/**
 * Runs a preset through the real CLI (`node bin/actlab.js run`) and reads the run folder back:
 * the same path a user takes, so the reproduction also exercises the product.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import type { ResolvedConfig } from '../../src/core/config';
import { configJobs, foldEvents, type ConfigJob, type RunPhase, type RunState } from '../../src/core/runState';
import { validateConfigText } from '../../src/core/validate';
import { readRun } from '../../src/runner/runs';

/** One job as the studies read it: the shared fold's job (spec, status, history, probes, …). */
export type StudyJob = ConfigJob;

/**
 * A run folder read by the runner (`readRun`, the same reader the CLI and the extension use) and
 * folded by core/runState: no reproduction-only parser or status names.
 */
export interface StudyRun {
  runDir: string;
  config: ResolvedConfig;
  state: RunState;
  /** The config's jobs, in config order; each `history` sorted by epoch. */
  jobs: StudyJob[];
  status: RunPhase;
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

/**
 * Why a preset cannot run here: the data folder it names is absent (the CIFAR-10 preset until the
 * user supplies the files), as the validator words it. Undefined when the data is there.
 */
export function absentData(presetPath: string): string | undefined {
  const r = validateConfigText(readFileSync(presetPath, 'utf8'), { baseDir: dirname(presetPath), fileExists: existsSync });
  const missing = r.diagnostics.find((d) => d.code === 'path-not-found');
  return missing ? `files absent: ${missing.message}` : undefined;
}

/** Reads a finished (or partial) run folder; a torn last line of a live run is skipped. */
export function loadStudyRun(runDir: string): StudyRun {
  const { config, events } = readRun(runDir);
  const state = foldEvents(config, events);
  const jobs = configJobs(state);
  // Studies index epochs by position (epoch e at e − 1); events normally arrive in order anyway.
  for (const j of jobs) j.history.sort((a, b) => a.epoch - b.epoch);
  return { runDir, config, state, jobs, status: state.status, seconds: state.seconds ?? Number.NaN };
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
 * `node bin/actlab.js run <preset> --out <outDir> --parallel N --quiet [--backend NAME]`, its output appended to
 * `log`. Resolves with the run folder once the CLI exits (exit code 1 — a diverged job — is a
 * result, not an error; anything else without a run folder is).
 */
export function runPreset(root: string, preset: string, outDir: string, parallel: number, log: (s: string) => void, backend?: string): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const args = [join(root, 'bin/actlab.js'), 'run', preset, '--out', outDir, '--parallel', String(parallel), '--quiet', ...(backend ? ['--backend', backend] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
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
