/**
 * Host-side validation of what the webview sends, and of the state a restored panel carries
 * (pure). Nothing from the webview is trusted: it is another frame.
 */
import { PROTOCOL_VERSION, type WebviewToHost } from '../core/protocol';

type RequestAction = Extract<WebviewToHost, { type: 'request' }>['action'];
const ACTIONS: readonly RequestAction[] = ['stop', 'exportCsv', 'openConfig', 'openReport'];

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export function parseWebviewMessage(x: unknown): WebviewToHost | string {
  if (!isObj(x)) return 'message is not an object';
  if (x.v !== PROTOCOL_VERSION) return `unsupported protocol version ${String(x.v)}`;
  if (x.type === 'ready') return { type: 'ready', v: PROTOCOL_VERSION };
  if (x.type === 'request') {
    if (typeof x.requestId !== 'number' || !Number.isSafeInteger(x.requestId)) return 'request without a valid requestId';
    if (typeof x.action !== 'string' || !(ACTIONS as readonly string[]).includes(x.action)) return `unknown request action '${String(x.action)}'`;
    return { type: 'request', v: PROTOCOL_VERSION, requestId: x.requestId, action: x.action as RequestAction };
  }
  return `unknown message type '${String(x.type)}'`;
}

/** What a panel shows, enough to rebuild it after a window reload. */
export type PanelTarget =
  | { kind: 'run'; runDir: string }
  | { kind: 'preview'; configPath: string };

export function panelKey(t: PanelTarget): string {
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
  return undefined;
}

/** Panel titles: unique per run (name + start time from the run id), so a restored panel can be
 * matched to its run by title when the webview's state does not carry the target. */
export function panelTitle(target: PanelTarget, name: string, runId: string): string {
  if (target.kind === 'preview') return `Preview: ${name}`;
  const time = /^\d{4}-\d\d-\d\dT(\d\d)-(\d\d)-(\d\d)/.exec(runId);
  return `Results: ${name} (${time ? `${time[1]}:${time[2]}:${time[3]}` : runId})`;
}
