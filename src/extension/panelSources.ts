/**
 * Where a results panel gets its data (no vscode): a run this window is running (events from
 * memory, pushed as they come), a run folder (a finished run, or a CLI run still going: its
 * events.jsonl is followed by polling), or a config preview (no events at all).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareRuns } from '../core/compare';
import type { ResolvedConfig } from '../core/config';
import type { ActlabEvent } from '../core/protocol';
import { CONFIG_FILE, EVENTS_FILE } from '../runner/runStore';
import { JobFilesTail } from '../runner/jobFilesTail';
import { endInterrupted } from '../runner/reportFile';
import { readRun, runInfo } from '../runner/runs';
import { EventsTail } from './eventsTail';
import type { ActiveRun, RunManager } from './runManager';

export interface PanelSource {
  readonly runId: string;
  readonly config: ResolvedConfig;
  /** The run folder, if this shows a run. */
  readonly runDir?: string;
  /** Where files saved from the panel go by default when there is no run folder (a comparison). */
  readonly folder?: string;
  /** Every event so far (called on each 'ready', so it must be complete and current). */
  snapshot(): ActlabEvent[];
  live(): boolean;
  /** New events as they arrive; returns the unsubscribe function. */
  follow(onEvents: (events: ActlabEvent[]) => void): () => void;
}

export function managerSource(run: ActiveRun, runs: RunManager): PanelSource {
  return {
    runId: run.runId,
    config: run.resolved,
    runDir: run.runDir,
    snapshot: () => run.events.slice(),
    live: () => runs.isActive(run.runDir),
    follow: (cb) => runs.onEvents.on(({ run: r, events }) => { if (r.runDir === run.runDir) cb(events); }),
  };
}

export const FOLDER_POLL_MS = 500;
/** How often a followed folder checks whether its writer is still alive. */
const LIVENESS_EVERY_POLLS = 10;

export function folderSource(runDir: string, pollMs = FOLDER_POLL_MS): PanelSource {
  const config = JSON.parse(fs.readFileSync(path.join(runDir, CONFIG_FILE), 'utf8')) as ResolvedConfig;
  if (runInfo(runDir)?.cluster) return clusterSource(runDir, config, pollMs);
  const tail = new EventsTail(path.join(runDir, EVENTS_FILE));
  const all: ActlabEvent[] = [];
  const isLive = (): boolean => runInfo(runDir)?.status === 'running' && !all.some((e) => e.type === 'runEnd');
  let live = isLive();
  const catchUp = (): ActlabEvent[] => {
    const fresh = tail.read();
    all.push(...fresh);
    if (fresh.some((e) => e.type === 'runEnd')) live = false;
    return fresh;
  };
  catchUp();
  const start = all.find((e) => e.type === 'runStart');
  return {
    runId: start?.type === 'runStart' ? start.runId : path.basename(runDir),
    config,
    runDir,
    snapshot: () => { catchUp(); return all.slice(); },
    live: () => live,
    follow: (cb) => {
      if (!live) return () => undefined;
      let polls = 0;
      const timer = setInterval(() => {
        const fresh = catchUp();
        if (fresh.length) cb(fresh);
        if (++polls % LIVENESS_EVERY_POLLS === 0) live = live && isLive();
        if (!live) clearInterval(timer);
      }, pollMs);
      return () => clearInterval(timer);
    },
  };
}

/**
 * Several finished (or interrupted) runs merged by core/compare into one run: prefixed arms,
 * the settings that differ as sweep keys. Read once when opened (a comparison is of results;
 * reopen it to see runs that were still going), so it is never live.
 */
export function compareSource(runDirs: readonly string[]): PanelSource {
  const runs = runDirs.map((dir) => {
    const rec = readRun(dir);
    const start = rec.events.find((e) => e.type === 'runStart');
    return { runId: start?.type === 'runStart' ? start.runId : path.basename(dir), config: rec.config, events: endInterrupted(dir, rec.events) };
  });
  const cmp = compareRuns(runs);
  return {
    runId: cmp.runId,
    config: cmp.config,
    folder: path.dirname(runDirs[0]!),
    snapshot: () => cmp.events.slice(),
    live: () => false,
    follow: () => () => undefined,
  };
}

export function previewSource(config: ResolvedConfig): PanelSource {
  return {
    runId: 'preview',
    config,
    snapshot: () => [],
    live: () => false,
    follow: () => () => undefined,
  };
}

/**
 * A planned (cluster) run not merged yet: its tasks write jobs/<i>/events.jsonl anywhere, so the
 * panel follows those files as they grow, until the run is merged (events.jsonl then holds it
 * all, and a reopened panel reads that).
 */
function clusterSource(runDir: string, config: ResolvedConfig, pollMs: number): PanelSource {
  const runId = path.basename(runDir);
  const tail = new JobFilesTail(runDir, runId, config);
  const all: ActlabEvent[] = [];
  let live = true;
  const catchUp = (): ActlabEvent[] => {
    const fresh = tail.read();
    all.push(...fresh);
    return fresh;
  };
  catchUp();
  return {
    runId,
    config,
    runDir,
    snapshot: () => { catchUp(); return all.slice(); },
    live: () => live,
    follow: (cb) => {
      let polls = 0;
      const timer = setInterval(() => {
        const fresh = catchUp();
        if (fresh.length) cb(fresh);
        if (++polls % LIVENESS_EVERY_POLLS === 0 && !runInfo(runDir)?.cluster) live = false;
        if (!live) clearInterval(timer);
      }, pollMs);
      return () => clearInterval(timer);
    },
  };
}
