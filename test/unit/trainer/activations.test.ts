import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { ActivationSpec } from '../../../src/core/config';
import { activationPoint, smoothRelu } from '../../../src/core/formulas';
import { createActivationFactory } from '../../../src/trainer/activations/index';
import type { Activation, ActivationContext } from '../../../src/trainer/activations/index';
import { fillNormal, fillUniform } from '../../../src/trainer/random/ziggurat';
import { normalCdf } from '../../../src/core/formulas';

before(async () => {
  tf.env().set('PROD', true);
  assert.ok(await tf.setBackend('cpu'));
});

const constant = (v: number) => ({ kind: 'constant' as const, start: v, end: v, per: 'epoch' as const, every: 1, factor: 1 });
const SIGMA = 0.4;
const INFER: ActivationContext = { training: false, sigma: SIGMA, seed: 1 };
const train = (sigma: number, seed: number): ActivationContext => ({ training: true, sigma, seed });

const DETERMINISTIC: ActivationSpec[] = [
  { type: 'relu' }, { type: 'gelu' }, { type: 'selu' }, { type: 'silu' }, { type: 'tanh' },
  { type: 'sigmoid' }, { type: 'softplus' }, { type: 'linear' },
  { type: 'leakyRelu', alpha: 0.01, rescale: false }, { type: 'leakyRelu', alpha: -0.5, rescale: true },
  { type: 'leakyRelu', alpha: 2, rescale: false }, { type: 'abs', rescale: false }, { type: 'abs', rescale: true },
  { type: 'prelu', init: 0.25 }, { type: 'elu', alpha: 1 }, { type: 'elu', alpha: 0.5 },
  { type: 'smoothRelu', sigma: constant(0.4), proxy: false },
  { type: 'smoothRelu', sigma: constant(0.4), proxy: true },
];
const NOISE: ActivationSpec[] = [
  { type: 'nrelu', sigma: constant(0.4), inference: 'deterministic' },
  { type: 'noisyRelu', sigma: constant(0.4), inference: 'deterministic' },
  { type: 'rrelu', lower: 0.125, upper: 1 / 3 },
];

/** Points at least 0.2 from the kink at 0, so central differences with h = 1e-2 are clean. */
const XS = [-3.1, -1.7, -0.9, -0.45, -0.2, 0.2, 0.35, 0.8, 1.6, 3.2];

function make(spec: ActivationSpec, units = XS.length): Activation {
  return createActivationFactory(spec)(units, `test_${spec.type}`);
}

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

test('inference output and derivative() agree with src/core/formulas for every activation', () => {
  for (const spec of [...DETERMINISTIC, ...NOISE]) {
    const act = make(spec);
    const x = tf.tensor2d([XS]);
    const f = values(act.apply(x, INFER));
    const df = values(act.derivative(x));
    XS.forEach((xi, i) => {
      const p = activationPoint(spec, xi, SIGMA);
      close(f[i]!, p.f, 2e-6 * (1 + Math.abs(p.f)), `${spec.type} f(${xi})`);
      close(df[i]!, p.df, 2e-6 * (1 + Math.abs(p.df)), `${spec.type} f′(${xi})`);
    });
    x.dispose();
    act.variables.forEach((v) => v.dispose());
  }
});

test('tf.grad equals central differences and the closed-form derivative (deterministic activations)', () => {
  const h = 1e-2;
  for (const spec of DETERMINISTIC) {
    const act = make(spec);
    const ctx: ActivationContext = { training: true, sigma: SIGMA, seed: 3 };
    const x = tf.tensor1d(XS);
    const g = values(tf.grad((t: tf.Tensor) => tf.sum(act.apply(t, ctx)))(x));
    const up = values(act.apply(tf.add(x, h), ctx));
    const down = values(act.apply(tf.sub(x, h), ctx));
    XS.forEach((xi, i) => {
      const fd = (up[i]! - down[i]!) / (2 * h);
      close(g[i]!, fd, 5e-4 * (1 + Math.abs(fd)), `${spec.type}: grad vs central difference at ${xi}`);
      const df = activationPoint(spec, xi, SIGMA).df;
      close(g[i]!, df, 2e-6 * (1 + Math.abs(df)), `${spec.type}: grad vs formulas at ${xi}`);
    });
    x.dispose();
    act.variables.forEach((v) => v.dispose());
  }
});

