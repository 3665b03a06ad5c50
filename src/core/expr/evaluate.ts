/**
 * Scalar evaluation with forward-mode derivative (dual numbers: value and d/dx), for plots of f
 * and f′ and as the reference the tfjs compiler is tested against. The derivative follows the
 * conventions of tfjs autodiff (max/min ties go to the first argument, relu′(0) = 0,
 * comparisons and noise carry none), so the plotted f′ is the one training uses.
 */
import { erf, normalCdf, normalPdf } from '../formulas';
import { gaussian, type Rng } from '../random';
import { CONSTANTS, NOISE, type ExprNode, type FnName } from './ast';

export interface Dual {
  readonly v: number;
  readonly d: number;
}

export interface EvalOptions {
  /** Current value of every parameter the tree reads (a missing one reads as NaN). */
  readonly params?: Readonly<Record<string, number>>;
  /** Noise source: draws for randn()/rand(). Absent: each noise call is its mean (0, 0.5). */
  readonly rng?: Rng;
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const c = (v: number): Dual => ({ v, d: 0 });
const nanDual: Dual = { v: NaN, d: NaN };

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** a·d with the convention 0·(anything) = 0 when d is exactly 0 (a constant's derivative). */
const chain = (outer: number, d: number): number => (d === 0 ? 0 : outer * d);

function pow(a: Dual, b: Dual): Dual {
  const v = Math.pow(a.v, b.v);
  let d = chain(b.v * Math.pow(a.v, b.v - 1), a.d);
  // d/db aᵇ = aᵇ·ln a, defined for a > 0 (tfjs's Pow gradient uses 0 elsewhere).
  if (b.d !== 0) d += a.v > 0 ? v * Math.log(a.v) * b.d : 0;
  return { v, d };
}

/** Truth of a value: non-zero is true; NaN stays NaN (neither branch). */
const truth = (v: number): number => (Number.isNaN(v) ? NaN : v !== 0 ? 1 : 0);

// Ties go to the first argument, as tfjs's Maximum/Minimum gradients do.
const max2 = (a: Dual, b: Dual): Dual => (Number.isNaN(a.v) || Number.isNaN(b.v) ? nanDual : a.v >= b.v ? a : b);
const min2 = (a: Dual, b: Dual): Dual => (Number.isNaN(a.v) || Number.isNaN(b.v) ? nanDual : a.v <= b.v ? a : b);

/** A one-argument rule: value and derivative of f(u) given u as a dual number. */
const unary = (f: (x: number, a: Dual) => Dual) => (args: readonly Dual[]): Dual => f(args[0]!.v, args[0]!);

/**
 * One rule per function, keyed by the whitelist's names (ast.ts's FnName): a function without a
 * scalar rule is a compile error, and the names are written out only in ast.ts.
 */
const SCALAR: Readonly<Record<FnName, (args: readonly Dual[]) => Dual>> = {
  abs: unary((x, a) => ({ v: Math.abs(x), d: chain(Math.sign(x), a.d) })),
  exp: unary((x, a) => { const e = Math.exp(x); return { v: e, d: chain(e, a.d) }; }),
  expm1: unary((x, a) => ({ v: Math.expm1(x), d: chain(Math.exp(x), a.d) })),
  log: unary((x, a) => ({ v: Math.log(x), d: chain(1 / x, a.d) })),
  log1p: unary((x, a) => ({ v: Math.log1p(x), d: chain(1 / (1 + x), a.d) })),
  sqrt: unary((x, a) => { const s = Math.sqrt(x); return { v: s, d: chain(0.5 / s, a.d) }; }),
  square: unary((x, a) => ({ v: x * x, d: chain(2 * x, a.d) })),
  tanh: unary((x, a) => { const t = Math.tanh(x); return { v: t, d: chain(1 - t * t, a.d) }; }),
  sigmoid: unary((x, a) => { const s = sigmoid(x); return { v: s, d: chain(s * (1 - s), a.d) }; }),
  softplus: unary((x, a) => ({ v: softplus(x), d: chain(sigmoid(x), a.d) })),
  erf: unary((x, a) => ({ v: erf(x), d: chain(TWO_OVER_SQRT_PI * Math.exp(-x * x), a.d) })),
  Phi: unary((x, a) => ({ v: normalCdf(x), d: chain(normalPdf(x), a.d) })),
  phi: unary((x, a) => { const p = normalPdf(x); return { v: p, d: chain(-x * p, a.d) }; }),
  relu: unary((x, a) => ({ v: Math.max(0, x), d: x > 0 ? a.d : 0 })),
  sign: unary((x) => ({ v: Math.sign(x), d: 0 })),
  sin: unary((x, a) => ({ v: Math.sin(x), d: chain(Math.cos(x), a.d) })),
  cos: unary((x, a) => ({ v: Math.cos(x), d: chain(-Math.sin(x), a.d) })),
  max: (args) => args.reduce(max2),
  min: (args) => args.reduce(min2),
  clip: (args) => min2(max2(args[0]!, args[1]!), args[2]!),
};

function compare(op: string, a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  switch (op) {
    case '<': return a < b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    case '>': return a > b ? 1 : 0;
    default: return a >= b ? 1 : 0;
  }
}

/** f(x) and f′(x) of a checked tree. */
export function evaluate(tree: ExprNode, x: number, options: EvalOptions = {}): Dual {
  const params = options.params ?? {};
  const rng = options.rng;
  const ev = (n: ExprNode): Dual => {
    switch (n.kind) {
      case 'num': return c(n.value);
      case 'x': return { v: x, d: 1 };
      case 'param': return c(Object.prototype.hasOwnProperty.call(params, n.name) ? params[n.name]! : NaN);
      case 'const': return c(CONSTANTS[n.name]);
      case 'noise':
        if (!rng) return c(NOISE[n.dist].mean);
        return c(n.dist === 'randn' ? gaussian(rng) : rng());
      case 'unary': { const a = ev(n.arg); return { v: -a.v, d: -a.d }; }
      case 'binary': {
        const a = ev(n.left);
        const b = ev(n.right);
        switch (n.op) {
          case '+': return { v: a.v + b.v, d: a.d + b.d };
          case '-': return { v: a.v - b.v, d: a.d - b.d };
          case '*': return { v: a.v * b.v, d: chain(b.v, a.d) + chain(a.v, b.d) };
          case '/': return { v: a.v / b.v, d: chain(1 / b.v, a.d) - chain(a.v / (b.v * b.v), b.d) };
          case '^': return pow(a, b);
        }
        break;
      }
      case 'compare': return c(compare(n.op, ev(n.left).v, ev(n.right).v));
      case 'logical': {
        const a = truth(ev(n.left).v);
        const b = truth(ev(n.right).v);
        if (Number.isNaN(a) || Number.isNaN(b)) return c(NaN);
        return c(n.op === '&&' ? a * b : Math.max(a, b));
      }
      case 'cond': {
        // Both branches are evaluated (as the tensor form does), so noise draws stay aligned.
        const t = truth(ev(n.test).v);
        const a = ev(n.then);
        const b = ev(n.else);
        return Number.isNaN(t) ? nanDual : t ? a : b;
      }
      case 'call': {
        return SCALAR[n.fn](n.args.map(ev));
      }
    }
    throw new Error('unreachable');
  };
  return ev(tree);
}
