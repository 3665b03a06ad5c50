/**
 * report.html for a run folder: the panel's bundle and CSS inlined, the run embedded, no
 * network — it opens from file:// anywhere. Long runs keep every epoch, probe and job event
 * but only a sample of step events (the step curves are drawn at screen resolution anyway).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ActlabEvent, StepEvent } from '../core/protocol';
import { readRun } from '../runner/runs';
import { renderPanelHtml } from './html';

/** Step events kept per job in a report; beyond this, every k-th (plus each epoch's last). */
export const MAX_REPORT_STEPS_PER_JOB = 2000;

/** Keeps at most about `maxPerJob` step events per job; everything else untouched and in order. */
export function decimateSteps(events: readonly ActlabEvent[], maxPerJob = MAX_REPORT_STEPS_PER_JOB): ActlabEvent[] {
  const byJob = new Map<string, StepEvent[]>();
  for (const e of events) if (e.type === 'step') (byJob.get(e.jobId) ?? byJob.set(e.jobId, []).get(e.jobId)!).push(e);
  const keep = new Set<StepEvent>();
  let any = false;
  for (const steps of byJob.values()) {
    if (steps.length <= maxPerJob) { for (const s of steps) keep.add(s); continue; }
    any = true;
    const k = Math.ceil(steps.length / maxPerJob);
    steps.forEach((s, i) => {
      const next = steps[i + 1];
      if (i % k === 0 || !next || next.epoch !== s.epoch) keep.add(s);
    });
  }
  if (!any) return [...events];
  return events.filter((e) => e.type !== 'step' || keep.has(e));
}

/**
 * The built webview bundle and stylesheet. Bundled into dist/cli.js or dist/extension.js,
 * __dirname is dist/ (webview.js beside it, media/ one up); run from src/report through tsx,
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

/** Writes <runDir>/report.html and returns its path. */
export function writeReport(runDir: string): string {
  const run = readRun(runDir);
  const start = run.events.find((e) => e.type === 'runStart');
  const runId = start?.type === 'runStart' ? start.runId : basename(runDir);
  const assets = reportAssets();
  const html = renderPanelHtml({
    nonce: randomBytes(16).toString('base64'),
    inlineScript: readFileSync(assets.script, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n'),
    inlineStyle: readFileSync(assets.style, 'utf8'),
    initialData: { config: run.config, events: decimateSteps(run.events), runId },
  });
  const out = join(runDir, 'report.html');
  writeFileSync(out, html);
  return out;
}
