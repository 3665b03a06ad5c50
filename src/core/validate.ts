/**
 * The one validator of *.actlab.json, used by `actlab validate` / `actlab run` and by the editor
 * (diagnostics, quick fixes). Three passes: syntax (jsonc-parser), structure (ajv against the
 * generated schema, errors rewritten into one clear message each, located on the exact key or
 * value), then semantic checks that a schema cannot express (bounds between fields, dataset
 * sizes, the papers' warnings, the job count).
 */
import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { RawConfig } from './config';
import { Doc, pathText, type Path } from './configDoc';
import {
  LineIndex, formatDiagnostic, type Diagnostic, type Range, type Severity, type ValidateOptions, type ValidationResult,
} from './diagnostics';
import { type AjvError, schemaValidator, structureDiagnostics } from './validateStructure';
import { MANY_JOBS, jobDiagnostic, semanticDiagnostics } from './validateSemantics';

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

function syntaxDiagnostics(doc: { range(o: number, l: number): Range }, errors: ParseError[]): Diagnostic[] {
  return errors.map((e) => {
    const name = printParseErrorCode(e.error);
    return { severity: 'error', code: 'syntax-error', message: `Syntax error: ${SYNTAX_MESSAGES[name] ?? name}`, range: doc.range(e.offset, e.length), path: [] };
  });
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

export function validateConfigText(text: string, options: ValidateOptions = {}): ValidationResult {
  const errors: ParseError[] = [];
  // A byte-order mark is not JSON; blank it (same length, so offsets stay right).
  const root = parseTree(text.replace(/^\uFEFF/, ' '), errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length || !root) {
    const lines = new LineIndex(text);
    const diagnostics = syntaxDiagnostics({ range: (o, l) => lines.range(o, l) }, errors);
    if (!diagnostics.length) diagnostics.push({ severity: 'error', code: 'syntax-error', message: 'Syntax error: the file is empty; expected a JSON object.', range: lines.range(0, 0), path: [] });
    return { diagnostics };
  }
  const doc = new Doc(text, root, getNodeValue(root));
  const validate = schemaValidator();
  const structureOk = validate(doc.value) === true;
  const diagnostics = [
    ...duplicateKeyDiagnostics(doc),
    ...(structureOk ? [] : structureDiagnostics(doc, (validate.errors ?? []) as AjvError[])),
    ...semanticDiagnostics(doc, options),
  ];
  let jobCount: number | undefined;
  if (structureOk) {
    const jd = jobDiagnostic(doc, doc.value as RawConfig);
    if (jd.diagnostic) diagnostics.push(jd.diagnostic);
    jobCount = jd.jobCount;
  }
  const sorted = dedupe(diagnostics).sort((a, b) => a.range.offset - b.range.offset || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const hasError = sorted.some((d) => d.severity === 'error');
  const result: ValidationResult = { diagnostics: sorted };
  if (!hasError) result.config = doc.value as RawConfig;
  if (jobCount !== undefined) result.jobCount = jobCount;
  return result;
}
