/**
 * The whitelist walk: jsep's tree → the checked ExprNode tree, every refusal located. Only the
 * node types and names listed here exist; everything else is an error, never a lookup.
 */
import { editDistance, suggest } from '../suggest';
import {
  FUNCTIONS, isConstName, isFnName, isNoiseName, type ArithOp, type CompareOp, type ExprNode, type LogicalOp,
} from './ast';
import { exprError, type ExprError } from './errors';
import type { RawNode } from './jsepParse';
import { MAX_DEPTH } from './limits';

export interface CheckScope {
  /** Parameter names the expression may read. */
  readonly params: readonly string[];
  /** A parameter value: no x, no parameters, no noise (a constant). */
  readonly constantOnly?: boolean;
}

const ARITH = new Set(['+', '-', '*', '/', '^']);
const COMPARE = new Set(['<', '<=', '>', '>=']);
const LOGICAL = new Set(['&&', '||']);

const OTHER_MESSAGES: Record<string, string> = {
  MemberExpression: 'property access is not part of the grammar',
  ThisExpression: '"this" is not part of the grammar',
  ArrayExpression: 'arrays are not part of the grammar',
  SequenceExpression: 'a comma only separates function arguments, e.g. max(x, 0)',
  'missing-operator': 'missing operator between two terms (write 2 * x, not 2x or 2 x)',
};

export class Checker {
  readonly errors: ExprError[] = [];
  private site = 0;
  constructor(private readonly scope: CheckScope) {}

  private fail(n: { start: number; end: number }, e: Omit<ExprError, 'start' | 'end'>): undefined {
    this.errors.push(exprError(n.start, n.end, e.code, e.message, e.suggestion));
    return undefined;
  }

  /** Names a user could have meant (for "did you mean"). */
  private candidates(call: boolean): string[] {
    const values = this.scope.constantOnly ? ['pi', 'e'] : ['x', 'pi', 'e', ...this.scope.params];
    return call ? [...Object.keys(FUNCTIONS), ...(this.scope.constantOnly ? [] : ['randn', 'rand'])] : values;
  }

  private unknown(n: { start: number; end: number }, name: string, call: boolean): undefined {
    const s = suggestName(name, this.candidates(call));
    const what = call ? 'unknown function' : 'unknown name';
    return this.fail(n, {
      code: call ? 'unknown-function' : 'unknown-name',
      message: `${what} "${name}"${s ? `: did you mean "${s}"?` : ''}`,
      ...(s ? { suggestion: s } : {}),
    });
  }

  check(n: RawNode, depth = 1): ExprNode | undefined {
    if (depth > MAX_DEPTH) return this.fail(n, { code: 'too-deep', message: `expression nested deeper than ${MAX_DEPTH}` });
    const { start, end } = n;
    switch (n.type) {
      case 'Literal':
        if (typeof n.value !== 'number' || !Number.isFinite(n.value)) {
          return this.fail(n, { code: 'syntax', message: `"${n.raw}" is not a finite number` });
        }
        return { kind: 'num', value: n.value, start, end };
      case 'Identifier': return this.identifier(n);
      case 'UnaryExpression': {
        if (n.operator !== '-') return this.fail(n, { code: 'unsupported', message: `unary "${n.operator}" is not part of the grammar` });
        const arg = this.check(n.argument, depth + 1);
        return arg && { kind: 'unary', op: '-', arg, start, end };
      }
      case 'BinaryExpression': return this.binary(n, depth);
      case 'ConditionalExpression': {
        const test = this.check(n.test, depth + 1);
        const then = this.check(n.consequent, depth + 1);
        const other = this.check(n.alternate, depth + 1);
        return test && then && other && { kind: 'cond', test, then, else: other, start, end };
      }
      case 'CallExpression': return this.call(n, depth);
      case 'Other':
        return this.fail(n, { code: n.what === 'missing-operator' ? 'syntax' : 'unsupported', message: OTHER_MESSAGES[n.what] ?? `${n.what} is not part of the grammar` });
    }
  }

  private identifier(n: Extract<RawNode, { type: 'Identifier' }>): ExprNode | undefined {
    const { name, start, end } = n;
    const c = this.scope.constantOnly;
    if (isConstName(name)) return { kind: 'const', name, start, end };
    if (name === 'x') {
      return c ? this.fail(n, { code: 'x-in-param', message: 'a parameter value cannot depend on x' }) : { kind: 'x', start, end };
    }
    if (this.scope.params.includes(name)) {
      return c ? this.fail(n, { code: 'param-in-param', message: `a parameter value cannot read the parameter "${name}"` }) : { kind: 'param', name, start, end };
    }
    if (isFnName(name) || isNoiseName(name)) {
      return this.fail(n, { code: 'not-a-value', message: `"${name}" is a function: write ${name}(${isFnName(name) ? '…' : ''})`, suggestion: `${name}(${isFnName(name) ? 'x' : ''})` });
    }
    return this.unknown(n, name, false);
  }

