import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activationPoint, erf, normalCdf, normalPdf, smoothRelu } from '../../../../src/core/formulas';
import { mulberry32 } from '../../../../src/core/random';
import { evaluate, exprStats, FUNCTIONS, parseExpr, type ExprNode, type FnName } from '../../../../src/core/expr/index';

function tree(text: string, params: string[] = []): ExprNode {
  const r = parseExpr(text, { params });
  assert.ok(r.ok, text);
  return r.tree;
}

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol * (1 + Math.abs(b)), `${what}: ${a} vs ${b}`);

const XS = [-3.1, -1.7, -0.9, -0.45, -0.2, 0.2, 0.35, 0.8, 1.6, 3.2];

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
/** Every unary function against an independent reference (core/formulas where it has one). */
const REF: Record<Exclude<FnName, 'min' | 'max' | 'clip'>, (x: number) => number> = {
  abs: Math.abs, exp: Math.exp, expm1: Math.expm1, log: Math.log, log1p: Math.log1p, sqrt: Math.sqrt,
  square: (x) => x * x, tanh: Math.tanh, sigmoid, softplus: (x) => Math.log(1 + Math.exp(x)),
  erf, Phi: normalCdf, phi: normalPdf, relu: (x) => Math.max(0, x), sign: Math.sign, sin: Math.sin, cos: Math.cos,
};

test('every function matches its reference, and its dual derivative matches finite differences', () => {
  for (const fn of Object.keys(FUNCTIONS) as FnName[]) {
    if (fn === 'min' || fn === 'max' || fn === 'clip') continue;
    const t = tree(`${fn}(x)`);
    for (const x0 of XS) {
      const x = fn === 'log' || fn === 'sqrt' ? Math.abs(x0) : fn === 'log1p' ? Math.abs(x0) - 0.1 : x0;
      const { v, d } = evaluate(t, x);
      close(v, REF[fn](x), 1e-12, `${fn}(${x})`);
      const h = 1e-6;
      const fd = (REF[fn](x + h) - REF[fn](x - h)) / (2 * h);
      close(d, fd, 1e-6, `${fn}'(${x})`);
    }
  }
});

test('min, max, clip and their derivatives (ties to the first argument, as tfjs)', () => {
  const t = tree('max(x, 0.01 * x)');
  for (const x of XS) {
    const p = activationPoint({ type: 'leakyRelu', alpha: 0.01, rescale: false }, x);
    close(evaluate(t, x).v, p.f, 1e-15, 'leaky');
    close(evaluate(t, x).d, p.df, 1e-15, "leaky'");
  }
  assert.deepEqual(evaluate(tree('min(x, 1, -x)'), 2), { v: -2, d: -1 });
  assert.deepEqual(evaluate(tree('clip(x, -1, 1)'), 0.5), { v: 0.5, d: 1 });
  assert.deepEqual(evaluate(tree('clip(x, -1, 1)'), 3), { v: 1, d: 0 });
  assert.deepEqual(evaluate(tree('clip(x, -1, 1)'), 1), { v: 1, d: 1 });
  assert.deepEqual(evaluate(tree('max(x, 0)'), 0), { v: 0, d: 1 });
});

test('built-ins written as expressions equal core/formulas', () => {
  const pairs: Array<[string, Parameters<typeof activationPoint>[0]]> = [
    ['x * sigmoid(x)', { type: 'silu' }],
    ['x * Phi(x)', { type: 'gelu' }],
    ['relu(x)', { type: 'relu' }],
    ['x > 0 ? x : expm1(x)', { type: 'elu', alpha: 1 }],
    ['tanh(x)', { type: 'tanh' }],
    ['softplus(x)', { type: 'softplus' }],
    ['abs(x)', { type: 'abs', rescale: false }],
  ];
  for (const [text, spec] of pairs) {
    const t = tree(text);
    for (const x of XS) {
      const p = activationPoint(spec, x);
      close(evaluate(t, x).v, p.f, 1e-12, `${text} at ${x}`);
      close(evaluate(t, x).d, p.df, 1e-12, `${text}' at ${x}`);
    }
  }
  const sr = tree('x * Phi(x / s) + s * phi(x / s)', ['s']);
  for (const x of XS) close(evaluate(sr, x, { params: { s: 0.4 } }).v, smoothRelu(x, 0.4), 1e-12, 'smoothRelu');
});

