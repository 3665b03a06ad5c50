/**
 * Limits on untrusted expression text, checked on the raw characters before the parser runs:
 * the parser library is recursive, so size and nesting are bounded first.
 */
import { exprError, type ExprError } from './errors';

export const MAX_LENGTH = 2000;
/** Deepest nesting: of parentheses on the text, of the checked tree after parsing. */
export const MAX_DEPTH = 64;

/** Everything the grammar can use; anything else (quotes, `.` member access aside, `[`, `;`, `$`, `=`…) is refused here. */
const ALLOWED = /[A-Za-z0-9_ \t\r\n.+\-*/^<>=&|?:(),]/;

/**
 * Length, alphabet, parenthesis balance and depth, commas only between call arguments, and
 * bounded runs of the operators the parser recurses on (`?` and prefix `-`). Returns the first
 * problem, or undefined.
 */
export function prescan(text: string): ExprError | undefined {
  if (text.length > MAX_LENGTH) {
    return exprError(MAX_LENGTH, text.length, 'too-long', `expression longer than ${MAX_LENGTH} characters (${text.length})`);
  }
  if (text.trim() === '') return exprError(0, text.length, 'empty', 'empty expression: write a formula in x, e.g. "x * sigmoid(x)"');
  // Per open parenthesis: its offset and whether it opens a call (commas allowed inside).
  const open: Array<{ at: number; call: boolean }> = [];
  let questions = 0;
  let minusRun = 0;
  let prev = ''; // last non-space character
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (!ALLOWED.test(c)) {
      const cp = text.codePointAt(i)!;
      const w = cp > 0xffff ? 2 : 1;
      return exprError(i, i + w, 'bad-char', badCharMessage(c, cp));
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue;
    if (c === '(') {
      open.push({ at: i, call: /[A-Za-z0-9_]/.test(prev) });
      if (open.length > MAX_DEPTH) return exprError(i, i + 1, 'too-deep', `parentheses nested deeper than ${MAX_DEPTH}`);
    } else if (c === ')') {
      if (prev === ',') return exprError(i, i + 1, 'syntax', 'missing argument after ","');
      if (!open.pop()) return exprError(i, i + 1, 'unbalanced', 'unbalanced parentheses: this ")" closes nothing');
    } else if (c === ',') {
      const top = open[open.length - 1];
      if (!top?.call) return exprError(i, i + 1, 'syntax', 'a comma only separates function arguments, e.g. max(x, 0)');
      if (prev === ',' || prev === '(') return exprError(i, i + 1, 'syntax', 'missing argument before ","');
    } else if (c === '?') {
      if (++questions > MAX_DEPTH) return exprError(i, i + 1, 'too-deep', `more than ${MAX_DEPTH} conditionals`);
    }
    // A prefix minus follows an operator, "(" or ","; each nests the parser one level.
    if (c === '-' && (prev === '' || /[-+*/^<>=&|?:(,]/.test(prev))) {
      if (++minusRun > MAX_DEPTH) return exprError(i, i + 1, 'too-deep', `more than ${MAX_DEPTH} minus signs in a row`);
    } else minusRun = 0;
    prev = c;
  }
  const unclosed = open.pop();
  if (unclosed) return exprError(unclosed.at, unclosed.at + 1, 'unbalanced', 'unbalanced parentheses: this "(" is never closed');
  return undefined;
}

function badCharMessage(c: string, cp: number): string {
  if (c === '"' || c === "'" || c === '`') return 'strings are not part of the grammar';
  if (c === '[' || c === ']' || c === '{' || c === '}') return `"${c}" is not part of the grammar: only ( ) group`;
  if (c === ';') return 'one expression only: ";" is not part of the grammar';
  if (c === '%') return '"%" is not an operator here';
  if (c === '!') return '"!" is not an operator here: use comparisons, e.g. x <= 0';
  if (c === '~') return '"~" is not an operator here';
  if (cp < 0x20 || cp === 0x7f) return `control character U+${cp.toString(16).toUpperCase().padStart(4, '0')} in expression`;
  if (cp > 0x7f) return `character "${String.fromCodePoint(cp)}" is not part of the grammar (ASCII names and operators only)`;
  return `"${c}" is not part of the grammar`;
}
