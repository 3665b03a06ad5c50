/**
 * The one validator of *.actlab.json, used by `actlab validate` / `actlab run` and by the editor
 * (diagnostics, quick fixes). Three passes: syntax (jsonc-parser), structure (ajv against the
 * generated schema, errors rewritten into one clear message each, located on the exact key or
 * value), then semantic checks that a schema cannot express (bounds between fields, dataset
 * sizes, the papers' warnings, the job count).
 */
import { createScanner, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { RawConfig } from './config';
import { Doc, pathText, type Path } from './configDoc';
import {
  LineIndex, formatDiagnostic, type Diagnostic, type Range, type Severity, type ValidateOptions, type ValidationResult,
} from './diagnostics';
import { type AjvError, schemaValidator, structureDiagnostics } from './validateStructure';
import { semanticDiagnostics } from './validateSemantics';
import { MANY_JOBS, jobDiagnostic } from './validateLimits';
import { longListDiagnostics, nestingDiagnostic } from './validateSize';

export { formatDiagnostic, MANY_JOBS };
export type { Diagnostic, Position, QuickFix, Range, Severity, TextEdit, ValidateOptions, ValidationResult } from './diagnostics';

// ---------------------------------------------------------------------------
// Pass 1: syntax

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'Unexpected character here; JSON values are objects, lists, strings in double quotes, numbers, true, false or null.',
  InvalidNumberFormat: 'Invalid number.',
  PropertyNameExpected: 'Expected a key in double quotes, e.g. "name".',
  ValueExpected: 'Expected a value here.',
  ColonExpected: 'Expected ":" after the key.',
  CommaExpected: 'Expected "," between entries.',
  CloseBraceExpected: 'Expected "}" to close the object.',
  CloseBracketExpected: 'Expected "]" to close the list.',
  EndOfFileExpected: 'Expected the end of the file after the top-level object.',
  InvalidCommentToken: 'Invalid comment.',
  UnexpectedEndOfComment: 'Unterminated /* comment.',
  UnexpectedEndOfString: 'Unterminated string: add the closing double quote.',
  UnexpectedEndOfNumber: 'Incomplete number.',
  InvalidUnicode: 'Invalid unicode escape.',
  InvalidEscapeCharacter: 'Invalid escape character in string.',
  InvalidCharacter: 'Invalid character in string (control characters must be escaped).',
};

function syntaxDiagnostics(doc: { range(o: number, l: number): Range }, text: string, errors: ParseError[]): Diagnostic[] {
  let ends: number[] | undefined;
  return errors.map((e) => {
    const name = printParseErrorCode(e.error);
    // A missing comma is reported at the next entry; a person adds it after the previous one.
    const at = name === 'CommaExpected' ? previousTokenEnd((ends ??= tokenEnds(text)), e.offset) : undefined;
    // Clamped: jsonc-parser reports an unterminated /* at the end one character past it.
    const offset = Math.min(e.offset, text.length);
    const range = at === undefined ? doc.range(offset, Math.max(0, Math.min(e.length, text.length - offset))) : doc.range(at, 0);
    return { severity: 'error', code: 'syntax-error', message: `Syntax error: ${SYNTAX_MESSAGES[name] ?? name}`, range, path: [] };
  });
}

/** Where each token other than whitespace and comments ends, in order. */
function tokenEnds(text: string): number[] {
  const scanner = createScanner(text, true);
  const out: number[] = [];
  // 17: SyntaxKind.EOF (a const enum, not importable with isolatedModules).
  while (scanner.scan() !== 17) out.push(scanner.getTokenOffset() + scanner.getTokenLength());
  return out;
}

function previousTokenEnd(ends: readonly number[], offset: number): number | undefined {
  let lo = 0;
  let hi = ends.length - 1;
  let best: number | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid]! <= offset) { best = ends[mid]; lo = mid + 1; } else hi = mid - 1;
  }
  return best;
}

/**
 * Problems in what the parser recovered around a syntax error, so that a syntax error and a
 * mistyped value are reported together. Left out: what is missing (it may be in the broken
 * part) and anything at a syntax error.
 */
