/** fast-check generators of random checked trees (shared by the core and trainer property tests). */
import fc from 'fast-check';
import { FUNCTIONS, type ExprNode, type FnName } from '../../../../src/core/expr/index';

const S = { start: 0, end: 0 };
const UNARY_FNS = (Object.keys(FUNCTIONS) as FnName[]).filter((f) => FUNCTIONS[f].arity === 1);

export interface TreeOptions {
  readonly params?: readonly string[];
  readonly noise?: boolean;
  /** Only operations with a smooth, finite tensor form on bounded input (compiler comparisons). */
  readonly smooth?: boolean;
  readonly depth?: number;
}

export function treeArb(options: TreeOptions = {}): fc.Arbitrary<ExprNode> {
  const params = options.params ?? ['a', 'b'];
  const smooth = options.smooth ?? false;
  const leaves: Array<fc.Arbitrary<ExprNode>> = [
    fc.constant<ExprNode>({ kind: 'x', ...S }),
    fc.constant<ExprNode>({ kind: 'x', ...S }),
    (smooth ? fc.integer({ min: 0, max: 8 }).map((k) => k / 4) : fc.double({ min: 0, max: 1e6, noNaN: true }).map((v) => Math.abs(v) + 0))
      .map((value): ExprNode => ({ kind: 'num', value, ...S })),
    fc.constantFrom<ExprNode>({ kind: 'const', name: 'pi', ...S }, { kind: 'const', name: 'e', ...S }),
  ];
  if (params.length) leaves.push(fc.constantFrom(...params).map((name): ExprNode => ({ kind: 'param', name, ...S })));
  if (options.noise) leaves.push(fc.constantFrom<ExprNode>({ kind: 'noise', dist: 'randn', site: 0, ...S }, { kind: 'noise', dist: 'rand', site: 0, ...S }));
  const fns = smooth ? (['tanh', 'sigmoid', 'sin', 'cos', 'erf', 'Phi', 'phi', 'softplus', 'abs', 'relu', 'square'] as FnName[]) : UNARY_FNS;
  const { node } = fc.letrec<{ node: ExprNode }>((tie) => {
    const sub = tie('node');
    const inner: Array<fc.Arbitrary<ExprNode>> = [
      sub.map((arg): ExprNode => ({ kind: 'unary', op: '-', arg, ...S })),
      fc.tuple(fc.constantFrom('+', '-', '*', ...(smooth ? [] : ['/', '^'] as const)), sub, sub)
        .map(([op, left, right]): ExprNode => ({ kind: 'binary', op, left, right, ...S })),
      fc.tuple(fc.constantFrom(...fns), sub).map(([fn, a]): ExprNode => ({ kind: 'call', fn, args: [a], ...S })),
      fc.tuple(fc.constantFrom('min', 'max'), fc.array(sub, { minLength: 2, maxLength: 3 }))
        .map(([fn, args]): ExprNode => ({ kind: 'call', fn, args, ...S })),
      fc.tuple(sub, sub, sub).map(([u, lo, hi]): ExprNode => ({ kind: 'call', fn: 'clip', args: [u, lo, hi], ...S })),
      fc.tuple(fc.constantFrom('<', '<=', '>', '>='), sub, sub)
        .map(([op, left, right]): ExprNode => ({ kind: 'compare', op, left, right, ...S })),
      fc.tuple(sub, sub, sub).map(([test, then, other]): ExprNode => ({ kind: 'cond', test, then, else: other, ...S })),
    ];
    if (!smooth) {
      inner.push(fc.tuple(fc.constantFrom('&&', '||'), sub, sub).map(([op, left, right]): ExprNode => ({ kind: 'logical', op, left, right, ...S })));
      inner.push(fc.tuple(fc.constantFrom(...(['exp', 'log', 'sqrt', 'log1p', 'expm1'] as FnName[])), sub).map(([fn, a]): ExprNode => ({ kind: 'call', fn, args: [a], ...S })));
    }
    return {
      node: fc.oneof({ depthSize: 'small', maxDepth: options.depth ?? 6 }, fc.oneof(...leaves), fc.oneof(...inner)),
    };
  });
  return node;
}

/** The tree without ranges and with noise sites renumbered in source order, for comparisons. */
export function strip(n: ExprNode): unknown {
  let site = 0;
  const go = (m: ExprNode): unknown => {
    switch (m.kind) {
      case 'num': return { k: 'num', v: m.value };
      case 'x': return { k: 'x' };
      case 'param': case 'const': return { k: m.kind, n: m.name };
      case 'noise': return { k: 'noise', d: m.dist, s: site++ };
      case 'unary': return { k: 'unary', a: go(m.arg) };
      case 'binary': case 'compare': case 'logical': { const l = go(m.left); return { k: m.kind, op: m.op, l, r: go(m.right) }; }
      case 'cond': { const t = go(m.test); const a = go(m.then); return { k: 'cond', t, a, b: go(m.else) }; }
      case 'call': return { k: 'call', f: m.fn, a: m.args.map(go) };
    }
  };
  return go(n);
}

/** Noise sites renumbered 0, 1, … in source order, as the parser numbers them. */
export function renumber(n: ExprNode): ExprNode {
  let site = 0;
  const go = (m: ExprNode): ExprNode => {
    switch (m.kind) {
      case 'noise': return { ...m, site: site++ };
      case 'unary': return { ...m, arg: go(m.arg) };
      case 'binary': case 'compare': case 'logical': { const left = go(m.left); return { ...m, left, right: go(m.right) }; }
      case 'cond': { const test = go(m.test); const then = go(m.then); return { ...m, test, then, else: go(m.else) }; }
      case 'call': return { ...m, args: m.args.map(go) };
      default: return m;
    }
  };
  return go(n);
}
