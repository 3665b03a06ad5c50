/**
 * The one place that touches jsep: configure its grammar, run it with source ranges, and narrow
 * its loosely typed nodes to RawNode. jsep evaluates nothing; it only builds a tree.
 *
 * jsep 1.x keeps its operator tables and hooks as static state of one class (a process-wide
 * singleton), so the tables are re-asserted before every parse: another importer changing them
 * cannot change our grammar. Its nodes carry no positions; the token hooks below record them.
 */
import jsep from 'jsep';
import { exprError, type ExprError } from './errors';

/** jsep's node after narrowing: only what the checker reads, with a source range. */
export type RawNode =
  | { type: 'Literal'; value: unknown; raw: string; start: number; end: number; paren: boolean }
  | { type: 'Identifier'; name: string; start: number; end: number; paren: boolean }
  | { type: 'UnaryExpression'; operator: string; argument: RawNode; start: number; end: number; paren: boolean }
  | { type: 'BinaryExpression'; operator: string; left: RawNode; right: RawNode; start: number; end: number; paren: boolean }
  | { type: 'ConditionalExpression'; test: RawNode; consequent: RawNode; alternate: RawNode; start: number; end: number; paren: boolean }
  | { type: 'CallExpression'; callee: RawNode; arguments: RawNode[]; start: number; end: number; paren: boolean }
  /** Anything else jsep can produce (member access, `this`, arrays, compounds, …): refused by the checker. */
  | { type: 'Other'; what: string; start: number; end: number; paren: boolean };

/**
 * Binary operators and their precedence (higher binds tighter). `^` is power, right-associative,
 * above * and / (jsep's default `^` is bitwise xor below the comparisons).
 */
const BINARY: ReadonlyArray<readonly [string, number, boolean]> = [
  ['||', 1, false], ['&&', 2, false],
  ['<', 7, false], ['<=', 7, false], ['>', 7, false], ['>=', 7, false],
  ['+', 9, false], ['-', 9, false], ['*', 10, false], ['/', 10, false], ['^', 11, true],
];

/** jsep's runtime class (untyped in its typings): where the tables actually live. */
interface JsepStatics {
  this_str: string;
  binary_ops: Record<string, number>;
  right_associative: Set<string>;
}

function statics(): JsepStatics {
  return (jsep as unknown as { Jsep: JsepStatics }).Jsep;
}

function configure(): void {
  jsep.removeAllBinaryOps();
  for (const [op, prec, right] of BINARY) jsep.addBinaryOp(op, prec, right);
  jsep.removeAllUnaryOps();
  jsep.addUnaryOp('-');
  // true/false/null become plain identifiers (unknown names); `this` too.
  jsep.removeAllLiterals();
  statics().this_str = '\u0000this';
  jsep.removeIdentifierChar('$');
}

// Token start offsets: gobble-token pushes, after-token pops (they pair for every token).
let starts: number[] = [];
let text = '';

interface Scope {
  index: number;
  readonly code: number;
  gobbleNumericLiteral(): jsep.Expression | undefined;
}
type Env = { node?: jsep.Expression | false };

function trimEnd(end: number, start: number): number {
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return end;
}

let hooked = false;
function addHooks(): void {
  if (hooked) return;
  hooked = true;
  jsep.hooks.add('gobble-token', function (this: Scope, env: Env) {
    starts.push(this.index);
    // jsep returns numeric literals without running after-token; gobble them here so it does.
    const c = this.code;
    if ((c >= 48 && c <= 57) || c === 46) env.node = this.gobbleNumericLiteral();
  } as unknown as jsep.HookCallback, true);
  jsep.hooks.add('after-token', function (this: Scope, env: Env) {
    const start = starts.pop() ?? 0;
    const node = env.node as (jsep.Expression & { start?: number; end?: number; paren?: boolean }) | false | undefined;
    if (!node) return;
    if (node.start !== undefined && node.start > start) node.paren = true; // a group "(…)" around it
    if (node.start === undefined || node.start > start) {
      node.start = start;
      node.end = trimEnd(this.index, start);
    }
  } as unknown as jsep.HookCallback, true);
}

