/**
 * report.html's text for a run: the panel's bundle and CSS inlined, the run embedded, no
 * network — it opens from file:// anywhere. Long runs keep every epoch, probe and job event
 * but only a sample of step events (the step curves are drawn at screen resolution anyway),
 * packed by ./pack.ts. decimateSteps is the same step sampling for a plain event list.
 *
 * Pure: no Node, no run-folder reading. The caller hands in the run and the assets' text;
 * src/runner/reportFile.ts reads them and writes the file.
 */
import type { ResolvedConfig } from '../core/config';
import type { ActlabEvent, StepEvent } from '../core/protocol';
import { renderPanelHtml } from './html';
import { PACK_VERSION, packRun, type PackedRun } from './pack';

/** Jobs per packed chunk: each chunk is one JSON.parse and decode in the page (well under 50 ms). */
export const JOBS_PER_CHUNK = 10;
/** Runs with more events than this are embedded packed. */
export const PACK_ABOVE_EVENTS = 50_000;

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

/** The packed run split into chunks of `per` jobs. */
export function chunkPacked(packed: PackedRun, per = JOBS_PER_CHUNK): PackedRun[] {
  const out: PackedRun[] = [];
  for (let i = 0; i < packed.jobs.length; i += per) out.push({ v: PACK_VERSION, jobs: packed.jobs.slice(i, i + per) });
  return out;
}

/**
 * The whole report.html page. The run's epoch, step and probe events go in packed
 * (./pack.ts: every epoch and probe value, a bounded sample of steps and of the per-unit
 * data); run and job events stay plain, so the page's host reads them as before.
 */
export function buildReportHtml(input: ReportInput): string {
  // A small run stays a plain event list (the page reads it in one go, as any older report).
  const { plain, packed }: { plain: ActlabEvent[]; packed: PackedRun } = input.events.length > PACK_ABOVE_EVENTS
    ? packRun(input.events) : { plain: decimateSteps(input.events), packed: { v: PACK_VERSION, jobs: [] } };
  return renderPanelHtml({
    nonce: input.nonce,
    // The map file is not shipped with the report; a dangling reference only confuses devtools.
    inlineScript: input.script.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n'),
    inlineStyle: input.style,
    initialData: { config: input.config, events: plain, runId: input.runId },
    packedChunks: chunkPacked(packed),
  });
}
