/**
 * Hover text over a config (pure): activation types (formula, what it does, reference,
 * parameters), an entry's parameters (description, default, valid and recommended ranges — or
 * which types take it when this one does not), schedule kinds and datasets.
 */
import { ACTIVATION_PARAM_NAMES, CATALOG, activationMarkdown, isActivationType, paramMarkdown, typesWithParam } from '../core/catalog';
import { DATASETS, SCHEDULE_KINDS, type DatasetName, type ScheduleKind } from '../core/config';
import { DATASET_DOCS, SCHEDULE_DOCS, wordMarkdown } from './authoringDocs';
import type { AuthoringOptions } from './completionModel';
import { activationIndex, activationTypeOf, cursorAt, type Span } from './configTree';
import { exprHover } from './exprEditor';

export interface HoverInfo {
  markdown: string;
  range: Span;
}

/**
 * With `schemaServed` (VS Code's JSON service shows the schema's hovers, generated from the same
 * catalog) the enum values — types, schedule kinds, datasets — are left to it; parameter keys,
 * whose meaning depends on the entry's type, are always ours.
 */
export function hoverAt(text: string, offset: number, opts: AuthoringOptions = {}): HoverInfo | undefined {
  const cursor = cursorAt(text, offset);
  const { root, location, literal, literalIsKey } = cursor;
  if (!literal) return undefined;
  const expr = exprHover(text, cursor);
  if (expr) return expr;
  const range: Span = { offset: literal.offset, length: literal.length };
  const path = location.path;
  const index = activationIndex(path);

  if (literalIsKey) {
    const key = literal.value;
    if (index === undefined || path.length !== 3 || typeof key !== 'string') return undefined;
    if (!(ACTIVATION_PARAM_NAMES as readonly string[]).includes(key)) return undefined;
    const type = activationTypeOf(root, index);
    const p = type ? CATALOG[type].params.find((x) => x.name === key) : undefined;
    if (type && p) return { markdown: `**\`${key}\`** — ${CATALOG[type].name} parameter\n\n${paramMarkdown(p)}`, range };
    const takers = typesWithParam(key).map((t) => `\`${t}\``).join(', ');
    const where = type ? `not a parameter of ${CATALOG[type].name}` : 'an activation parameter';
    return { markdown: `**\`${key}\`** — ${where}; it applies to ${takers}.`, range };
  }

  if (opts.schemaServed) return undefined;
  const value = literal.value;
  const last = path[path.length - 1];
  if (index !== undefined && path.length === 3 && last === 'type' && isActivationType(value)) {
    return { markdown: activationMarkdown(value), range };
  }
  if (last === 'schedule' && typeof value === 'string' && (SCHEDULE_KINDS as readonly string[]).includes(value)) {
    return { markdown: wordMarkdown(`${value} schedule`, SCHEDULE_DOCS[value as ScheduleKind]), range };
  }
  if (path.length === 2 && path[0] === 'data' && last === 'dataset' && typeof value === 'string' && (DATASETS as readonly string[]).includes(value)) {
    return { markdown: wordMarkdown(value, DATASET_DOCS[value as DatasetName]), range };
  }
  return undefined;
}
