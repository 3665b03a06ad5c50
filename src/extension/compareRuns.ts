/**
 * "Compare Runs…": several run folders merged by core/compare into one self-contained page
 * (the same page as `actlab report --compare`), written beside the first run and opened.
 * The panel shows it as report.html does; a live in-editor comparison panel is a PanelTarget
 * of its own (panel.ts), not done here.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareRuns } from '../core/compare';
import { buildReportHtml } from '../report/reportHtml';
import { reportAssets } from '../runner/reportFile';
import { readRun } from '../runner/runs';

/** Writes the comparison page of `runDirs` (≥ 2) and returns its path. */
export function writeComparison(runDirs: readonly string[]): string {
  const runs = runDirs.map((dir) => {
    const run = readRun(dir);
    const start = run.events.find((e) => e.type === 'runStart');
    return { runId: start?.type === 'runStart' ? start.runId : path.basename(dir), config: run.config, events: run.events };
  });
  const cmp = compareRuns(runs);
  const assets = reportAssets();
  const html = buildReportHtml({
    runId: cmp.runId, config: cmp.config, events: cmp.events,
    script: fs.readFileSync(assets.script, 'utf8'), style: fs.readFileSync(assets.style, 'utf8'), nonce: randomBytes(16).toString('base64'),
  });
  const out = path.join(path.dirname(runDirs[0]!), `compare-${runs.map((r) => r.runId).join('+').replace(/[^\w.+-]+/g, '_').slice(0, 120)}.html`);
  fs.writeFileSync(out, html);
  return out;
}
