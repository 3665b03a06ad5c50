/**
 * The one NaN codec. JSON (and VS Code's postMessage, which clones through JSON) cannot carry
 * NaN or ±Infinity, yet a diverged loss must reach the chart as "not finite": senders write
 * non-finite numbers as null, and receivers read every null in an event as NaN. Event fields are
 * never legitimately null, so the mapping is lossless for this protocol.
 */
import { isObj } from '../guards';
import { parseEvent, type ActlabEvent } from './events';

/** JSON.stringify replacer: non-finite numbers → null. */
export const finiteOrNull = (_k: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? null : v);
/** JSON.parse reviver: null → NaN. */
export const nullToNaN = (_k: string, v: unknown): unknown => (v === null ? Number.NaN : v);

/** The same decoding for a value that was already parsed (a postMessage payload). */
export function nullsToNaN(x: unknown): unknown {
  if (x === null) return Number.NaN;
  if (Array.isArray(x)) return x.map(nullsToNaN);
  if (isObj(x)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = nullsToNaN(v);
    return out;
  }
  return x;
}

export function encodeEvent(e: ActlabEvent): string {
  return JSON.stringify(e, finiteOrNull);
}

/** One line of events.jsonl → a validated event, or why not. */
export function decodeEventLine(line: string): ActlabEvent | string {
  let raw: unknown;
  try {
    raw = JSON.parse(line, nullToNaN);
  } catch (e) {
    return `not JSON: ${(e as Error).message}`;
  }
  return parseEvent(raw);
}

/** A list of events that crossed postMessage → validated events, or the first problem. */
export function decodeEventList(x: unknown): ActlabEvent[] | string {
  if (!Array.isArray(x)) return 'events: not an array';
  const out: ActlabEvent[] = [];
  for (const raw of x) {
    const e = parseEvent(nullsToNaN(raw));
    if (typeof e === 'string') return e;
    out.push(e);
  }
  return out;
}
