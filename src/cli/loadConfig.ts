/** Read → validate → resolve a config file, with diagnostics formatted for the terminal. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedConfig } from '../core/config';
import { resolveConfig } from '../core/expand';
import { formatDiagnostic, validateConfigText } from '../core/validate';
import { measuredSpeed } from './calibrate';
import { fsReason } from './errors';

export interface LoadedConfig {
  /** Present when the config has no errors. */
  resolved?: ResolvedConfig;
  jobCount?: number;
  errors: number;
  /** `file:line:col: severity: message [code]` lines, in order. */
  messages: string[];
  /** Set when the file could not be read at all (the reason in words). */
  readError?: string;
}

/** `display` is the name printed in diagnostics (as the user typed it); `resolve` expands the
 * jobs when the config is valid. */
export function loadConfigFile(absPath: string, display: string, resolve: boolean): LoadedConfig {
  let text: string;
  try {
    text = fs.readFileSync(absPath, 'utf8');
  } catch (e) {
    const readError = fsReason(e);
    return { errors: 1, readError, messages: [`${display}: error: cannot read file: ${readError}`] };
  }
  // The run-time estimate scaled to this machine's speed in its recent runs, when there are some.
  const speed = measuredSpeed(absPath);
  const result = validateConfigText(text, { baseDir: path.dirname(absPath), fileExists: (p) => fs.existsSync(p), speed });
  const messages = result.diagnostics.map((d) => formatDiagnostic(display, d));
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const loaded: LoadedConfig = { errors, messages };
  if (result.jobCount !== undefined) loaded.jobCount = result.jobCount;
  if (resolve && errors === 0 && result.config) {
    loaded.resolved = resolveConfig(result.config, { sourcePath: absPath });
  }
  return loaded;
}
