/**
 * Writes <runDir>/report.html. The page itself is built by src/report (pure, and not imported
 * here: the runner does not depend on the report); the CLI and the extension pass
 * `buildReportHtml` in, and hand the result to the scheduler as its `writeReport` hook.
 * Written through a temporary file and rename (safeFile.ts): a symlinked report.html is
 * refused, never followed, and a full disk leaves no truncated page.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { compareRuns } from '../core/compare';
import type { ResolvedConfig } from '../core/config';
import { PROTOCOL_VERSION, type ActlabEvent } from '../core/protocol';
import { REPORT_FILE } from './runStore';
import { readRun, runInfo } from './runs';
import { writeFileAtomic } from './safeFile';

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

/** A run's config and events as its writer holds them (the same as in its folder). */
export interface KnownRun { config: ResolvedConfig; events: readonly ActlabEvent[] }

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

/**
 * A run whose writer is gone without a runEnd (killed, crashed, out of power) would show as
 * 'running' forever: the page gets (in memory only; events.jsonl is not touched) a warning, a
 * 'failed' end for each job cut off, and a 'failed' runEnd.
 */
export function endInterrupted(runDir: string, events: readonly ActlabEvent[]): readonly ActlabEvent[] {
  if (events.some((e) => e.type === 'runEnd') || runInfo(runDir)?.status !== 'interrupted') return events;
  const last = events.at(-1);
  const t = last?.t ?? Date.now();
  const started = new Map<string, { epoch: number; step: number }>();
  for (const e of events) {
    if (e.type === 'jobStart') started.set(e.jobId, { epoch: 0, step: 0 });
    else if ((e.type === 'epoch' || e.type === 'step') && started.has(e.jobId)) started.set(e.jobId, { epoch: e.epoch, step: e.step });
    else if (e.type === 'jobEnd') started.delete(e.jobId);
  }
  const why = 'interrupted: the process writing this run stopped before the run ended';
  const ends: ActlabEvent[] = [...started].map(([jobId, at]) => ({
    type: 'jobEnd', v: PROTOCOL_VERSION, t, jobId, status: 'failed', ...at, seconds: 0, message: why,
  }));
  const start = events.find((e) => e.type === 'runStart');
  const runId = start?.type === 'runStart' ? start.runId : basename(runDir);
  return [...events, { type: 'log', v: PROTOCOL_VERSION, t, level: 'warn', message: `${why}; jobs it had not finished are shown failed, jobs it had not started as queued` },
    ...ends, { type: 'runEnd', v: PROTOCOL_VERSION, t, runId, status: 'failed', seconds: start ? (t - start.t) / 1000 : 0 }];
}

/**
 * Writes <runDir>/report.html from the run folder and returns its path. Lines of events.jsonl
 * that were skipped are added to `warnings` (the caller tells the user).
 */
export function writeReportFile(runDir: string, build: ReportPageBuilder, warnings: string[] = [], known?: KnownRun): string {
  // The run's writer already holds what it wrote: no need to parse it back (10,000 jobs: 10 MB).
  let run: KnownRun;
  if (known) run = known;
  else {
    const rec = readRun(runDir);
    warnings.push(...rec.warnings);
    run = rec;
  }
  const start = run.events.find((e) => e.type === 'runStart');
  const runId = start?.type === 'runStart' ? start.runId : basename(runDir);
  const assets = reportAssets();
  const html = build({
    runId,
    config: run.config,
    events: endInterrupted(runDir, run.events),
    script: readFileSync(assets.script, 'utf8'),
    style: readFileSync(assets.style, 'utf8'),
    nonce: randomBytes(16).toString('base64'),
  });
  const out = join(runDir, REPORT_FILE);
  writeFileAtomic(out, html);
  return out;
}

/**
 * One self-contained page of several runs (core/compare: arms prefixed by their run, the
 * settings that differ): what `actlab report --compare` and "Compare Runs…" write.
 */
export function comparisonPage(runDirs: readonly string[], build: ReportPageBuilder): { html: string; runIds: string[] } {
  const runs = runDirs.map((dir) => {
    const run = readRun(dir);
    const start = run.events.find((e) => e.type === 'runStart');
    return { runId: start?.type === 'runStart' ? start.runId : basename(dir), config: run.config, events: run.events };
  });
  const cmp = compareRuns(runs);
  const assets = reportAssets();
  const html = build({
    runId: cmp.runId, config: cmp.config, events: cmp.events,
    script: readFileSync(assets.script, 'utf8'), style: readFileSync(assets.style, 'utf8'), nonce: randomBytes(16).toString('base64'),
  });
  return { html, runIds: runs.map((r) => r.runId) };
}
