/**
 * The checked syntax tree of an activation expression. The evaluator, the printer and the tfjs
 * compiler consume only this, never the parser library's nodes, so the grammar is whatever
 * this union allows and nothing else.
 */

/** A half-open range [start, end) of UTF-16 offsets into the expression text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export type ArithOp = '+' | '-' | '*' | '/' | '^';
export type CompareOp = '<' | '<=' | '>' | '>=';
export type LogicalOp = '&&' | '||';
export type ConstName = 'pi' | 'e';
export type NoiseName = 'randn' | 'rand';
export type FnName =
  | 'abs' | 'exp' | 'expm1' | 'log' | 'log1p' | 'sqrt' | 'square' | 'tanh' | 'sigmoid' | 'softplus'
  | 'erf' | 'Phi' | 'phi' | 'relu' | 'sign' | 'sin' | 'cos' | 'min' | 'max' | 'clip';

export type ExprNode =
  | (Span & { readonly kind: 'num'; readonly value: number })
  | (Span & { readonly kind: 'x' })
  | (Span & { readonly kind: 'param'; readonly name: string })
  | (Span & { readonly kind: 'const'; readonly name: ConstName })
  | (Span & { readonly kind: 'unary'; readonly op: '-'; readonly arg: ExprNode })
  | (Span & { readonly kind: 'binary'; readonly op: ArithOp; readonly left: ExprNode; readonly right: ExprNode })
  | (Span & { readonly kind: 'compare'; readonly op: CompareOp; readonly left: ExprNode; readonly right: ExprNode })
  | (Span & { readonly kind: 'logical'; readonly op: LogicalOp; readonly left: ExprNode; readonly right: ExprNode })
  | (Span & { readonly kind: 'cond'; readonly test: ExprNode; readonly then: ExprNode; readonly else: ExprNode })
  | (Span & { readonly kind: 'call'; readonly fn: FnName; readonly args: readonly ExprNode[] })
  /** site: 0, 1, … in source order; each call site draws its own noise. */
  | (Span & { readonly kind: 'noise'; readonly dist: NoiseName; readonly site: number });

export type ExprKind = ExprNode['kind'];

export const CONSTANTS: Readonly<Record<ConstName, number>> = { pi: Math.PI, e: Math.E };

export interface FnInfo {
  /** Fixed argument count, or [min, max] (max Infinity: variadic). */
  readonly arity: number | readonly [number, number];
  readonly signature: string;
  readonly doc: string;
}

/** The function whitelist: a name not in this table is an error, never a lookup. */
export const FUNCTIONS: Readonly<Record<FnName, FnInfo>> = {
  abs: { arity: 1, signature: 'abs(u)', doc: '|u|' },
  exp: { arity: 1, signature: 'exp(u)', doc: 'eᵘ' },
  expm1: { arity: 1, signature: 'expm1(u)', doc: 'eᵘ − 1, accurate near 0 (ELU: x > 0 ? x : expm1(x))' },
  log: { arity: 1, signature: 'log(u)', doc: 'natural logarithm' },
  log1p: { arity: 1, signature: 'log1p(u)', doc: 'log(1 + u), accurate near 0' },
  sqrt: { arity: 1, signature: 'sqrt(u)', doc: '√u' },
  square: { arity: 1, signature: 'square(u)', doc: 'u²' },
  tanh: { arity: 1, signature: 'tanh(u)', doc: 'hyperbolic tangent' },
  sigmoid: { arity: 1, signature: 'sigmoid(u)', doc: '1 / (1 + e⁻ᵘ)' },
  softplus: { arity: 1, signature: 'softplus(u)', doc: 'log(1 + eᵘ)' },
  erf: { arity: 1, signature: 'erf(u)', doc: 'error function' },
  Phi: { arity: 1, signature: 'Phi(u)', doc: 'standard normal distribution function Φ(u)' },
  phi: { arity: 1, signature: 'phi(u)', doc: 'standard normal density φ(u)' },
  relu: { arity: 1, signature: 'relu(u)', doc: 'max(u, 0)' },
  sign: { arity: 1, signature: 'sign(u)', doc: '−1, 0 or 1 (derivative 0)' },
  sin: { arity: 1, signature: 'sin(u)', doc: 'sine' },
  cos: { arity: 1, signature: 'cos(u)', doc: 'cosine' },
  min: { arity: [2, Infinity], signature: 'min(a, b, …)', doc: 'smallest argument' },
  max: { arity: [2, Infinity], signature: 'max(a, b, …)', doc: 'largest argument' },
  clip: { arity: 3, signature: 'clip(u, lo, hi)', doc: 'min(max(u, lo), hi); lo and hi must not depend on x' },
};

export const NOISE: Readonly<Record<NoiseName, { readonly mean: number; readonly doc: string }>> = {
  randn: { mean: 0, doc: 'standard normal draw, fresh per element per training step' },
  rand: { mean: 0.5, doc: 'uniform draw in [0, 1), fresh per element per training step' },
};

export const isFnName = (s: string): s is FnName => Object.prototype.hasOwnProperty.call(FUNCTIONS, s);
export const isConstName = (s: string): s is ConstName => s === 'pi' || s === 'e';
export const isNoiseName = (s: string): s is NoiseName => s === 'randn' || s === 'rand';

/** Names a parameter may not take: the variable, constants, functions and noise. */
export function isReservedName(s: string): boolean {
  return s === 'x' || isConstName(s) || isFnName(s) || isNoiseName(s);
}

/** Children in source order. */
export function children(n: ExprNode): readonly ExprNode[] {
  switch (n.kind) {
    case 'num': case 'x': case 'param': case 'const': case 'noise': return [];
    case 'unary': return [n.arg];
    case 'binary': case 'compare': case 'logical': return [n.left, n.right];
    case 'cond': return [n.test, n.then, n.else];
    case 'call': return n.args;
  }
}

/** Whether any node satisfies `pred` (iterative: trees from hostile input may be deep). */
export function some(root: ExprNode, pred: (n: ExprNode) => boolean): boolean {
  const stack: ExprNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (pred(n)) return true;
    stack.push(...children(n));
  }
  return false;
}

export const usesX = (t: ExprNode): boolean => some(t, (n) => n.kind === 'x');
export const hasNoise = (t: ExprNode): boolean => some(t, (n) => n.kind === 'noise');

/** Parameter names the tree reads, in first-use order. */
export function paramNames(root: ExprNode): string[] {
  const out: string[] = [];
  const visit = (n: ExprNode): void => {
    if (n.kind === 'param' && !out.includes(n.name)) out.push(n.name);
    children(n).forEach(visit);
  };
  visit(root);
  return out;
}

/** Number of noise call sites (their `site`s are 0..count−1). */
export function noiseSites(root: ExprNode): number {
  let k = 0;
  some(root, (n) => { if (n.kind === 'noise') k++; return false; });
  return k;
}
