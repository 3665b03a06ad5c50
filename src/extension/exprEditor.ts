/**
 * Hover and completion inside an expression string (`"expr": "x * sigmoid(beta * x)"`), pure.
 * Which key holds an expression, and which holds its parameters, the registry says (the `text`
 * and `named` parameter kinds); offsets are mapped between the JSON source and the decoded
 * string with core/expr's literalOffsets, so escapes before the cursor do not shift anything.
 */
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { CATALOG } from '../core/catalog';
import { completeExpr, hoverExpr, literalOffsets } from '../core/expr';
import type { HoverInfo } from './hoverModel';
import type { Suggestion } from './completionModel';
import { activationIndex, activationTypeOf, type Cursor } from './configTree';

interface ExprAt {
  /** The decoded expression text. */
  text: string;
  /** Source offset of each decoded unit (and the end), absolute in the document. */
  map: number[];
  params: string[];
  inference: 'deterministic' | 'stochastic';
  literal: Node;
}

/** The expression string under the cursor, with its entry's parameter names. */
function exprAt(text: string, cursor: Cursor): ExprAt | undefined {
  const { root, location, literal, literalIsKey } = cursor;
  const path = location.path;
  const index = activationIndex(path);
  if (!literal || literalIsKey || literal.type !== 'string' || index === undefined || path.length !== 3) return undefined;
  const type = activationTypeOf(root, index);
  const params = type ? CATALOG[type].params : [];
  if (!params.some((p) => p.kind === 'text' && p.name === path[2])) return undefined;
  const namedKey = params.find((p) => p.kind === 'named')?.name;
  const named = namedKey && root ? findNodeAtLocation(root, ['activations', index, namedKey]) : undefined;
  const names = named?.type === 'object' ? (named.children ?? []).map((p) => p.children?.[0]?.value).filter((k): k is string => typeof k === 'string') : [];
  const inference = root ? findNodeAtLocation(root, ['activations', index, 'inference'])?.value : undefined;
  const raw = text.slice(literal.offset, literal.offset + literal.length);
  return {
    text: String(literal.value), map: literalOffsets(raw).map((o) => literal.offset + o), params: names,
    inference: inference === 'stochastic' ? 'stochastic' : 'deterministic', literal,
  };
}

/** Decoded offset of a source offset inside the literal (the last unit that starts at or before it). */
function decodedOffset(map: readonly number[], offset: number): number {
  let k = 0;
  while (k + 1 < map.length && map[k + 1]! <= offset) k++;
  return offset <= map[0]! ? 0 : k;
}

export function exprHover(text: string, cursor: Cursor): HoverInfo | undefined {
  const e = exprAt(text, cursor);
  if (!e) return undefined;
  const h = hoverExpr(e.text, e.params, e.inference);
  if (!h) return undefined;
  const notes = h.notes.map((n) => `- ${n}`).join('\n');
  return { markdown: `**Expression** \`f(x) = ${h.formula}\`${notes ? `\n\n${notes}` : ''}`, range: { offset: e.literal.offset, length: e.literal.length } };
}

/** Function, parameter and constant names at the cursor inside the string; undefined elsewhere. */
export function exprCompletions(text: string, offset: number, cursor: Cursor): Suggestion[] | undefined {
  const e = exprAt(text, cursor);
  if (!e || offset <= e.literal.offset || offset >= e.literal.offset + e.literal.length) return undefined;
  const c = completeExpr(e.text, decodedOffset(e.map, offset), e.params);
  const from = e.map[c.from]!;
  const range = { offset: from, length: e.map[c.to]! - from };
  return c.items.map((i, n) => ({
    label: i.label, kind: 'value' as const, detail: i.detail, insertText: i.insertText.replace(/[$}\\]/g, '\\$&'), range,
    filterText: i.label, sortText: String(n).padStart(3, '0'),
  }));
}
