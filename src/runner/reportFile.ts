/**
 * Writes <runDir>/report.html. The page itself is built by src/report (pure, and not imported
 * here: the runner does not depend on the report); the CLI and the extension pass
 * `buildReportHtml` in, and hand the result to the scheduler as its `writeReport` hook.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ResolvedConfig } from '../core/config';
import type { ActlabEvent } from '../core/protocol';
import { readRun } from './runs';

/** What a report page is built from; structurally src/report's ReportInput. */
export interface ReportPageInput {
  runId: string;
  config: ResolvedConfig;
  events: readonly ActlabEvent[];
  script: string;
  style: string;
  nonce: string;
}

export type ReportPageBuilder = (input: ReportPageInput) => string;

/**
 * The built webview bundle and stylesheet. Bundled into dist/cli.js or dist/extension.js,
 * __dirname is dist/ (webview.js beside it, media/ one up); run from src/runner through tsx,
 * the repository root is two levels up.
 */
export function reportAssets(): { script: string; style: string } {
  const roots = [join(__dirname, '..'), join(__dirname, '..', '..')];
  for (const root of roots) {
    const script = join(root, 'dist', 'webview.js');
    const style = join(root, 'media', 'panel.css');
    if (existsSync(script) && existsSync(style)) return { script, style };
  }
  const besides = join(__dirname, 'webview.js');
  const style = join(dirname(__dirname), 'media', 'panel.css');
  if (existsSync(besides) && existsSync(style)) return { script: besides, style };
  throw new Error(`webview bundle not found near ${__dirname} (run \`npm run build\`)`);
}

/** Writes <runDir>/report.html from the run folder and returns its path. */
export function writeReportFile(runDir: string, build: ReportPageBuilder): string {
  const run = readRun(runDir);
  const start = run.events.find((e) => e.type === 'runStart');
  const runId = start?.type === 'runStart' ? start.runId : basename(runDir);
  const assets = reportAssets();
  const html = build({
    runId,
    config: run.config,
    events: run.events,
    script: readFileSync(assets.script, 'utf8'),
    style: readFileSync(assets.style, 'utf8'),
    nonce: randomBytes(16).toString('base64'),
  });
  const out = join(runDir, 'report.html');
  writeFileSync(out, html);
  return out;
}
