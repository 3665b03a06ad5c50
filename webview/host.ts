/**
 * Where the panel's data comes from. In VS Code: postMessage with the extension (typed by
 * src/core/protocol/webview.ts; every incoming message is validated before use). In a static
 * report.html: the run embedded as JSON in <script type="application/json" id="actlab-data">.
 */
import { isObj } from '../src/core/guards';
import {
  PROTOCOL_VERSION, WEBVIEW_REQUESTS, parseHostToWebview, type HostToWebview, type RequestArgs, type RequestKind,
  type RequestResult, type WebviewRequest, type WebviewToHost,
} from '../src/core/protocol';

export { parseHostToWebview };

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

/** Args may be left out for actions that take none (`request('stop')`). */
export type RequestArgsParam<K extends RequestKind> = Record<string, never> extends RequestArgs<K> ? [args?: RequestArgs<K>] : [args: RequestArgs<K>];

/** Messages the app receives: responses are consumed by `request`. */
export type AppMessage = Exclude<HostToWebview, { type: 'response' }>;

export interface Host {
  readonly mode: 'vscode' | 'static';
  /** Starts delivery; `onMessage` receives validated messages only, `onError` the rejects. */
  start(onMessage: (m: AppMessage) => void, onError: (why: string) => void): void;
  /** Resolves with the host's typed result; rejects with its error (or when the result is malformed). */
  request<K extends RequestKind>(action: K, ...args: RequestArgsParam<K>): Promise<RequestResult<K>>;
  getState(): unknown;
  setState(state: unknown): void;
}

interface Pending { decode: (x: unknown) => unknown; resolve: (v: unknown) => void; reject: (e: Error) => void }

class VsCodeHost implements Host {
  readonly mode = 'vscode' as const;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  constructor(private readonly api: VsCodeApi) {}

  start(onMessage: (m: AppMessage) => void, onError: (why: string) => void): void {
    window.addEventListener('message', (ev: MessageEvent<unknown>) => {
      const m = parseHostToWebview(ev.data);
      if (typeof m === 'string') { onError(m); return; }
      if (m.type === 'response') {
        const p = this.pending.get(m.requestId);
        this.pending.delete(m.requestId);
        if (!p) return;
        if (!m.ok) { p.reject(new Error(m.error ?? 'request failed')); return; }
        const result = p.decode(m.result);
        if (result === undefined) p.reject(new Error(`malformed result for request ${m.requestId}`));
        else p.resolve(result);
        return;
      }
      onMessage(m);
    });
    // The extension waits for this before it sends init (a webview misses messages until it listens).
    this.api.postMessage({ type: 'ready', v: PROTOCOL_VERSION });
  }

  request<K extends RequestKind>(action: K, ...args: RequestArgsParam<K>): Promise<RequestResult<K>> {
    const requestId = this.nextId++;
    const decode: (x: unknown) => RequestResult<K> | undefined = WEBVIEW_REQUESTS[action].result;
    return new Promise<RequestResult<K>>((resolve, reject) => {
      // The entry is keyed by requestId; its decoder is this action's, so the value resolved is RequestResult<K>.
      this.pending.set(requestId, { decode, resolve: resolve as (v: unknown) => void, reject });
      // Args are sent only when given: an action without args is `{ action }` on the wire.
      const message = { type: 'request', v: PROTOCOL_VERSION, requestId, action, ...(args[0] !== undefined ? { args: args[0] } : {}) } as WebviewRequest;
      this.api.postMessage(message);
    });
  }

  getState(): unknown { return this.api.getState(); }
  setState(state: unknown): void { this.api.setState(state); }
}

class StaticHost implements Host {
  readonly mode = 'static' as const;
  private state: unknown;

  start(onMessage: (m: AppMessage) => void, onError: (why: string) => void): void {
    const el = document.getElementById('actlab-data');
    if (!el?.textContent) { onError('no run data embedded in this page'); return; }
    let data: unknown;
    try { data = JSON.parse(el.textContent); } catch (e) { onError(`run data is not JSON: ${(e as Error).message}`); return; }
    if (!isObj(data)) { onError('run data is not an object'); return; }
    const m = parseHostToWebview({ ...data, type: 'init', v: PROTOCOL_VERSION, live: false });
    if (typeof m === 'string') onError(m);
    else if (m.type !== 'response') onMessage(m);
  }

  request<K extends RequestKind>(action: K, ..._args: RequestArgsParam<K>): Promise<RequestResult<K>> {
    return Promise.reject(new Error(`'${action}' needs VS Code; this is a static report`));
  }

  getState(): unknown { return this.state; }
  setState(state: unknown): void { this.state = state; }
}

export function connectHost(): Host {
  return typeof globalThis.acquireVsCodeApi === 'function' ? new VsCodeHost(globalThis.acquireVsCodeApi()) : new StaticHost();
}