test('dual derivative of composite expressions matches central differences', () => {
  const exprs = [
    'x * sigmoid(beta * x)', 'x^3 - 2 * x^2 + x / 3', 'exp(-x^2 / 2) * sin(3 * x)', 'log1p(exp(x)) / (1 + x^2)',
    'sqrt(1 + x^2) - 1', '(x + 4)^(x / 4 + 2)', 'tanh(x) * cos(x) - sigmoid(x)^2', 'x / (1 + abs(x))',
    'x > 0 ? x^2 : beta * expm1(x)', 'max(x, tanh(x) * 2)', 'e^x - pi * x',
  ];
  for (const text of exprs) {
    const t = tree(text, ['beta']);
    const params = { beta: 1.3 };
    for (const x of XS) {
      const h = 1e-6;
      const fd = (evaluate(t, x + h, { params }).v - evaluate(t, x - h, { params }).v) / (2 * h);
      close(evaluate(t, x, { params }).d, fd, 1e-5, `${text} at ${x}`);
    }
  }
});

test('comparisons are 1 or 0, logicals combine them, conditionals pick a branch', () => {
  const v = (text: string, x: number) => evaluate(tree(text), x).v;
  assert.equal(v('x > 0', 1), 1);
  assert.equal(v('x > 0', 0), 0);
  assert.equal(v('x >= 0', 0), 1);
  assert.equal(v('x < 0', 0), 0);
  assert.equal(v('x <= 0', 0), 1);
  assert.equal(v('x > 0 && x < 2', 1), 1);
  assert.equal(v('x > 0 && x < 2', 3), 0);
  assert.equal(v('x < 0 || x > 2', 3), 1);
  assert.equal(v('x ? 5 : 6', 0), 6);
  assert.equal(v('x ? 5 : 6', -2), 5);
  assert.equal(evaluate(tree('x > 0 ? 2 * x : 3 * x'), 1).d, 2);
  assert.equal(evaluate(tree('x > 0 ? 2 * x : 3 * x'), -1).d, 3);
  assert.equal(evaluate(tree('(x > 0) * x'), 1).d, 1);
  assert.ok(Number.isNaN(v('sqrt(x) > 0 ? 1 : 0', -1)));
});

test('noise: its mean without a generator, draws with one', () => {
  assert.deepEqual(evaluate(tree('x + randn()'), 1), { v: 1, d: 1 });
  assert.deepEqual(evaluate(tree('x + rand()'), 1), { v: 1.5, d: 1 });
  const t = tree('rand()');
  const rng = mulberry32(3);
  const draws = Array.from({ length: 1000 }, () => evaluate(t, 0, { rng }).v);
  assert.ok(draws.every((d) => d >= 0 && d < 1));
});

test('Monte-Carlo statistics: N-ReLU written as an expression has its mean and spread', () => {
  const t = tree('x > 0 ? x : sigma * randn()', ['sigma']);
  const pts = exprStats(t, [-1, 0.5], { params: { sigma: 0.4 }, samples: 4000, seed: 7 });
  const [neg, pos] = pts;
  // mean 0 within 4 standard errors (σ/√n), sd σ within 5 %
  assert.ok(Math.abs(neg!.mean) < 4 * 0.4 / Math.sqrt(4000));
  close(neg!.sd, 0.4, 0.05, 'sd');
  close(neg!.hi, 1.6449 * 0.4, 0.08, 'q95');
  assert.equal(neg!.f, 0);
  assert.equal(neg!.df, 0);
  assert.deepEqual(pos, { x: 0.5, f: 0.5, mean: 0.5, sd: 0, lo: 0.5, hi: 0.5, df: 1 });
  // seeded: the same seed, the same curve
  assert.deepEqual(exprStats(t, [-1], { params: { sigma: 0.4 }, seed: 7, samples: 100 }), exprStats(t, [-1], { params: { sigma: 0.4 }, seed: 7, samples: 100 }));
  const st = exprStats(tree('x + rand()'), [0], { inference: 'stochastic', samples: 4000, seed: 1 })[0]!;
  close(st.f, 0.5, 0.02, 'stochastic inference is E[f]');
  close(st.sd, Math.sqrt(1 / 12), 0.05, 'uniform sd');
});

test('a missing parameter value reads as NaN', () => {
  assert.ok(Number.isNaN(evaluate(tree('beta * x', ['beta']), 1).v));
});
