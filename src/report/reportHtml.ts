/**
 * report.html's text for a run: the panel's bundle and CSS inlined, the run embedded, no
 * network — it opens from file:// anywhere. Long runs keep every epoch, probe and job event
 * but only a sample of step events (the step curves are drawn at screen resolution anyway).
 *
 * Pure: no Node, no run-folder reading. The caller hands in the run and the assets' text;
 * src/runner/reportFile.ts reads them and writes the file.
 */
import type { ResolvedConfig } from '../core/config';
import type { ActlabEvent, StepEvent } from '../core/protocol';
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

export interface ReportInput {
  runId: string;
  config: ResolvedConfig;
  events: readonly ActlabEvent[];
  /** The built webview bundle's text (dist/webview.js). */
  script: string;
  /** The panel's stylesheet text (media/panel.css). */
  style: string;
  /** A fresh random nonce (base64) for the page's CSP. */
  nonce: string;
}

/** The whole report.html page. */
export function buildReportHtml(input: ReportInput): string {
  return renderPanelHtml({
    nonce: input.nonce,
    // The map file is not shipped with the report; a dangling reference only confuses devtools.
    inlineScript: input.script.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n'),
    inlineStyle: input.style,
    initialData: { config: input.config, events: decimateSteps(input.events), runId: input.runId },
  });
}