function recoveredDiagnostics(doc: Doc, syntax: readonly Diagnostic[], options: ValidateOptions): Diagnostic[] {
  const validate = schemaValidator();
  const structure = validate(doc.value) === true ? [] : structureDiagnostics(doc, (validate.errors ?? []) as AjvError[]);
  const touches = (d: Diagnostic): boolean => syntax.some((x) => x.range.offset >= d.range.offset && x.range.offset <= d.range.offset + d.range.length);
  return [...duplicateKeyDiagnostics(doc), ...structure, ...semanticDiagnostics(doc, options)]
    .filter((d) => d.severity === 'error' && !/missing|empty/.test(d.code) && !touches(d));
}

/**
 * The value of a parse tree as JSON.parse would make it: plain objects, an own "__proto__" key
 * kept as data. (jsonc-parser's getNodeValue makes null-prototype objects, on which ajv's
 * uniqueItems comparison and any string conversion throw.) The tree is at most MAX_NESTING deep.
 */
function nodeValue(n: Node): unknown {
  if (n.type === 'array') return (n.children ?? []).map(nodeValue);
  if (n.type !== 'object') return getNodeValue(n);
  const obj: Record<string, unknown> = {};
  for (const prop of n.children ?? []) {
    const [k, v] = prop.children ?? [];
    if (k && v) Object.defineProperty(obj, String(k.value), { value: nodeValue(v), enumerable: true, writable: true, configurable: true });
  }
  return obj;
}

function duplicateKeyDiagnostics(doc: Doc): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (n: Node, path: Path) => {
    if (n.type === 'object') {
      const seen = new Set<string>();
      for (const prop of n.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k) continue;
        const key = String(k.value);
        if (seen.has(key)) {
          out.push({
            severity: 'error', code: 'duplicate-key', path: [...path, key], range: doc.nodeRange(k),
            message: `Key "${key}" appears twice in ${pathText(path, true)}; only the last one would count. Remove one.`,
          });
        }
        seen.add(key);
        if (v) visit(v, [...path, key]);
      }
    } else if (n.type === 'array') {
      (n.children ?? []).forEach((c, i) => visit(c, [...path, i]));
    }
  };
  visit(doc.root, []);
  return out;
}

// ---------------------------------------------------------------------------

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.code}|${d.range.offset}|${d.range.length}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return dedupe(ds).sort((a, b) => a.range.offset - b.range.offset || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

export function validateConfigText(text: string, options: ValidateOptions = {}): ValidationResult {
  const errors: ParseError[] = [];
  const lines = new LineIndex(text);
  // Hostile sizes first: the parser recurses per level, the schema compares list items pairwise.
  const tooDeep = nestingDiagnostic(text, lines);
  if (tooDeep) return { diagnostics: [tooDeep] };
  // A byte-order mark is not JSON; blank it (same length, so offsets stay right).
  const root = parseTree(text.replace(/^\uFEFF/, ' '), errors, { allowTrailingComma: true, disallowComments: false });
  const tooLong = root ? longListDiagnostics(root, lines) : [];
  if (tooLong.length) return { diagnostics: tooLong };
  if (!root) {
    const diagnostics = syntaxDiagnostics(lines, text, errors);
    if (!diagnostics.length) diagnostics.push({ severity: 'error', code: 'syntax-error', message: 'Syntax error: the file is empty; expected a JSON object.', range: lines.range(0, 0), path: [] });
    return { diagnostics };
  }
  const doc = new Doc(text, root, nodeValue(root));
  if (errors.length) {
    const syntax = syntaxDiagnostics(lines, text, errors);
    return { diagnostics: sortDiagnostics([...syntax, ...recoveredDiagnostics(doc, syntax, options)]) };
  }
  const validate = schemaValidator();
  const structureOk = validate(doc.value) === true;
  const diagnostics = [
    ...duplicateKeyDiagnostics(doc),
    ...(structureOk ? [] : structureDiagnostics(doc, (validate.errors ?? []) as AjvError[])),
    ...semanticDiagnostics(doc, options),
  ];
  let jobCount: number | undefined;
  if (structureOk) {
    const jd = jobDiagnostic(doc, doc.value as RawConfig, options);
    diagnostics.push(...jd.diagnostics);
    jobCount = jd.jobCount;
  }
  const sorted = sortDiagnostics(diagnostics);
  const hasError = sorted.some((d) => d.severity === 'error');
  const result: ValidationResult = { diagnostics: sorted };
  if (!hasError) result.config = doc.value as RawConfig;
  if (jobCount !== undefined) result.jobCount = jobCount;
  return result;
}