  private binary(n: Extract<RawNode, { type: 'BinaryExpression' }>, depth: number): ExprNode | undefined {
    const op = n.operator;
    // jsep binds prefix minus tighter than ^; mathematics (and Python) read -x^2 as -(x^2).
    if (op === '^' && n.left.type === 'UnaryExpression' && n.left.operator === '-' && !n.left.paren) {
      const inner: RawNode = { type: 'BinaryExpression', operator: '^', left: n.left.argument, right: n.right, start: n.left.argument.start, end: n.right.end, paren: false };
      return this.check({ type: 'UnaryExpression', operator: '-', argument: inner, start: n.start, end: n.end, paren: n.paren }, depth);
    }
    if (COMPARE.has(op)) {
      for (const side of [n.left, n.right]) {
        if (side.type === 'BinaryExpression' && COMPARE.has(side.operator) && !side.paren) {
          return this.fail(n, { code: 'chained-compare', message: 'comparisons do not chain: write a < x && x < b' });
        }
      }
    }
    const left = this.check(n.left, depth + 1);
    const right = this.check(n.right, depth + 1);
    if (!left || !right) return undefined;
    const { start, end } = n;
    if (ARITH.has(op)) return { kind: 'binary', op: op as ArithOp, left, right, start, end };
    if (COMPARE.has(op)) return { kind: 'compare', op: op as CompareOp, left, right, start, end };
    if (LOGICAL.has(op)) return { kind: 'logical', op: op as LogicalOp, left, right, start, end };
    return this.fail(n, { code: 'unsupported', message: `operator "${op}" is not part of the grammar` });
  }

  private call(n: Extract<RawNode, { type: 'CallExpression' }>, depth: number): ExprNode | undefined {
    const callee = n.callee;
    const { start, end } = n;
    if (callee.type === 'Other') return this.check(callee, depth + 1);
    // A callee written "(sin)" starts after the call's own "(": only a bare name may be called.
    if (callee.type !== 'Identifier' || callee.paren || callee.start > start) {
      return this.fail(callee, { code: 'not-a-function', message: 'only a function name can be called, e.g. tanh(x)' });
    }
    const name = callee.name;
    const at = { start, end: start + name.length };
    const args = n.arguments;
    if (isNoiseName(name)) {
      if (this.scope.constantOnly) return this.fail(n, { code: 'noise-in-param', message: `a parameter value cannot draw noise (${name}())` });
      if (args.length) return this.fail(n, { code: 'arity', message: `${name}() takes no arguments` });
      return { kind: 'noise', dist: name, site: this.site++, start, end };
    }
    if (!isFnName(name)) {
      if (name === 'x' || isConstName(name) || this.scope.params.includes(name)) {
        return this.fail(at, { code: 'not-a-function', message: `"${name}" is not a function (write ${name} * (…) to multiply)` });
      }
      return this.unknown(at, name, true);
    }
    const info = FUNCTIONS[name];
    const [lo, hi] = typeof info.arity === 'number' ? [info.arity, info.arity] : info.arity;
    if (args.length < lo || args.length > hi) {
      const want = lo === hi ? `${lo} argument${lo === 1 ? '' : 's'}` : hi === Infinity ? `at least ${lo} arguments` : `${lo} to ${hi} arguments`;
      return this.fail(n, { code: 'arity', message: `${info.signature} takes ${want}, got ${args.length}` });
    }
    const checked = args.map((a) => this.check(a, depth + 1));
    if (checked.some((a) => a === undefined)) return undefined;
    return { kind: 'call', fn: name, args: checked as ExprNode[], start, end };
  }
}

/** suggest() treats case as noise; "phi" vs "Phi" matters here, so exact case wins ties. */
function suggestName(name: string, candidates: readonly string[]): string | undefined {
  const exact = candidates.find((c) => c.toLowerCase() === name.toLowerCase() && c !== name);
  if (exact) return exact;
  const s = suggest(name, candidates);
  if (s !== undefined) {
    // suggest() ignores case: of "phi" and "Phi" take the one closer as written.
    const twins = candidates.filter((c) => c.toLowerCase() === s.toLowerCase());
    return twins.reduce((best, c) => (editDistance(c, name) < editDistance(best, name) ? c : best), s);
  }
  // Short names (≤ 3 letters) get suggest()'s limit of 1 already; nothing better to offer.
  return candidates.find((c) => editDistance(c, name) === 1);
}
