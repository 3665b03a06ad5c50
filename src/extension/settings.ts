/** Settings → values the run manager uses (pure, so the path rules are testable). */
import { isAbsolute, join, dirname, normalize } from 'node:path';
import { BACKENDS, type BackendChoice } from '../core/config';

export const DEFAULT_RUNS_FOLDER = '.actlab/runs';

/**
 * Where runs of the config at `configPath` go. Empty → `.actlab/runs` next to the config (the CLI's
 * default too, so both tools share one folder). `${workspaceFolder}` is expanded; any other relative
 * path is taken relative to the config's folder.
 */
export function resolveRunsFolder(setting: string | undefined, configPath: string, workspaceFolder?: string): string {
  let s = (setting ?? '').trim() || DEFAULT_RUNS_FOLDER;
  if (s.includes('${workspaceFolder}')) s = s.split('${workspaceFolder}').join(workspaceFolder ?? dirname(configPath));
  return normalize(isAbsolute(s) ? s : join(dirname(configPath), s));
}

/** 0 (or anything not a positive integer) means one job per core; never fewer than one. */
export function resolveParallel(setting: unknown, cores: number): number {
  const n = typeof setting === 'number' && Number.isFinite(setting) ? Math.floor(setting) : 0;
  return n >= 1 ? n : Math.max(1, cores);
}

export function resolveBackend(setting: unknown): BackendChoice {
  return typeof setting === 'string' && (BACKENDS as readonly string[]).includes(setting) ? (setting as BackendChoice) : 'auto';
}
