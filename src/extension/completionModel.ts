/**
 * Completions the JSON schema cannot give (pure): activation types with their formula and
 * reference, only the parameters that the entry's type takes (with the catalog's defaults as
 * snippet placeholders), ready-made σ schedules and sweeps, schedule kinds and datasets with
 * explanations. VS Code's JSON support adds the schema's structural completions next to these.
 */
import { ACTIVATION_TYPES, DATASETS, SCHEDULE_KINDS, type ActivationType } from '../core/config';
import { CATALOG, activationMarkdown, paramMarkdown, type ParamInfo } from '../core/catalog';
import { DATASET_DOCS, SCHEDULE_DOCS, wordMarkdown } from './authoringDocs';
import { activationIndex, activationTypeOf, cursorAt, entryKeys, nextSignificantChar, replaceSpan, type Cursor, type Span } from './configTree';
import { exprCompletions } from './exprEditor';
import { snippetContextAt, snippetsFor, withCommas, type SnippetContext } from './snippetModel';

/** activation / enum / property: what the schema also knows; value (a default) and snippet: ours only. */
export type SuggestionKind = 'activation' | 'enum' | 'property' | 'value' | 'snippet';

export interface Suggestion {
  label: string;
  kind: SuggestionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Snippet syntax ($1, ${1:default}). */
  insertText: string;
  range: Span;
  /** What VS Code matches the typed text against (includes the quote when the range does). */
  filterText?: string;
  sortText?: string;
}

const q = (s: string): string => JSON.stringify(s);
/** Escapes text for a snippet placeholder/body. */
const snip = (s: string): string => s.replace(/[$}\\]/g, '\\$&');

function valueSnippet(p: ParamInfo): string {
  // An expression's text and its named parameters: a string and an object to fill in.
  if (p.kind === 'text') return `"\${1:${snip(String(p.default))}}"`;
  if (p.kind === 'named') return '{ $1 }';
  if (p.kind === 'enum' || typeof p.default === 'string') return `"\${1|${(p.values ?? [String(p.default)]).join(',')}|}"`;
  if (p.kind === 'boolean') return `\${1|${String(p.default)},${String(!p.default)}|}`;
  return `\${1:${snip(String(p.default))}}`;
}

function typeCompletions(text: string, span: Span): Suggestion[] {
  const quoted = text[span.offset] === '"';
  return ACTIVATION_TYPES.map((t, i) => ({
    label: t,
    kind: 'activation' as const,
    detail: `${CATALOG[t].name}: f(x) = ${CATALOG[t].formula}`,
    documentation: activationMarkdown(t),
    insertText: q(t),
    range: span,
    filterText: quoted ? q(t) : t,
    sortText: String(i).padStart(2, '0'),
  }));
}

