/**
 * A parsed config text for the validator: nodes and ranges by path (jsonc-parser's tree),
 * text edits for quick fixes, and the small helpers messages share.
 */
import { findNodeAtLocation, modify, type FormattingOptions, type Node } from 'jsonc-parser';
import type { ActivationType } from './config';
import { CATALOG, isActivationType } from './catalog';
import { LineIndex, type Range, type TextEdit } from './diagnostics';

/** A location in the config value: keys and array indices. */
export type Path = (string | number)[];

export class Doc {
  readonly lines: LineIndex;
  readonly formatting: FormattingOptions;

  constructor(readonly text: string, readonly root: Node, readonly value: unknown) {
    this.lines = new LineIndex(text);
    this.formatting = inferFormatting(text);
  }

  node(path: Path): Node | undefined {
    return findNodeAtLocation(this.root, path);
  }

  range(offset: number, length: number): Range {
    return this.lines.range(offset, length);
  }

  nodeRange(n: Node): Range {
    return this.range(n.offset, n.length);
  }

  /** The value at `path`, else the nearest existing ancestor. */
  valueRange(path: Path): Range {
    for (let p = path; ; p = p.slice(0, -1)) {
      const n = this.node(p);
      if (n) return this.nodeRange(n);
      if (p.length === 0) return this.range(0, 0);
    }
  }

  /** The key of the property at `path` (or its value for array items / the root). */
  keyRange(path: Path): Range {
    const n = this.node(path);
    const key = n?.parent?.type === 'property' ? n.parent.children?.[0] : undefined;
    if (key) return this.nodeRange(key);
    return n ? this.openingRange(n) : this.valueRange(path);
  }

  /** Where to report something missing from the object at `path`: its key, else its `{`. */
  objectRange(path: Path): Range {
    const n = this.node(path);
    if (!n) return this.valueRange(path);
    const key = n.parent?.type === 'property' ? n.parent.children?.[0] : undefined;
    return key ? this.nodeRange(key) : this.openingRange(n);
  }

  private openingRange(n: Node): Range {
    return n.type === 'object' || n.type === 'array' ? this.range(n.offset, 1) : this.nodeRange(n);
  }

  at(path: Path): unknown {
    let v: unknown = this.value;
    for (const seg of path) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string | number, unknown>)[seg];
    }
    return v;
  }

  /** JSON pointer → path with array indices as numbers. */
  pointerPath(pointer: string): Path {
    if (!pointer) return [];
    const out: Path = [];
    let v: unknown = this.value;
    for (const raw of pointer.slice(1).split('/')) {
      const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (Array.isArray(v)) {
        out.push(Number(seg));
        v = v[Number(seg)];
      } else {
        out.push(seg);
        v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[seg] : undefined;
      }
    }
    return out;
  }

  // --- edits

  replaceValue(path: Path, newValue: unknown): TextEdit[] {
    const n = this.node(path);
    return n ? [{ offset: n.offset, length: n.length, newText: inlineJson(newValue) }] : [];
  }

  /** Removes an array item with the comma before it (or after it, for the first item). */
  removeItem(path: Path): TextEdit[] {
    const n = this.node(path);
    const items = n?.parent?.type === 'array' ? n.parent.children ?? [] : [];
    const i = n ? items.indexOf(n) : -1;
    if (!n || i < 0) return [];
    const end = n.offset + n.length;
    if (i > 0) {
      const prevEnd = items[i - 1].offset + items[i - 1].length;
      return [{ offset: prevEnd, length: end - prevEnd, newText: '' }];
    }
    const next = items[1];
    return [{ offset: n.offset, length: (next ? next.offset : end) - n.offset, newText: '' }];
  }

  renameKey(path: Path, newKey: string): TextEdit[] {
    const n = this.node(path);
    const key = n?.parent?.type === 'property' ? n.parent.children?.[0] : undefined;
    return key ? [{ offset: key.offset, length: key.length, newText: JSON.stringify(newKey) }] : [];
  }

  /**
   * jsonc-parser's modify keeps comments and formats inserted text like the file; an object
   * written on one line stays on one line (its formatter would spread it over several).
   */
  setProperty(path: Path, value: unknown, first = false): TextEdit[] {
    const parent = this.node(path.slice(0, -1));
    const oneLine = value === undefined || (parent !== undefined && !/[\r\n]/.test(this.text.slice(parent.offset, parent.offset + parent.length)));
    let edits: ReturnType<typeof modify>;
    try {
      edits = modify(this.text, path, value, {
        formattingOptions: oneLine ? undefined : this.formatting,
        ...(first ? { getInsertionIndex: () => 0 } : {}),
      });
    } catch {
      // jsonc-parser refuses paths through what a syntax error left behind: no quick fix then.
      return [];
    }
    return edits.map((e) => ({
      offset: e.offset,
      length: e.length,
      newText: oneLine && value !== undefined ? e.content.replace(/^,/, ', ').replace(/^"/, ' "') : e.content,
    }));
  }

  removeProperty(path: Path): TextEdit[] {
    return this.setProperty(path, undefined);
  }

  swapValues(a: Path, b: Path): TextEdit[] {
    const na = this.node(a);
    const nb = this.node(b);
    if (!na || !nb) return [];
    const ta = this.text.slice(na.offset, na.offset + na.length);
    const tb = this.text.slice(nb.offset, nb.offset + nb.length);
    return [{ offset: na.offset, length: na.length, newText: tb }, { offset: nb.offset, length: nb.length, newText: ta }];
  }
}

/** JSON on one line with a space after ":" and "," (`{ "id": "relu", "type": "relu" }`). */
export function inlineJson(v: unknown): string {
  return JSON.stringify(v, null, 1).replace(/\n\s*/g, ' ').replace(/\[ /g, '[').replace(/ \]/g, ']');
}

function inferFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const m = /^([ \t]+)["}\]]/m.exec(text);
  if (m && m[1].startsWith('\t')) return { insertSpaces: false, tabSize: 4, eol };
  return { insertSpaces: true, tabSize: m ? Math.min(m[1].length, 8) : 2, eol };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** 4 significant digits: 1/3 reads 0.3333. */
export function round(x: number): number {
  return Number(x.toPrecision(4));
}

export function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${show(v)}`;
  return `${typeof v} ${show(v)}`;
}

/** "training.learningRate", "activations[1].sigma.sweep[2]". */
export function pathText(path: Path, midSentence = false): string {
  if (path.length === 0) return midSentence ? 'the config' : 'The config';
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

export function quoteList(items: readonly string[]): string {
  return items.map((s) => `"${s}"`).join(', ');
}

/** "activation "nrelu-hi"" or "activations[2]" for messages about an entry. */
export function entryName(doc: Doc, index: number): string {
  const id = doc.at(['activations', index, 'id']);
  return typeof id === 'string' ? `activation "${id}"` : `activations[${index}]`;
}

export function activationTypeAt(doc: Doc, index: number): ActivationType | undefined {
  const t = doc.at(['activations', index, 'type']);
  return isActivationType(t) ? t : undefined;
}

export function paramsText(type: ActivationType): string {
  const names = CATALOG[type].params.map((p) => p.name);
  return names.length ? `${type} takes ${quoteList(names)}` : `${type} takes no parameters`;
}

export function uniqueId(doc: Doc, base: string): string {
  const entries = doc.at(['activations']);
  const ids = new Set(Array.isArray(entries) ? entries.map((a) => (isObject(a) ? a.id : undefined)) : []);
  if (!ids.has(base)) return base;
  for (let k = 2; ; k++) if (!ids.has(`${base}-${k}`)) return `${base}-${k}`;
}

