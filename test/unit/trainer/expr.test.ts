import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import type { ActivationSpec } from '../../../src/core/config';
import { evaluate, FUNCTIONS, parseExpr, type ExprNode } from '../../../src/core/expr/index';
import { createActivationFactory } from '../../../src/trainer/activations/index';
import { normalNoise } from '../../../src/trainer/activations/noise';
import { initBackend } from '../../../src/trainer/backend';
import { compileExpr, type ExprContext } from '../../../src/trainer/expr/index';
import { renumber, treeArb } from '../core/expr/arbitraries';

const BACKENDS = ['cpu', 'wasm'] as const;
async function use(backend: (typeof BACKENDS)[number]): Promise<void> {
  await initBackend(backend);
  assert.equal(tf.getBackend(), backend);
}

function tree(text: string, params: string[] = []): ExprNode {
  const r = parseExpr(text, { params });
  assert.ok(r.ok, `${text}: ${r.ok ? '' : JSON.stringify(r.errors)}`);
  return r.tree;
}

const TRAIN: ExprContext = { training: true, seed: 11 };
const INFER: ExprContext = { training: false, seed: 11 };

/** Values of a [64, 33] pre-activation: smooth spread over ±4 away from exact ties. */
function input(): tf.Tensor {
  return tf.tidy(() => tf.reshape(tf.mul(4, tf.sin(tf.mul(0.731, tf.add(tf.range(0, 64 * 33), 0.5)))), [64, 33]));
}

/** f(x) and ∂Σ(w·f)/∂x for a forward function, w a fixed weighting. */
function forwardAndGrad(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): [Float32Array, Float32Array] {
  return tf.tidy(() => {
    const w = tf.add(1, tf.mul(0.5, tf.cos(tf.reshape(tf.range(0, x.size), x.shape))));
    const y = f(x);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), w)))(x);
    return [y.dataSync() as Float32Array, g.dataSync() as Float32Array];
  });
}

