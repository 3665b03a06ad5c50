/**
 * Host ↔ webview messages, both directions beside their parsers, and the typed request map.
 *
 * A request is `{ type: 'request', requestId, action, args? }`; the host answers with a
 * `response` carrying the same requestId and, when ok, the action's result. `WebviewRequests`
 * names each action's args and result; `WEBVIEW_REQUESTS` holds one decoder for each, which the
 * host uses on args and the webview on results, so the list of actions is written once and a
 * mapped type makes a missing decoder a compile error.
 */
import type { ResolvedConfig } from '../config';
import { isBool, isInt, isObj, isStr, oneOf } from '../guards';
import { decodeEventList } from './codec';
import { PROTOCOL_VERSION, type ActlabEvent } from './events';

type Empty = Record<string, never>;

export interface WebviewRequests {
  /** Stop the run shown (its jobs end cancelled). */
  stop: { args: Empty; result: Empty };
  /** Export the run as CSV (plus steps and summary); `files` are the paths written, empty when the user cancelled. */
  exportCsv: { args: Empty; result: { files: string[] } };
  /** Open the run's (or preview's) config in an editor. */
  openConfig: { args: Empty; result: { path: string } };
  /** Open report.html outside VS Code. */
  openReport: { args: Empty; result: { path: string } };
  /**
   * Save a file the panel made (a chart as PNG or SVG, the sweep table as CSV): the host asks
   * where (a save dialog) and writes it; `path` is '' when the user cancelled. Added to v1
   * without a version bump: it is a new action, and a host without it answers "unknown action".
   */
  saveFile: { args: SaveFileArgs; result: { path: string } };
}

/** The kinds of file the panel saves, by MIME type; `data` is base64 for binary kinds. */
export const SAVE_FILE_TYPES = { 'image/png': { ext: 'png', base64: true }, 'image/svg+xml': { ext: 'svg', base64: false }, 'text/csv': { ext: 'csv', base64: false } } as const;
export type SaveFileMime = keyof typeof SAVE_FILE_TYPES;
export interface SaveFileArgs { name: string; mime: SaveFileMime; data: string }
/** A chart image or a table: far below this; a larger message is refused, not written. */
export const SAVE_FILE_MAX_CHARS = 32 * 1024 * 1024;
export type RequestKind = keyof WebviewRequests;
export type RequestArgs<K extends RequestKind> = WebviewRequests[K]['args'];
export type RequestResult<K extends RequestKind> = WebviewRequests[K]['result'];

/** Decodes a value that crossed the frame boundary: the typed value, or undefined when malformed. */
export type Decoder<T> = (x: unknown) => T | undefined;

/** Empty args or results may be left out of the message altogether. */
const empty: Decoder<Empty> = (x) => (x === undefined || isObj(x) ? {} : undefined);
const pathResult: Decoder<{ path: string }> = (x) => (isObj(x) && isStr(x.path) ? { path: x.path } : undefined);
const filesResult: Decoder<{ files: string[] }> = (x) =>
  (isObj(x) && Array.isArray(x.files) && x.files.every(isStr) ? { files: [...x.files] } : undefined);

const saveFileArgs: Decoder<SaveFileArgs> = (x) => {
  if (!isObj(x) || !isStr(x.name) || !x.name || x.name.length > 200 || !isStr(x.data) || x.data.length > SAVE_FILE_MAX_CHARS) return undefined;
  if (!oneOf(Object.keys(SAVE_FILE_TYPES) as SaveFileMime[], x.mime)) return undefined;
  if (SAVE_FILE_TYPES[x.mime].base64 && !/^[A-Za-z0-9+/]*={0,2}$/.test(x.data)) return undefined;
  return { name: x.name, mime: x.mime, data: x.data };
};

export const WEBVIEW_REQUESTS: { readonly [K in RequestKind]: { readonly args: Decoder<RequestArgs<K>>; readonly result: Decoder<RequestResult<K>> } } = {
  stop: { args: empty, result: empty },
  exportCsv: { args: empty, result: filesResult },
  openConfig: { args: empty, result: pathResult },
  openReport: { args: empty, result: pathResult },
  saveFile: { args: saveFileArgs, result: pathResult },
};
export const REQUEST_KINDS = Object.keys(WEBVIEW_REQUESTS) as RequestKind[];

// --- webview → host -------------------------------------------------------------------------

/** One request message per action (a discriminated union on `action`). */
export type WebviewRequest = {
  [K in RequestKind]: { type: 'request'; v: typeof PROTOCOL_VERSION; requestId: number; action: K; args?: RequestArgs<K> }
}[RequestKind];

export type WebviewToHost =
  | { type: 'ready'; v: typeof PROTOCOL_VERSION }
  | WebviewRequest;

const isRequestId = (x: unknown): x is number => isInt(x, 0) && Number.isSafeInteger(x);

