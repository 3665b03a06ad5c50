/**
 * The snippets of snippets/actlab.json, offered only where they fit: activation entries inside
 * the "activations" array, a sweep where a value may be swept, a cosine schedule where a value
 * may be scheduled, the whole experiment in an empty file. Served by our completion provider
 * (not `contributes.snippets`, which would offer them in every JSONC file, settings included).
 */
import snippetsJson from '../../snippets/actlab.json';
import { CATALOG } from '../core/catalog';
import { TRAINING_SWEEP_KEYS } from '../core/expand';
import type { Cursor, Span } from './configTree';
import { activationIndex, activationTypeOf, nextSignificantChar } from './configTree';

export type SnippetContext = 'document' | 'activation' | 'sweepValue' | 'scheduleValue';
const CONTEXTS: readonly string[] = ['document', 'activation', 'sweepValue', 'scheduleValue'];

export interface SnippetDef {
  name: string;
  context: SnippetContext;
  prefix: string;
  description: string;
  body: string;
}

/** Reads the snippet file's entries, skipping malformed ones (the file is data, checked by tests). */
export function parseSnippets(json: unknown): SnippetDef[] {
  if (typeof json !== 'object' || json === null) return [];
  const out: SnippetDef[] = [];
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (typeof raw !== 'object' || raw === null) continue;
    const s = raw as Record<string, unknown>;
    const body = Array.isArray(s.body) && s.body.every((l) => typeof l === 'string') ? s.body.join('\n') : typeof s.body === 'string' ? s.body : undefined;
    if (typeof s.context !== 'string' || !CONTEXTS.includes(s.context) || typeof s.prefix !== 'string' || body === undefined) continue;
    out.push({ name, context: s.context as SnippetContext, prefix: s.prefix, description: typeof s.description === 'string' ? s.description : '', body });
  }
  return out;
}

export const SNIPPETS: readonly SnippetDef[] = parseSnippets(snippetsJson);

// The sweep snippet's example values (0.05, 0.1, 0.2) fit rates and noise levels, not the sizes
// and layer lists of the model and data sweeps, so those are not offered it.
const { lr, batch, kappa } = TRAINING_SWEEP_KEYS;
const SWEEPABLE_PATHS: readonly string[] = [lr, batch, kappa];

/** Which snippet context applies at the cursor (undefined: none). */
export function snippetContextAt(text: string, c: Cursor): SnippetContext | undefined {
  const path = c.location.path;
  if (!c.root && text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '').trim() === '') return 'document';
  if (c.location.isAtPropertyKey || c.literalIsKey) return undefined;
  if (path.length === 2 && path[0] === 'activations' && typeof path[1] === 'number' && !(c.literal && c.literal.type === 'string' && c.literal.parent?.type === 'property')) return 'activation';
  const index = activationIndex(path);
  if (index !== undefined && path.length === 3 && typeof path[2] === 'string') {
    const type = activationTypeOf(c.root, index);
    const p = type ? CATALOG[type].params.find((x) => x.name === path[2]) : undefined;
    if (p?.kind === 'schedule') return 'scheduleValue';
    if (p?.sweepable) return 'sweepValue';
    return undefined;
  }
  if (SWEEPABLE_PATHS.includes(path.join('.'))) return 'sweepValue';
  return undefined;
}

/** Snippets for the cursor; σ-like values get the sweep too (a schedule value can also be swept). */
export function snippetsFor(ctx: SnippetContext | undefined): SnippetDef[] {
  if (!ctx) return [];
  if (ctx === 'scheduleValue') return SNIPPETS.filter((s) => s.context === 'scheduleValue' || s.context === 'sweepValue');
  return SNIPPETS.filter((s) => s.context === ctx);
}

/** Array-element snippets get the commas their neighbours need. */
export function withCommas(text: string, span: Span, body: string, ctx: SnippetContext): string {
  if (ctx !== 'activation') return body;
  let i = span.offset - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  const before = i >= 0 && text[i] === '}' ? ',' : '';
  const after = nextSignificantChar(text, span.offset + span.length) === '{' ? ',' : '';
  return `${before}${body}${after}`;
}