test('smoothRelu derivative() before any forward pass uses the schedule start σ', () => {
  const act = make({ type: 'smoothRelu', sigma: constant(0.7), proxy: false });
  const x = tf.tensor1d(XS);
  values(act.derivative(x)).forEach((d, i) => close(d, activationPoint({ type: 'smoothRelu', sigma: constant(0.7), proxy: false }, XS[i]!).df, 2e-6, 'f′'));
  x.dispose();
});

test('smoothRelu follows ctx.sigma per call, σ = 0 is relu, and derivative() uses the latest σ', () => {
  const act = make({ type: 'smoothRelu', sigma: constant(1), proxy: false });
  const x = tf.tensor1d(XS);
  for (const sigma of [0.05, 0.2, 1.5]) {
    const f = values(act.apply(x, { training: true, sigma, seed: 0 }));
    const g = values(tf.grad((t: tf.Tensor) => tf.sum(act.apply(t, { training: false, sigma, seed: 0 })))(x));
    const df = values(act.derivative(x));
    XS.forEach((xi, i) => {
      close(f[i]!, smoothRelu(xi, sigma), 2e-6, `smoothRelu(${xi}, ${sigma})`);
      close(g[i]!, df[i]!, 1e-6, `grad = derivative() at σ = ${sigma}`);
    });
  }
  const relu = values(act.apply(x, { training: true, sigma: 0, seed: 0 }));
  XS.forEach((xi, i) => assert.equal(relu[i], Math.fround(Math.max(0, xi))));
  x.dispose();
});

test('prelu: one learnable slope per unit, gradient Σ dy·min(x, 0), derivative reads the current slope', () => {
  const factory = createActivationFactory({ type: 'prelu', init: 0.25 });
  const a = factory(3, 'dense1');
  const b = factory(3, 'dense1');
  assert.equal(a.variables.length, 1);
  assert.notEqual(a.variables[0]!.name, b.variables[0]!.name, 'two layers with one name do not collide');
  assert.deepEqual(a.variables[0]!.shape, [3]);
  assert.ok(a.variables[0]!.trainable);
  const x = tf.tensor2d([[-1, 2, -3], [-0.5, -2, 4]]);
  const { grads } = tf.variableGrads(() => tf.sum(a.apply(x, INFER)) as tf.Scalar, a.variables);
  assert.deepEqual(values(grads[a.variables[0]!.name]!), [-1.5, -2, -3]);
  a.variables[0]!.assign(tf.tensor1d([0.1, -1, 0.5]));
  assert.deepEqual(values(a.derivative(x)), [0.1, 1, 0.5, 0.1, -1, 1].map(Math.fround));
  assert.deepEqual(values(a.apply(x, INFER)), [-0.1, 2, -1.5, -0.05, 2, 4].map(Math.fround));
  tf.dispose([x, ...Object.values(grads), ...a.variables, ...b.variables]);
});

test('only prelu owns variables', () => {
  for (const spec of [...DETERMINISTIC, ...NOISE]) {
    const act = make(spec);
    assert.equal(act.variables.length, spec.type === 'prelu' ? 1 : 0, spec.type);
    act.variables.forEach((v) => v.dispose());
  }
});

test('noise only in training: inference is deterministic and equals the formulas', () => {
  for (const spec of NOISE) {
    const act = make(spec);
    const x = tf.tensor1d(XS);
    const a = values(act.apply(x, { training: false, sigma: SIGMA, seed: 1 }));
    const b = values(act.apply(x, { training: false, sigma: SIGMA, seed: 2 }));
    assert.deepEqual(a, b, spec.type);
    const t1 = values(act.apply(x, train(SIGMA, 1)));
    assert.notDeepEqual(t1, a, `${spec.type}: training draws noise`);
    x.dispose();
  }
});

test('same seed gives the same numbers, another seed others', () => {
  for (const spec of NOISE) {
    const act = make(spec);
    const x = tf.randomNormal([64], 0, 1, 'float32', 5);
    const a = values(act.apply(x, train(SIGMA, 11)));
    const b = values(act.apply(x, train(SIGMA, 11)));
    const c = values(act.apply(x, train(SIGMA, 12)));
    assert.deepEqual(a, b, spec.type);
    assert.notDeepEqual(a, c, spec.type);
    x.dispose();
  }
});

