/** Completion candidates inside an expression string (the editor maps them to its own items). */
import { FUNCTIONS, NOISE, type FnName, type NoiseName } from './ast';

export interface ExprCompletion {
  readonly label: string;
  readonly kind: 'variable' | 'parameter' | 'constant' | 'function' | 'noise';
  readonly detail: string;
  /** Text to insert for [from, to): functions come with their parentheses. */
  readonly insertText: string;
}

export interface ExprCompletions {
  /** The identifier prefix being completed: replace [from, to) with an item's insertText. */
  readonly from: number;
  readonly to: number;
  readonly items: readonly ExprCompletion[];
}

const isIdent = (ch: string | undefined): boolean => ch !== undefined && /[A-Za-z0-9_]/.test(ch);

/** Candidates at `offset` in `text` (offsets into the expression), filtered by the word there. */
export function completeExpr(text: string, offset: number, params: readonly string[] = []): ExprCompletions {
  const at = Math.max(0, Math.min(offset, text.length));
  let from = at;
  while (from > 0 && isIdent(text[from - 1])) from--;
  let to = at;
  while (to < text.length && isIdent(text[to])) to++;
  const prefix = text.slice(from, at).toLowerCase();
  // Right after a number ("2x") nothing fits: an operator is missing.
  if (/^[0-9]/.test(prefix)) return { from, to, items: [] };
  const all: ExprCompletion[] = [
    { label: 'x', kind: 'variable', detail: 'the pre-activation', insertText: 'x' },
    ...params.map((p): ExprCompletion => ({ label: p, kind: 'parameter', detail: 'parameter (params)', insertText: p })),
    { label: 'pi', kind: 'constant', detail: `π = ${Math.PI}`, insertText: 'pi' },
    { label: 'e', kind: 'constant', detail: `e = ${Math.E}`, insertText: 'e' },
    ...(Object.keys(FUNCTIONS) as FnName[]).map((f): ExprCompletion => ({
      label: f, kind: 'function', detail: `${FUNCTIONS[f].signature}: ${FUNCTIONS[f].doc}`, insertText: `${f}(`,
    })),
    ...(Object.keys(NOISE) as NoiseName[]).map((f): ExprCompletion => ({
      label: `${f}()`, kind: 'noise', detail: NOISE[f].doc, insertText: `${f}()`,
    })),
  ];
  const followedByParen = text[to] === '(';
  const items = all
    .filter((i) => i.label.toLowerCase().startsWith(prefix))
    .map((i) => (followedByParen && i.kind === 'function' ? { ...i, insertText: i.label } : i));
  return { from, to, items };
}
