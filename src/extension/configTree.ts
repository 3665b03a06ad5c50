/**
 * Reading the config document around a cursor (pure, jsonc-parser): which activation entry an
 * offset is in, its type, the token to replace. Shared by completions and hovers.
 */
import { findNodeAtLocation, findNodeAtOffset, getLocation, parseTree, type Location, type Node } from 'jsonc-parser';
import { isActivationType } from '../core/catalog';
import type { ActivationType } from '../core/config';

export interface Span {
  offset: number;
  length: number;
}

export interface Cursor {
  root: Node | undefined;
  location: Location;
  /** The literal (string, number, boolean, null) under the cursor, if any. */
  literal: Node | undefined;
  /** The literal is a property key (not a value). */
  literalIsKey: boolean;
}

export function cursorAt(text: string, offset: number): Cursor {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const location = getLocation(text, offset);
  const node = root ? findNodeAtOffset(root, offset, true) : undefined;
  const literal = node && node.type !== 'object' && node.type !== 'array' && node.type !== 'property' ? node : undefined;
  const parent = literal?.parent;
  const literalIsKey = !!literal && parent?.type === 'property' && parent.children?.[0] === literal;
  return { root, location, literal, literalIsKey };
}

/** ['activations', i, ...] → i. */
export function activationIndex(path: readonly (string | number)[]): number | undefined {
  return path[0] === 'activations' && typeof path[1] === 'number' ? path[1] : undefined;
}

export function activationTypeOf(root: Node | undefined, index: number): ActivationType | undefined {
  if (!root) return undefined;
  const v = findNodeAtLocation(root, ['activations', index, 'type'])?.value;
  return isActivationType(v) ? v : undefined;
}

/** The keys already present in activations[index]. */
export function entryKeys(root: Node | undefined, index: number): string[] {
  const entry = root ? findNodeAtLocation(root, ['activations', index]) : undefined;
  if (entry?.type !== 'object') return [];
  return (entry.children ?? []).map((p) => p.children?.[0]?.value).filter((k): k is string => typeof k === 'string');
}

/**
 * The span a completion replaces: the literal under the cursor (quotes included), or a bare word
 * being typed before the cursor (`"type": nre|`), or an empty span at the cursor.
 */
export function replaceSpan(text: string, offset: number, literal: Node | undefined): Span {
  if (literal && offset >= literal.offset && offset <= literal.offset + literal.length) return { offset: literal.offset, length: literal.length };
  let start = offset;
  while (start > 0 && /[\w$.-]/.test(text[start - 1])) start--;
  return { offset: start, length: offset - start };
}

/** The next significant character after `offset` (skipping whitespace and comments). */
export function nextSignificantChar(text: string, offset: number): string | undefined {
  let i = offset;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '/' && text[i + 1] === '/') { const nl = text.indexOf('\n', i); if (nl < 0) return undefined; i = nl + 1; continue; }
    if (c === '/' && text[i + 1] === '*') { const end = text.indexOf('*/', i + 2); if (end < 0) return undefined; i = end + 2; continue; }
    return c;
  }
  return undefined;
}