function assertRelClose(a: Float32Array, b: Float32Array, tol: number, what: string): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    assert.ok(d <= tol * Math.max(1, Math.abs(b[i]!)), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

for (const backend of BACKENDS) {
  test(`${backend}: silu, leakyRelu 0.01 and gelu written as expressions equal the built-ins (outputs and gradients, 1e-4 relative)`, async () => {
    await use(backend);
    const pairs: Array<[string, ActivationSpec]> = [
      ['x * sigmoid(x)', { type: 'silu' }],
      ['max(x, 0.01 * x)', { type: 'leakyRelu', alpha: 0.01, rescale: false }],
      ['x * Phi(x)', { type: 'gelu' }],
    ];
    const x = input();
    for (const [text, spec] of pairs) {
      const builtin = createActivationFactory(spec)(33, `eq_${spec.type}`);
      const expr = compileExpr(tree(text));
      const before = tf.memory().numTensors;
      const [ye, ge] = forwardAndGrad((v) => expr.apply(v, TRAIN), x);
      assert.equal(tf.memory().numTensors, before, `${text}: no tensor leaks`);
      const [yb, gb] = forwardAndGrad((v) => builtin.apply(v, { training: true, sigma: 0, seed: 1 }), x);
      assertRelClose(ye, yb, 1e-4, `${backend} ${text} f`);
      assertRelClose(ge, gb, 1e-4, `${backend} ${text} grad`);
      const de = expr.derivative(x);
      const db = builtin.derivative(x);
      assertRelClose(de.dataSync() as Float32Array, db.dataSync() as Float32Array, 1e-4, `${backend} ${text} derivative()`);
      tf.dispose([de, db]);
    }
    x.dispose();
  });

  test(`${backend}: every function runs and agrees with the scalar evaluator (values and autodiff derivative)`, async () => {
    await use(backend);
    const xs = [-2.3, -1.1, -0.4, 0.3, 0.9, 1.7, 2.6];
    for (const fn of Object.keys(FUNCTIONS)) {
      const text = fn === 'min' || fn === 'max' ? `${fn}(x, 0.5 * x, 0.2)` : fn === 'clip' ? 'clip(x, -1, 1.5)' : fn === 'log' || fn === 'sqrt' || fn === 'log1p' ? `${fn}(abs(x))` : `${fn}(x)`;
      const t = tree(text);
      const c = compileExpr(t);
      const x = tf.tensor1d(xs);
      const y = c.apply(x, INFER).dataSync();
      const d = c.derivative(x).dataSync();
      xs.forEach((xi, i) => {
        const want = evaluate(t, xi);
        assert.ok(Math.abs(y[i]! - want.v) <= 2e-5 * (1 + Math.abs(want.v)), `${backend} ${text}(${xi}) = ${y[i]} vs ${want.v}`);
        assert.ok(Math.abs(d[i]! - want.d) <= 2e-5 * (1 + Math.abs(want.d)), `${backend} ${text}'(${xi}) = ${d[i]} vs ${want.d}`);
      });
      x.dispose();
    }
  });

  test(`${backend}: N-ReLU as an expression matches nrelu in distribution; seeded like it`, async () => {
    await use(backend);
    const sigma = 0.4;
    const n = 40_000;
    const x = tf.tidy(() => tf.sub(tf.mul(tf.range(0, n), 2 / n), 1)); // half ≤ 0, half > 0
    const expr = compileExpr(tree('x > 0 ? x : sigma * randn()', ['sigma']), { inference: 'deterministic' });
    const builtin = createActivationFactory({ type: 'nrelu', sigma: { kind: 'constant', start: sigma, end: sigma, per: 'epoch', every: 1, factor: 1 }, inference: 'deterministic' })(1, 'nr');
    const moments = (t: tf.Tensor): [number, number, number] => {
      const v = t.dataSync();
      const xv = x.dataSync();
      let s = 0, ss = 0, k = 0;
      for (let i = 0; i < v.length; i++) if (xv[i]! <= 0) { s += v[i]!; ss += v[i]! * v[i]!; k++; }
      const m = s / k;
      return [m, ss / k - m * m, k];
    };
    const ye = expr.apply(x, { training: true, seed: 5, paramValues: { sigma } });
    const yb = builtin.apply(x, { training: true, sigma, seed: 6 });
    const [me, ve, k] = moments(ye);
    const [mb, vb] = moments(yb);
    const se = Math.sqrt(sigma ** 2 / k);
    assert.ok(Math.abs(me - mb) < 4 * Math.SQRT2 * se, `means ${me} vs ${mb}`);
    // Var of a sample variance of normals: 2σ⁴/(k−1)
    assert.ok(Math.abs(ve - vb) < 4 * Math.sqrt(2 * 2 * sigma ** 4 / (k - 1)), `variances ${ve} vs ${vb}`);
    assert.ok(Math.abs(ve - sigma ** 2) < 4 * Math.sqrt(2 * sigma ** 4 / (k - 1)));
    // Positive side is x exactly; the noise is the job's seeded generator (the same draws as nrelu at that seed).
    const noise = normalNoise(x.shape, sigma, 5).dataSync();
    const ev = ye.dataSync();
    const xv = x.dataSync();
    for (let i = 0; i < n; i += 97) {
      if (xv[i]! > 0) assert.equal(ev[i], xv[i]);
      else assert.ok(Math.abs(ev[i]! - noise[i]!) < 1e-6, `noise ${i}: ${ev[i]} vs ${noise[i]}`);
    }
    // the gradient flows only into the chosen branch: 1 for x > 0, 0 elsewhere (noise carries none)
    const g = tf.grad((v: tf.Tensor) => tf.sum(expr.apply(v, { training: true, seed: 5, paramValues: { sigma } })))(x).dataSync();
    for (let i = 0; i < n; i += 101) assert.equal(g[i], xv[i]! > 0 ? 1 : 0);
    // deterministic inference: the noise call is its mean (relu); stochastic inference draws
    const yi = expr.apply(x, { training: false, seed: 5, paramValues: { sigma } }).dataSync();
    for (let i = 0; i < n; i += 97) assert.equal(yi[i], Math.max(0, xv[i]!));
    const st = compileExpr(tree('x > 0 ? x : sigma * randn()', ['sigma']), { inference: 'stochastic' });
    const ys = st.apply(x, { training: false, seed: 5, paramValues: { sigma } }).dataSync();
    assert.ok(Math.abs(ys[0]! - noise[0]!) < 1e-6);
    assert.ok(expr.stochastic && st.stochastic && !compileExpr(tree('x')).stochastic);
    // a new seed, new draws; rand() is uniform in [0, 1)
    const y2 = expr.apply(x, { training: true, seed: 6, paramValues: { sigma } }).dataSync();
    assert.notEqual(y2[0], ev[0]);
    const u = compileExpr(tree('rand() + 0 * x')).apply(x, TRAIN).dataSync();
    let um = 0;
    for (const v of u) { assert.ok(v >= 0 && v < 1); um += v / u.length; }
    assert.ok(Math.abs(um - 0.5) < 4 * Math.sqrt(1 / 12 / u.length));
    // two call sites draw independently
    const two = compileExpr(tree('randn() - randn() + 0 * x')).apply(x, TRAIN).dataSync();
    assert.ok(two.some((v) => v !== 0));
    tf.dispose([x, ye, yb]);
  });

  test(`${backend}: learnable parameters (per layer and per unit) get their autodiff gradients`, async () => {
    await use(backend);
    const x = tf.tensor2d([[-2, -0.5, 1], [3, -1, -4]]);
    // d/da Σ max(x, a·x) = Σ over elements where a·x wins (x < 0, a < 1) of x
    const layer = compileExpr(tree('max(x, a * x)', ['a']), { params: { a: { learnable: true, init: 0.25, per: 'layer' } }, layerName: 'l1' });
    assert.deepEqual(layer.variables.map((v) => v.shape), [[]]);
    const { grads, value } = tf.variableGrads(() => tf.sum(layer.apply(x, TRAIN)) as tf.Scalar, layer.variables);
    assert.ok(Math.abs(grads[layer.variables[0]!.name]!.dataSync()[0]! - (-2 - 0.5 - 1 - 4)) < 1e-6);
    assert.ok(Math.abs(value.dataSync()[0]! - (1 + 3 + 0.25 * (-7.5))) < 1e-6);
    // per unit: one value per column, gradient per column
    const unit = compileExpr(tree('x > 0 ? x : s * x', ['s']), { params: { s: { learnable: true, init: 0.1, per: 'unit' } }, units: 3, layerName: 'l2' });
    const v = unit.variableOf.s!;
    assert.deepEqual(v.shape, [3]);
    const g = tf.variableGrads(() => tf.sum(unit.apply(x, TRAIN)) as tf.Scalar, [v]).grads[v.name]!.dataSync();
    assert.deepEqual(Array.from(g), [-2, -1.5, -4]);
    // max/min against a per-unit parameter: its gradient is summed back to [units]
    const floor = compileExpr(tree('max(x, c) - min(x, c)', ['c']), { params: { c: { learnable: true, init: -0.75, per: 'unit' } }, units: 3 });
    const gc = tf.variableGrads(() => tf.sum(floor.apply(x, TRAIN)) as tf.Scalar, floor.variables).grads[floor.variables[0]!.name]!;
    assert.deepEqual(gc.shape, [3]);
    // column values [-2, 3], [-0.5, -1], [1, -4]: c = −0.75 wins max where x < c, min where x > c
    assert.deepEqual(Array.from(gc.dataSync()), [1 - 1, 0, 0]);
    // the gradient matches finite differences of the loss in the parameter
    const loss = (a: number) => tf.tidy(() => {
      const c = compileExpr(tree('x * sigmoid(a * x)', ['a']), { params: { a: { learnable: true, init: a, per: 'layer' } } });
      const out = tf.sum(c.apply(x, TRAIN)).dataSync()[0]!;
      const gg = tf.variableGrads(() => tf.sum(c.apply(x, TRAIN)) as tf.Scalar, c.variables).grads[c.variables[0]!.name]!.dataSync()[0]!;
      c.variables.forEach((w) => w.dispose());
      return [out, gg] as const;
    });
    const [, ga] = loss(1.2);
    const fd = (loss(1.2 + 1e-2)[0] - loss(1.2 - 1e-2)[0]) / 2e-2;
    assert.ok(ga !== 0 && Math.abs(ga - fd) < 1e-3 * (1 + Math.abs(fd)), `${ga} vs ${fd}`);
    // a learnable noise scale learns through its draws
    const ls = compileExpr(tree('x > 0 ? x : s * randn()', ['s']), { params: { s: { learnable: true, init: 0.1, per: 'unit' } }, units: 3 });
    const gs = tf.variableGrads(() => tf.sum(tf.square(ls.apply(x, TRAIN))) as tf.Scalar, ls.variables).grads[ls.variables[0]!.name]!.dataSync();
    assert.ok(Array.from(gs).every((q) => q > 0));
    [layer, unit, ls, floor].forEach((c) => c.variables.forEach((w) => w.dispose()));
    x.dispose();
  });

  test(`${backend}: parameter values per call, constants folded, outputs shaped like x`, async () => {
    await use(backend);
    const x = tf.tensor2d([[1, -1], [2, 0.5]]);
    const c = compileExpr(tree('x * sigmoid(beta * x)', ['beta']));
    const y1 = c.apply(x, { ...TRAIN, paramValues: { beta: 1 } }).dataSync();
    const y2 = c.apply(x, { ...TRAIN, paramValues: { beta: 2 } }).dataSync();
    assert.ok(Math.abs(y1[0]! - 1 / (1 + Math.exp(-1))) < 1e-6 && Math.abs(y2[0]! - 1 / (1 + Math.exp(-2))) < 1e-6);
    // derivative() reads the last call's values
    assert.ok(Math.abs(c.derivative(x).dataSync()[0]! - evaluate(tree('x * sigmoid(beta * x)', ['beta']), 1, { params: { beta: 2 } }).d) < 1e-5);
    assert.throws(() => c.apply(x, TRAIN), /no value for parameter "beta"/);
    const k = compileExpr(tree('2 * pi'));
    const yk = k.apply(x, TRAIN);
    assert.deepEqual(yk.shape, [2, 2]);
    assert.ok(Math.abs(yk.dataSync()[3]! - 2 * Math.PI) < 1e-6);
    assert.deepEqual(Array.from(k.derivative(x).dataSync()), [0, 0, 0, 0]);
    const id = compileExpr(tree('x'));
    const yi = id.apply(x, TRAIN);
    assert.notEqual(yi, x);
    x.dispose();
    assert.deepEqual(Array.from(yi.dataSync()), [1, -1, 2, 0.5]);
    // folded infinite operands of max/min keep their meaning
    assert.deepEqual(Array.from(compileExpr(tree('max(x, log(0)) + min(x, -log(0)) + max(x, 1 / 0) - 1 / 0')).apply(tf.tensor1d([1, -1]), TRAIN).dataSync()), [NaN, NaN]);
    assert.deepEqual(Array.from(compileExpr(tree('max(x, log(0)) + min(x, -log(0))')).apply(tf.tensor1d([1, -1]), TRAIN).dataSync()), [2, -2]);
    assert.deepEqual(Array.from(compileExpr(tree('min(x, log(0)) - max(3, x, -log(0))')).apply(tf.tensor1d([1, -1]), TRAIN).dataSync()), [-Infinity, -Infinity]);
    // the branch not chosen cannot poison the value: log(−1), 1/0 are never mixed in
    const guarded = compileExpr(tree('x > 0 ? log(x) : (x < 0 ? 1 / x : 7)'));
    const gx = tf.tensor1d([Math.E, -2, 0]);
    assert.deepEqual(Array.from(guarded.apply(gx, TRAIN).dataSync()).map((v) => Math.round(v * 1e6) / 1e6), [1, -0.5, 7]);
    // …nor its gradient: at x = 0 neither 1/x nor log(x) is chosen, and 0 · (−1/0²) would be NaN
    // (the usual where() caveat) without the gate on each branch's inputs
    const gd = Array.from(guarded.derivative(gx).dataSync());
    assert.deepEqual(gd.map((v) => Math.round(v * 1e6) / 1e6), [Math.round(1e6 / Math.E) / 1e6, -0.25, 0]);
    assert.deepEqual(Array.from(compileExpr(tree('x >= 0 ? 0 : sqrt(-x)')).derivative(tf.tensor1d([0, 1, -4])).dataSync()), [0, 0, -0.25]);
    // a learnable parameter inside an unchosen singular branch: its gradient stays finite too
    const la = compileExpr(tree('x > 0 ? a * log(x) : x', ['a']), { params: { a: { learnable: true, init: 2, per: 'layer' } } });
    const lx = tf.tensor1d([0, Math.E, -1]);
    const ga = tf.variableGrads(() => tf.sum(la.apply(lx, TRAIN)) as tf.Scalar, la.variables).grads[la.variables[0]!.name]!.dataSync()[0]!;
    assert.ok(Math.abs(ga - 1) < 1e-6, `d/da = ${ga}`);
    la.variables.forEach((w) => w.dispose());
    // a number test picks its branch once
    assert.deepEqual(Array.from(compileExpr(tree('1 > 2 ? log(x) : x + 1')).apply(tf.tensor1d([-1]), TRAIN).dataSync()), [0]);
  });
}

test('random smooth trees: the tensor form equals the scalar evaluator (values and autodiff derivatives)', async () => {
  await use('cpu');
  const xs = [-2.1, -1.3, -0.6, 0.45, 1.1, 1.9];
  const params = { a: 0.75, b: -1.5 };
  const x = tf.tensor1d(xs);
  fc.assert(fc.property(treeArb({ smooth: true, depth: 4 }), (raw) => {
    const t = renumber(raw);
    const c = compileExpr(t);
    const y = c.apply(x, { ...INFER, paramValues: params }).dataSync();
    const d = c.derivative(x).dataSync();
    xs.forEach((xi, i) => {
      const want = evaluate(t, xi, { params });
      fc.pre(Number.isFinite(want.v) && Math.abs(want.v) < 1e4 && Math.abs(want.d) < 1e4);
      // Float32 rounding can flip a comparison at a tie; only clear-cut points are compared.
      fc.pre(!nearTie(t, xi, params));
      assert.ok(Math.abs(y[i]! - want.v) <= 1e-3 * (1 + Math.abs(want.v)), `f at ${xi}: ${y[i]} vs ${want.v}`);
      assert.ok(Math.abs(d[i]! - want.d) <= 1e-3 * (1 + Math.abs(want.d)), `f' at ${xi}: ${d[i]} vs ${want.d}`);
    });
  }), { seed: 4242, numRuns: 300 });
  x.dispose();
});

/** Whether some comparison, max/min or kink in the tree is within 1e-3 of a tie at x. */
function nearTie(t: ExprNode, x: number, params: Record<string, number>): boolean {
  const close = (a: number, b: number) => Math.abs(a - b) < 1e-3 * (1 + Math.abs(a) + Math.abs(b));
  const visit = (n: ExprNode): boolean => {
    const v = (m: ExprNode) => evaluate(m, x, { params }).v;
    switch (n.kind) {
      case 'compare': return close(v(n.left), v(n.right)) || visit(n.left) || visit(n.right);
      case 'cond': return Math.abs(v(n.test)) < 1e-3 || visit(n.test) || visit(n.then) || visit(n.else);
      case 'call': {
        if ((n.fn === 'max' || n.fn === 'min' || n.fn === 'clip') && n.args.some((a, i) => n.args.some((b, j) => i < j && close(v(a), v(b))))) return true;
        if ((n.fn === 'abs' || n.fn === 'relu') && Math.abs(v(n.args[0]!)) < 1e-3) return true;
        return n.args.some(visit);
      }
      case 'unary': return visit(n.arg);
      case 'binary': case 'logical': return visit(n.left) || visit(n.right);
      default: return false;
    }
  };
  return visit(t);
}

test('random trees of the whole grammar compile and run without a throw, a leak or a wrong shape', async () => {
  await use('cpu');
  const x = tf.tensor2d([[-3, -0.5, 0], [0.25, 2, 1e3]]);
  const before = tf.memory().numTensors;
  fc.assert(fc.property(treeArb({ noise: true, depth: 5 }), fc.boolean(), (raw, training) => {
    const t = renumber(raw);
    const c = compileExpr(t, { params: { b: { learnable: true, init: 0.3, per: 'unit' } }, units: 3 });
    const ctx = { training, seed: 3, paramValues: { a: 0.5 } };
    const y = c.apply(x, ctx);
    const d = c.derivative(x);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.add(c.apply(v, ctx), tf.mul(tf.step(v), 0))))(x);
    assert.deepEqual([y.shape, d.shape, g.shape], [[2, 3], [2, 3], [2, 3]]);
    tf.dispose([y, d, g]);
    c.variables.forEach((v) => v.dispose());
  }), { seed: 99, numRuns: 1000 });
  assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
  x.dispose();
});
