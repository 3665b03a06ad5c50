/**
 * Host-side validation of what the webview sends, and of the state a restored panel carries
 * (pure). Nothing from the webview is trusted: it is another frame.
 */
import { isObj } from '../core/guards';

/**
 * The parser lives with the message types in core (src/core/protocol/webview.ts) so the action
 * list is written once; this name is the host's entry point.
 */
export { parseWebviewToHost as parseWebviewMessage } from '../core/protocol';

/** What a panel shows, enough to rebuild it after a window reload. */
export type PanelTarget =
  | { kind: 'run'; runDir: string }
  | { kind: 'preview'; configPath: string }
  /** Several runs in one panel (core/compare), in the order chosen. */
  | { kind: 'compare'; runDirs: string[] };

export function panelKey(t: PanelTarget): string {
  if (t.kind === 'compare') return `compare:${t.runDirs.join('|')}`;
  return t.kind === 'run' ? `run:${t.runDir}` : `preview:${t.configPath}`;
}

/**
 * Reads a PanelTarget from a webview's persisted state. The host embeds the target in the page
 * (initialData.target) and the webview keeps it in its state (under `target`, at the top level or
 * under `host`); both spellings are accepted so view-state changes in the webview cannot lose it.
 */
export function parsePanelTarget(state: unknown): PanelTarget | undefined {
  if (!isObj(state)) return undefined;
  const t = isObj(state.target) ? state.target : isObj(state.host) && isObj(state.host.target) ? state.host.target : undefined;
  if (!t) return undefined;
  if (t.kind === 'run' && typeof t.runDir === 'string' && t.runDir) return { kind: 'run', runDir: t.runDir };
  if (t.kind === 'preview' && typeof t.configPath === 'string' && t.configPath) return { kind: 'preview', configPath: t.configPath };
  if (t.kind === 'compare' && Array.isArray(t.runDirs) && t.runDirs.length >= 2 && t.runDirs.every((d) => typeof d === 'string' && d)) {
    return { kind: 'compare', runDirs: t.runDirs.map(String) };
  }
  return undefined;
}

/** Panel titles: unique per run (name + start time from the run id), so a restored panel can be
 * matched to its run by title when the webview's state does not carry the target. */
export function panelTitle(target: PanelTarget, name: string, runId: string): string {
  if (target.kind === 'preview') return `Preview: ${name}`;
  // A comparison's name already says "Compare: a vs b".
  if (target.kind === 'compare') return name;
  const time = /^\d{4}-\d\d-\d\dT(\d\d)-(\d\d)-(\d\d)/.exec(runId);
  return `Results: ${name} (${time ? `${time[1]}:${time[2]}:${time[3]}` : runId})`;
}
