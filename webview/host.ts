/**
 * Where the panel's data comes from. In VS Code: postMessage with the extension (typed by
 * src/core/protocol.ts; every incoming message is validated before use). In a static
 * report.html: the run embedded as JSON in <script type="application/json" id="actlab-data">.
 */
import type { ResolvedConfig } from '../src/core/config';
import { PROTOCOL_VERSION, parseEvent, type ActlabEvent, type HostToWebview, type WebviewToHost } from '../src/core/protocol';

type RequestAction = Extract<WebviewToHost, { type: 'request' }>['action'];

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  // Injected by VS Code into webviews; absent in a static report.
  // eslint-disable-next-line no-var
  var acquireVsCodeApi: (() => VsCodeApi) | undefined;
}

export interface Host {
  readonly mode: 'vscode' | 'static';
  /** Starts delivery; `onMessage` receives validated messages only, `onError` the rejects. */
  start(onMessage: (m: HostToWebview) => void, onError: (why: string) => void): void;
  /** Resolves when the host answers ok; rejects with its error. */
  request(action: RequestAction): Promise<void>;
  getState(): unknown;
  setState(state: unknown): void;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** JSON (and VS Code's message passing) turns NaN into null; a diverged loss must stay NaN. */
function nullsToNaN(x: unknown): unknown {
  if (x === null) return Number.NaN;
  if (Array.isArray(x)) return x.map(nullsToNaN);
  if (isObj(x)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = nullsToNaN(v);
    return out;
  }
  return x;
}

/** Structural check of the parts of a resolved config the panel reads. */
export function parseConfig(x: unknown): ResolvedConfig | string {
  if (!isObj(x) || typeof x.name !== 'string' || !Array.isArray(x.arms) || !Array.isArray(x.jobs)) return 'config: not a resolved config';
  for (const a of x.arms) {
    if (!isObj(a) || typeof a.armId !== 'string' || typeof a.label !== 'string' || !isObj(a.activation)
      || typeof a.activation.type !== 'string' || !Array.isArray(a.seeds)) return 'config: malformed arm';
  }
  for (const j of x.jobs) {
    if (!isObj(j) || typeof j.jobId !== 'string' || typeof j.armId !== 'string' || typeof j.seed !== 'number'
      || !isObj(j.training) || typeof j.training.epochs !== 'number') return 'config: malformed job';
  }
  return x as unknown as ResolvedConfig;
}

function parseEvents(x: unknown): ActlabEvent[] | string {
  if (!Array.isArray(x)) return 'events: not an array';
  const out: ActlabEvent[] = [];
  for (const raw of x) {
    const e = parseEvent(nullsToNaN(raw));
    if (typeof e === 'string') return e;
    out.push(e);
  }
  return out;
}

/** Validates a message from the extension. */
export function parseHostMessage(x: unknown): HostToWebview | string {
  if (!isObj(x)) return 'message is not an object';
  if (x.v !== PROTOCOL_VERSION) return `unsupported protocol version ${String(x.v)}`;
  switch (x.type) {
    case 'init': {
      if (typeof x.runId !== 'string' || typeof x.live !== 'boolean') return 'malformed init';
      const config = parseConfig(x.config);
      if (typeof config === 'string') return config;
      const events = parseEvents(x.events);
      if (typeof events === 'string') return events;
      return { type: 'init', v: PROTOCOL_VERSION, runId: x.runId, config, events, live: x.live };
    }
    case 'events': {
      if (typeof x.runId !== 'string') return 'malformed events';
      const events = parseEvents(x.events);
      if (typeof events === 'string') return events;
      return { type: 'events', v: PROTOCOL_VERSION, runId: x.runId, events };
    }
    case 'response':
      if (typeof x.requestId !== 'number' || typeof x.ok !== 'boolean' || (x.error !== undefined && typeof x.error !== 'string')) return 'malformed response';
      return { type: 'response', v: PROTOCOL_VERSION, requestId: x.requestId, ok: x.ok, ...(typeof x.error === 'string' ? { error: x.error } : {}) };
    default:
      return `unknown message type '${String(x.type)}'`;
  }
}

class VsCodeHost implements Host {
  readonly mode = 'vscode' as const;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  constructor(private readonly api: VsCodeApi) {}

  start(onMessage: (m: HostToWebview) => void, onError: (why: string) => void): void {
    window.addEventListener('message', (ev: MessageEvent<unknown>) => {
      const m = parseHostMessage(ev.data);
      if (typeof m === 'string') { onError(m); return; }
      if (m.type === 'response') {
        const p = this.pending.get(m.requestId);
        this.pending.delete(m.requestId);
        if (m.ok) p?.resolve(); else p?.reject(new Error(m.error ?? 'request failed'));
        return;
      }
      onMessage(m);
    });
    // The extension waits for this before it sends init (a webview misses messages until it listens).
    this.api.postMessage({ type: 'ready', v: PROTOCOL_VERSION });
  }

  request(action: RequestAction): Promise<void> {
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.api.postMessage({ type: 'request', v: PROTOCOL_VERSION, requestId, action });
    });
  }

  getState(): unknown { return this.api.getState(); }
  setState(state: unknown): void { this.api.setState(state); }
}

class StaticHost implements Host {
  readonly mode = 'static' as const;
  private state: unknown;

  start(onMessage: (m: HostToWebview) => void, onError: (why: string) => void): void {
    const el = document.getElementById('actlab-data');
    if (!el?.textContent) { onError('no run data embedded in this page'); return; }
    let data: unknown;
    try { data = JSON.parse(el.textContent); } catch (e) { onError(`run data is not JSON: ${(e as Error).message}`); return; }
    if (!isObj(data)) { onError('run data is not an object'); return; }
    const m = parseHostMessage({ ...data, type: 'init', v: PROTOCOL_VERSION, live: false });
    if (typeof m === 'string') onError(m); else onMessage(m);
  }

  request(action: RequestAction): Promise<void> {
    return Promise.reject(new Error(`'${action}' needs VS Code; this is a static report`));
  }

  getState(): unknown { return this.state; }
  setState(state: unknown): void { this.state = state; }
}

export function connectHost(): Host {
  return typeof globalThis.acquireVsCodeApi === 'function' ? new VsCodeHost(globalThis.acquireVsCodeApi()) : new StaticHost();
}