test('nrelu: x where x > 0, the seeded N(0, σ²) draw elsewhere; gradient exactly 1[x > 0]', () => {
  const act = make(NOISE[0]!);
  const x = tf.randomNormal([200], 0, 1, 'float32', 9);
  const ctx = train(0.3, 77);
  const out = values(act.apply(x, ctx));
  const noise = Array.from(fillNormal(new Float32Array(200), 0.3, 77));
  const g = values(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(act.apply(t, ctx), 3)))(x));
  values(x).forEach((xi, i) => {
    assert.equal(out[i], xi > 0 ? xi : noise[i], `output at ${xi}`);
    assert.equal(g[i], xi > 0 ? 3 : 0, `gradient at ${xi}`);
  });
  const stochastic = make({ type: 'nrelu', sigma: constant(0.3), inference: 'stochastic' });
  const y = tf.tensor1d([-1, 2]);
  const s = values(stochastic.apply(y, { training: false, sigma: 0.3, seed: 5 }));
  assert.equal(s[1], 2);
  assert.notEqual(s[0], 0, 'stochastic inference samples');
  y.dispose();
});

test('noisyRelu: max(0, x + ε); gradient exactly 1[x + ε > 0]', () => {
  const act = make(NOISE[1]!);
  const x = tf.randomNormal([200], 0, 1, 'float32', 19);
  const ctx = train(0.5, 99);
  const out = values(act.apply(x, ctx));
  const noise = Array.from(fillNormal(new Float32Array(200), 0.5, 99));
  const g = values(tf.grad((t: tf.Tensor) => tf.sum(act.apply(t, ctx)))(x));
  let flipped = 0;
  values(x).forEach((xi, i) => {
    const z = Math.fround(xi + noise[i]!);
    assert.equal(out[i], Math.max(0, z), `output at ${xi}`);
    assert.equal(g[i], z > 0 ? 1 : 0, `gradient at ${xi}`);
    if ((z > 0) !== (xi > 0)) flipped++;
  });
  assert.ok(flipped > 0, 'the noise changes which units pass gradient');
});

/** Per column: sample mean and standard error over the rows. */
function columnStats(t: tf.Tensor2D): { mean: number[]; se: number[] } {
  const n = t.shape[0];
  const mean = values(tf.mean(t, 0));
  const sd = values(tf.sqrt(tf.div(tf.sum(tf.square(tf.sub(t, tf.mean(t, 0))), 0), n - 1)));
  return { mean, se: sd.map((s) => s / Math.sqrt(n)) };
}

test('Monte Carlo: E[nrelu(x)] = relu(x) and E[noisyRelu(z)] = smoothRelu(z, σ) within 4 SE', () => {
  const zs = [-1, -0.3, 0, 0.2, 1];
  const n = 20000;
  for (const sigma of [0.1, 0.5, 1]) {
    for (const [i, spec] of NOISE.slice(0, 2).entries()) {
      const act = make(spec, zs.length);
      const x = tf.tile(tf.tensor2d([zs]), [n, 1]) as tf.Tensor2D;
      const y = act.apply(x, train(sigma, 1000 + i)) as tf.Tensor2D;
      const { mean, se } = columnStats(y);
      zs.forEach((z, j) => {
        const expected = spec.type === 'nrelu' ? Math.max(0, z) : smoothRelu(z, sigma);
        const p = activationPoint(spec, z, sigma);
        close(p.mean, expected, 1e-15, 'formulas mean');
        // se is 0 where the output is deterministic (nrelu, x > 0): then exact equality.
        close(mean[j]!, expected, 4 * se[j]! + 1e-6, `${spec.type} σ=${sigma} E at ${z}`);
      });
      tf.dispose([x, y]);
    }
  }
});

test('Monte Carlo: about 90 % of noisy outputs fall in the formulas 5–95 % band', () => {
  const n = 20000;
  for (const spec of NOISE) {
    // Where the output is continuous (noisyRelu has an atom at 0 below x ≈ 1.64σ).
    const z = spec.type === 'noisyRelu' ? 1 : -0.4;
    const act = make(spec, 1);
    const y = values(act.apply(tf.fill([n, 1], z), train(SIGMA, 4242)));
    const { lo, hi } = activationPoint(spec, z, SIGMA);
    const inside = y.filter((v) => v >= lo && v <= hi).length / n;
    // p = 0.9 exactly (continuous), SE = √(0.09/n) ≈ 0.0021.
    close(inside, 0.9, 4 * Math.sqrt(0.09 / n), `${spec.type} band coverage`);
  }
});