/** Validates what the webview sent (another frame: nothing it sends is trusted). */
export function parseWebviewToHost(x: unknown): WebviewToHost | string {
  if (!isObj(x)) return 'message is not an object';
  if (x.v !== PROTOCOL_VERSION) return `unsupported protocol version ${String(x.v)}`;
  if (x.type === 'ready') return { type: 'ready', v: PROTOCOL_VERSION };
  if (x.type === 'request') {
    if (!isRequestId(x.requestId)) return 'request without a valid requestId';
    if (!oneOf(REQUEST_KINDS, x.action)) return `unknown request action '${String(x.action)}'`;
    const args = WEBVIEW_REQUESTS[x.action].args(x.args);
    if (args === undefined) return `malformed args for '${x.action}'`;
    // The action and its decoded args belong together; TypeScript cannot correlate the two unions.
    const req = { type: 'request', v: PROTOCOL_VERSION, requestId: x.requestId, action: x.action } as WebviewRequest;
    if (x.args !== undefined) req.args = args;
    return req;
  }
  return `unknown message type '${String(x.type)}'`;
}

/** One handler per action; the host's implementation of the map. */
export type RequestHandlers = { readonly [K in RequestKind]: (args: RequestArgs<K>) => Promise<RequestResult<K>> };

function callHandler<K extends RequestKind>(handlers: RequestHandlers, action: K, args: RequestArgs<K>): Promise<RequestResult<K>> {
  return handlers[action](args);
}

/** Runs a validated request and builds its response (a thrown error becomes ok: false). */
export async function answerRequest(handlers: RequestHandlers, req: WebviewRequest): Promise<ResponseMessage> {
  const base = { type: 'response', v: PROTOCOL_VERSION, requestId: req.requestId } as const;
  try {
    const args = req.args ?? WEBVIEW_REQUESTS[req.action].args(undefined);
    if (args === undefined) throw new Error(`'${req.action}' needs args`);
    const result = await callHandler(handlers, req.action, args);
    return { ...base, ok: true, result };
  } catch (e) {
    return { ...base, ok: false, error: (e as Error).message };
  }
}

// --- host → webview -------------------------------------------------------------------------

/** `result` is decoded by the requester, which knows the action it asked for. */
export interface ResponseMessage {
  type: 'response';
  v: typeof PROTOCOL_VERSION;
  requestId: number;
  ok: boolean;
  error?: string;
  result?: unknown;
}

export type HostToWebview =
  | { type: 'init'; v: typeof PROTOCOL_VERSION; runId: string; config: ResolvedConfig; events: ActlabEvent[]; live: boolean }
  | { type: 'events'; v: typeof PROTOCOL_VERSION; runId: string; events: ActlabEvent[] }
  | ResponseMessage;

/** Structural check of the parts of a resolved config the panel reads. */
export function parsePanelConfig(x: unknown): ResolvedConfig | string {
  if (!isObj(x) || !isStr(x.name) || !Array.isArray(x.arms) || !Array.isArray(x.jobs)) return 'config: not a resolved config';
  for (const a of x.arms) {
    if (!isObj(a) || !isStr(a.armId) || !isStr(a.label) || !isObj(a.activation)
      || !isStr(a.activation.type) || !Array.isArray(a.seeds)) return 'config: malformed arm';
  }
  for (const j of x.jobs) {
    if (!isObj(j) || !isStr(j.jobId) || !isStr(j.armId) || typeof j.seed !== 'number'
      || !isObj(j.training) || typeof j.training.epochs !== 'number') return 'config: malformed job';
  }
  return x as unknown as ResolvedConfig;
}

/** Validates what the extension sent to the webview (events decoded with the NaN codec). */
export function parseHostToWebview(x: unknown): HostToWebview | string {
  if (!isObj(x)) return 'message is not an object';
  if (x.v !== PROTOCOL_VERSION) return `unsupported protocol version ${String(x.v)}`;
  switch (x.type) {
    case 'init': {
      if (!isStr(x.runId) || !isBool(x.live)) return 'malformed init';
      const config = parsePanelConfig(x.config);
      if (typeof config === 'string') return config;
      const events = decodeEventList(x.events);
      if (typeof events === 'string') return events;
      return { type: 'init', v: PROTOCOL_VERSION, runId: x.runId, config, events, live: x.live };
    }
    case 'events': {
      if (!isStr(x.runId)) return 'malformed events';
      const events = decodeEventList(x.events);
      if (typeof events === 'string') return events;
      return { type: 'events', v: PROTOCOL_VERSION, runId: x.runId, events };
    }
    case 'response': {
      if (typeof x.requestId !== 'number' || !isBool(x.ok) || (x.error !== undefined && !isStr(x.error))) return 'malformed response';
      const m: ResponseMessage = { type: 'response', v: PROTOCOL_VERSION, requestId: x.requestId, ok: x.ok };
      if (isStr(x.error)) m.error = x.error;
      if (x.result !== undefined) m.result = x.result;
      return m;
    }
    default:
      return `unknown message type '${String(x.type)}'`;
  }
}
