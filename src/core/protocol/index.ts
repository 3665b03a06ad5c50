/**
 * The one protocol: every message that crosses a process or frame boundary, typed and validated.
 *
 * - events.ts: trainer → host events and run-level events (what events.jsonl holds), `parseEvent`
 * - codec.ts: the NaN codec (non-finite ↔ null) and events.jsonl lines
 * - trainer.ts: host → trainer commands
 * - webview.ts: host ↔ webview messages and the typed request → result map
 */
export * from './events';
export * from './codec';
export * from './trainer';
export * from './webview';