test('rrelu: training slope ~ U(l, u) per element with mean (l+u)/2; inference slope (l+u)/2', () => {
  const lower = 0.125;
  const upper = 1 / 3;
  const act = make(NOISE[2]!);
  const n = 20000;
  const x = tf.fill([n], -2);
  const slopes = values(act.apply(x, train(0, 8))).map((v) => v / -2);
  assert.ok(slopes.every((s) => s >= lower - 1e-7 && s <= upper + 1e-7), 'slopes within [l, u]');
  const mean = slopes.reduce((s, v) => s + v, 0) / n;
  const se = (upper - lower) / Math.sqrt(12 * n);
  close(mean, (lower + upper) / 2, 4 * se, 'mean slope');
  assert.ok(new Set(slopes).size > n / 2, 'a fresh slope per element');
  const g = values(tf.grad((t: tf.Tensor) => tf.sum(act.apply(t, train(0, 8))))(x));
  g.forEach((gi, i) => close(gi, slopes[i]!, 1e-6, 'gradient on the negative side is the sampled slope'));
  const pos = values(act.apply(tf.fill([4], 1.5), train(0, 8)));
  assert.deepEqual(pos, [1.5, 1.5, 1.5, 1.5]);
  x.dispose();
});

test('noise generator: N(0, 1) moments, tails and distribution (Kolmogorov–Smirnov)', () => {
  const n = 200000;
  const z = fillNormal(new Float32Array(n), 1, 2024);
  let m1 = 0;
  let m2 = 0;
  let m4 = 0;
  let beyond3 = 0;
  let beyondR = 0;
  for (const v of z) {
    m1 += v; m2 += v * v; m4 += v ** 4;
    if (Math.abs(v) > 3) beyond3++;
    if (Math.abs(v) > 3.442619855899) beyondR++;
  }
  m1 /= n; m2 /= n; m4 /= n;
  close(m1, 0, 4 / Math.sqrt(n), 'mean');
  close(m2, 1, 4 * Math.sqrt(2 / n), 'variance');
  close(m4, 3, 4 * Math.sqrt(96 / n), 'fourth moment');
  const p3 = 2 * normalCdf(-3);
  close(beyond3 / n, p3, 4 * Math.sqrt(p3 * (1 - p3) / n), 'P(|z| > 3)');
  const pR = 2 * normalCdf(-3.442619855899);
  close(beyondR / n, pR, 4 * Math.sqrt(pR * (1 - pR) / n), 'P(|z| > R): the tail branch');
  const sorted = Float64Array.from(z).sort();
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = normalCdf(sorted[i]!);
    d = Math.max(d, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
  }
  // KS critical value at α = 0.001 is 1.95/√n.
  assert.ok(d < 1.95 / Math.sqrt(n), `KS distance ${d}`);
  // neighbours are uncorrelated
  let lag = 0;
  for (let i = 1; i < n; i++) lag += z[i]! * z[i - 1]!;
  close(lag / (n - 1), 0, 4 / Math.sqrt(n), 'lag-1 correlation');
  assert.deepEqual(fillNormal(new Float32Array(8), 2, 7), fillNormal(new Float32Array(8), 2, 7));
  assert.notDeepEqual(fillNormal(new Float32Array(8), 2, 7), fillNormal(new Float32Array(8), 2, 8));
});

test('noise generator: U(lo, hi) moments and range', () => {
  const n = 100000;
  const u = fillUniform(new Float32Array(n), -1, 3, 5);
  assert.ok(u.every((v) => v > -1 && v < 3));
  const mean = u.reduce((s, v) => s + v, 0) / n;
  close(mean, 1, 4 * Math.sqrt(16 / 12 / n), 'mean');
  const below0 = u.filter((v) => v < 0).length / n;
  close(below0, 0.25, 4 * Math.sqrt(0.25 * 0.75 / n), 'P(u < 0)');
});
