/**
 * "Compare Runs…": several run folders merged by core/compare into one self-contained page
 * (the same page as `actlab report --compare`), written beside the first run and opened.
 * The panel shows it as report.html does; a live in-editor comparison panel is a PanelTarget
 * of its own (panel.ts), not done here.
 */
import * as path from 'node:path';
import { buildReportHtml } from '../report/reportHtml';
import { comparisonPage } from '../runner/reportFile';
import { writeFileAtomic } from '../runner/runStore';

/** Writes the comparison page of `runDirs` (≥ 2) and returns its path. */
export function writeComparison(runDirs: readonly string[]): string {
  const { html, runIds } = comparisonPage(runDirs, buildReportHtml);
  const out = path.join(path.dirname(runDirs[0]!), `compare-${runIds.join('+').replace(/[^\w.+-]+/g, '_').slice(0, 120)}.html`);
  writeFileAtomic(out, html);
  return out;
}
