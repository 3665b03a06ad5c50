/**
 * Export Run: every metric as CSV (one row per job and epoch, probes included), the step losses
 * as a second CSV, and summary.json next to them (copied, or computed when the run has none).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedConfig } from '../core/config';
import { eventsToCsv, stepsToCsv } from '../core/csv';
import { finiteOrNull, type ActlabEvent } from '../core/protocol';
import { summarize } from '../core/summary';
import { SUMMARY_FILE } from '../runner/runStore';

export interface ExportedFiles {
  csv: string;
  steps: string;
  summary: string;
}

/** `/x/run.csv` → `/x/run.csv`, `/x/run.steps.csv`, `/x/run.summary.json`. */
export function exportPaths(csvPath: string): ExportedFiles {
  const base = csvPath.replace(/\.csv$/i, '');
  return { csv: `${base}.csv`, steps: `${base}.steps.csv`, summary: `${base}.summary.json` };
}

export function writeExport(runDir: string, config: ResolvedConfig, events: readonly ActlabEvent[], csvPath: string): ExportedFiles {
  const files = exportPaths(csvPath);
  fs.mkdirSync(path.dirname(files.csv), { recursive: true });
  fs.writeFileSync(files.csv, eventsToCsv(config, events));
  fs.writeFileSync(files.steps, stepsToCsv(config, events));
  const summaryFile = path.join(runDir, SUMMARY_FILE);
  if (fs.existsSync(summaryFile)) fs.copyFileSync(summaryFile, files.summary);
  else {
    const summary = summarize(config, events, path.basename(runDir));
    fs.writeFileSync(files.summary, `${JSON.stringify(summary, finiteOrNull, 2)}\n`);
  }
  return files;
}
