/**
 * This machine's measured speed, for the run-time estimate (issue 19: ~21 s estimated for a CNN
 * sweep that took ~100 s under load): the samples/s that the last few runs next to the config,
 * and in the last run's folder, recorded per arm in summary.json on the wasm backend.
 * Reading them costs two small files per run; anything unreadable is skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedConfig } from '../core/config';
import { calibrateSpeed, type MeasuredSpeed, type SpeedCalibrations } from '../core/estimate';
import type { Summary } from '../core/summary';
import { listRuns } from '../runner/runs';
import { CONFIG_FILE, SUMMARY_FILE } from '../runner/runStore';
import { lastRunsFolder } from './state';

/** How many recent runs count: recent enough to reflect today's load, enough to give a range. */
const RECENT_RUNS = 5;
/** Larger config.json / summary.json files are skipped (a 10,000-job sweep's config is ~10 MB). */
const MAX_FILE_BYTES = 32 * 2 ** 20;

function readSmallJson(file: string): unknown {
  try {
    if (fs.statSync(file).size > MAX_FILE_BYTES) return undefined;
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** "wasm ×2" → 2 threads; other backends are not what the estimate models. */
function wasmThreads(backend: string | undefined): number | undefined {
  const m = /^wasm(?: ×(\d+))?$/.exec(backend ?? '');
  return m ? Number(m[1] ?? 1) : undefined;
}

function measuredArms(runDir: string): MeasuredSpeed[] {
  const config = readSmallJson(path.join(runDir, CONFIG_FILE)) as ResolvedConfig | undefined;
  const summary = readSmallJson(path.join(runDir, SUMMARY_FILE)) as Summary | undefined;
  if (!Array.isArray(config?.jobs) || !Array.isArray(summary?.arms)) return [];
  const out: MeasuredSpeed[] = [];
  for (const arm of summary.arms) {
    const threads = wasmThreads(arm.backend);
    const job = config.jobs.find((j) => j.armId === arm.armId);
    const s = arm.samplesPerSec;
    if (threads === undefined || !job || !s || arm.partial) continue;
    out.push({ job, samplesPerSec: { mean: s.mean, min: s.min, max: s.max, n: s.n }, threads });
  }
  return out;
}

/** The measured speed, per model type, from the recent runs in `<config dir>/.actlab/runs` and the last runs folder. */
export function measuredSpeed(configPath: string, lastFolder: string | undefined = lastRunsFolder()): SpeedCalibrations {
  const dirs = [...new Set([path.join(path.dirname(configPath), '.actlab', 'runs'), ...(lastFolder ? [lastFolder] : [])])];
  const runs = dirs.flatMap((d) => listRuns(d)).filter((r) => r.status === 'completed')
    .sort((a, b) => (a.started < b.started ? 1 : -1)).slice(0, RECENT_RUNS);
  return calibrateSpeed(runs.flatMap((r) => measuredArms(r.runDir)));
}
