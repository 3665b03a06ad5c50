/**
 * The shareable page of a comparison: several run folders merged by core/compare into one
 * self-contained page (the same page as `actlab report --compare`), written beside the first
 * run. "Compare Runs…" opens the comparison in a results panel (panel.ts, target 'compare');
 * that panel's "Open report" writes this page and opens it outside VS Code.
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