function paramKeyCompletions(text: string, span: Span, type: ActivationType | undefined, present: readonly string[], hasColon: boolean): Suggestion[] {
  const out: Suggestion[] = [];
  const quoted = text[span.offset] === '"';
  const comma = !hasColon && nextSignificantChar(text, span.offset + span.length) === '"' ? ',' : '';
  const add = (name: string, detail: string, documentation: string, value: string): void => {
    if (present.includes(name) && !(quoted && text.slice(span.offset + 1, span.offset + span.length - 1) === name)) return;
    out.push({
      label: name, kind: 'property', detail, documentation,
      insertText: hasColon ? q(name) : `${q(name)}: ${value}${comma}`,
      range: span, filterText: quoted ? q(name) : name, sortText: `0${out.length}`,
    });
  };
  if (type) {
    for (const p of CATALOG[type].params) add(p.name, `${CATALOG[type].name} parameter (default ${JSON.stringify(p.default)})`, paramMarkdown(p), valueSnippet(p));
  }
  add('id', 'Unique id of this entry (names its jobs)', 'A short unique id, e.g. `"nrelu-005"`; job ids are built from it.', '"$1"');
  add('type', 'Activation type', `One of: ${ACTIVATION_TYPES.map((t) => `\`${t}\``).join(', ')}`, '"$1"');
  add('label', 'Display name in charts (defaults to the id)', 'Shown in legends and tables instead of the id.', '"$1"');
  return out;
}

/** The default value of a parameter (the snippets add sweeps and schedules). */
function paramValueCompletions(span: Span, p: ParamInfo): Suggestion[] {
  if (p.kind === 'boolean' || p.kind === 'enum' || p.kind === 'text' || p.kind === 'named') return [];
  const def = Number(p.default);
  return [{ label: String(def), kind: 'value', detail: `default ${p.name}`, documentation: paramMarkdown(p), insertText: `\${1:${def}}`, range: span, sortText: '00' }];
}

function snippetCompletions(text: string, span: Span, ctx: SnippetContext | undefined): Suggestion[] {
  if (!ctx) return [];
  return snippetsFor(ctx).map((s, i) => ({
    label: s.prefix, kind: 'snippet' as const, detail: s.name, documentation: s.description,
    insertText: withCommas(text, span, s.body, ctx), range: span, sortText: `1${String(i).padStart(2, '0')}`,
  }));
}

function enumCompletions(text: string, span: Span, values: readonly string[], doc: (v: string) => string, detail: (v: string) => string): Suggestion[] {
  const quoted = text[span.offset] === '"';
  return values.map((v, i) => ({
    label: v, kind: 'enum' as const, detail: detail(v), documentation: doc(v), insertText: q(v), range: span,
    filterText: quoted ? q(v) : v, sortText: String(i).padStart(2, '0'),
  }));
}

export interface AuthoringOptions {
  /**
   * VS Code's JSON language service is serving the schema (generated from the same catalog): it
   * already offers the enum values with their docs and each type's keys, so those are left out
   * here rather than listed twice. Value defaults and the position-aware snippets remain.
   */
  schemaServed?: boolean;
}

export function completionsAt(text: string, offset: number, opts: AuthoringOptions = {}): Suggestion[] {
  const cursor = cursorAt(text, offset);
  // Inside an expression string only the expression's names fit (no snippets, no schema values).
  const expr = exprCompletions(text, offset, cursor);
  if (expr) return expr;
  const span0 = replaceSpan(text, offset, cursor.literal);
  const fields = fieldCompletions(text, offset, cursor).filter((s) => !opts.schemaServed || s.kind === 'value');
  return [...fields, ...snippetCompletions(text, span0, snippetContextAt(text, cursor))];
}

function fieldCompletions(text: string, offset: number, cursor: Cursor): Suggestion[] {
  const { root, location, literal, literalIsKey } = cursor;
  const path = location.path;
  const span = replaceSpan(text, offset, literal);
  const last = path[path.length - 1];
  const index = activationIndex(path);

  if (location.isAtPropertyKey) {
    if (index !== undefined && path.length === 3) {
      const hasColon = literalIsKey && literal?.parent?.colonOffset !== undefined;
      return paramKeyCompletions(text, span, activationTypeOf(root, index), entryKeys(root, index), hasColon);
    }
    return [];
  }
  if (literal && literalIsKey) return [];

  if (index !== undefined && path.length === 3 && last === 'type') return typeCompletions(text, span);
  if (index !== undefined && path.length === 3 && typeof last === 'string') {
    const type = activationTypeOf(root, index);
    const p = type ? CATALOG[type].params.find((x) => x.name === last) : undefined;
    return p ? paramValueCompletions(span, p) : [];
  }
  if (last === 'schedule' && path.length >= 2) {
    return enumCompletions(text, span, SCHEDULE_KINDS, (v) => wordMarkdown(v, SCHEDULE_DOCS[v as keyof typeof SCHEDULE_DOCS]),
      (v) => SCHEDULE_DOCS[v as keyof typeof SCHEDULE_DOCS].formula ?? '');
  }
  if (path.length === 2 && path[0] === 'data' && last === 'dataset') {
    return enumCompletions(text, span, DATASETS, (v) => wordMarkdown(v, DATASET_DOCS[v as keyof typeof DATASET_DOCS]),
      (v) => DATASET_DOCS[v as keyof typeof DATASET_DOCS].summary);
  }
  return [];
}