/** jsep's errors carry `index` and `description`; anything else is a bug, rethrown. */
function syntaxError(e: unknown, src: string): ExprError {
  if (!(e instanceof Error) || typeof (e as { index?: unknown }).index !== 'number') throw e;
  const at = Math.min((e as unknown as { index: number }).index, src.length);
  const desc = String((e as { description?: unknown }).description ?? e.message);
  const c = src[at] ?? '';
  const end = Math.min(src.length, at + 1);
  if (c === '=' || (c === '!' && src[at + 1] === '=')) {
    return exprError(at, end, 'unsupported', 'assignments and == are not part of the grammar: comparisons are < <= > >=');
  }
  if ((c === '&' || c === '|') && src[at + 1] !== c) return exprError(at, end, 'syntax', `"${c}" is not an operator: write ${c}${c}`);
  if (at >= src.length) return exprError(Math.max(0, src.length - 1), src.length, 'syntax', `incomplete expression: ${desc}`);
  return exprError(at, end, 'syntax', desc.replace(/^Unexpected "(.*)"$/, 'unexpected "$1"'));
}

type Loose = jsep.Expression & { start?: number; end?: number; paren?: boolean };

/** Narrows jsep's node (iteratively bounded by prescan's limits, so recursion is safe). */
function narrow(n: Loose, src: string): RawNode {
  const start = n.start ?? 0;
  const end = n.end ?? src.length;
  const paren = n.paren === true;
  const base = { start, end, paren };
  switch (n.type) {
    case 'Literal': return { type: 'Literal', value: n.value, raw: String(n.raw), ...base };
    case 'Identifier': return { type: 'Identifier', name: String(n.name), ...base };
    case 'UnaryExpression':
      return { type: 'UnaryExpression', operator: String(n.operator), argument: narrow(n.argument as Loose, src), ...base };
    case 'BinaryExpression': {
      const left = narrow(n.left as Loose, src);
      const right = narrow(n.right as Loose, src);
      // Binary nodes are built outside the token hooks, so a range of their own means a group
      // "(…)" put it there: that is how parentheses around them are known.
      return { type: 'BinaryExpression', operator: String(n.operator), left, right, start: n.start ?? left.start, end: n.end ?? right.end, paren: n.start !== undefined };
    }
    case 'ConditionalExpression': {
      const test = narrow(n.test as Loose, src);
      const consequent = narrow(n.consequent as Loose, src);
      const alternate = narrow(n.alternate as Loose, src);
      return { type: 'ConditionalExpression', test, consequent, alternate, start: n.start ?? test.start, end: n.end ?? alternate.end, paren: n.start !== undefined };
    }
    case 'CallExpression': {
      const args = (n.arguments as Loose[]).map((a) => narrow(a, src));
      return { type: 'CallExpression', callee: narrow(n.callee as Loose, src), arguments: args, ...base };
    }
    case 'Compound': {
      // Two expressions side by side ("2 x", "x y"): report where the second begins.
      const body = (n.body as Loose[]) ?? [];
      const second = body[1];
      const at = second?.start ?? start;
      return { type: 'Other', what: 'missing-operator', start: at, end: second?.end ?? end, paren };
    }
    default:
      return { type: 'Other', what: n.type, start, end, paren };
  }
}

/** Parses text (already through prescan) into a RawNode, or a located syntax error. */
export function jsepParse(src: string): RawNode | ExprError {
  configure();
  addHooks();
  starts = [];
  text = src;
  try {
    const node = jsep(src) as Loose;
    // Bare binary/conditional trees at the top carry no range of their own.
    return narrow(node, src);
  } catch (e) {
    return syntaxError(e, src);
  } finally {
    starts = [];
    text = '';
  }
}

export function isExprError(v: unknown): v is ExprError {
  return typeof v === 'object' && v !== null && 'code' in v && 'message' in v && !('type' in v);
}
