import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActivationSpec } from '../../../src/core/config';
import {
  activationPoint, erf, erfc, leakyRescale, normalCdf, normalPdf, smoothRelu,
} from '../../../src/core/formulas';
import { SELU } from '../../../src/core/papers';

const constant = (v: number) => ({ kind: 'constant' as const, start: v, end: v, per: 'epoch' as const, every: 1, factor: 1 });

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

test('erf and Φ match reference values', () => {
  // Reference values (Abramowitz & Stegun tables / high-precision evaluation).
  const table: [number, number][] = [
    [0, 0], [0.1, 0.1124629160182849], [0.5, 0.5204998778130465], [1, 0.8427007929497149],
    [2, 0.9953222650189527], [2.5, 0.999593047982555], [3, 0.9999779095030014], [-1.5, -0.9661051464753108],
  ];
  for (const [x, v] of table) close(erf(x), v, 1e-14, `erf(${x})`);
  close(erfc(5), 1.5374597944280349e-12, 1e-24, 'erfc(5)');
  close(normalCdf(1.6448536269514722), 0.95, 1e-14, 'Φ(z95)');
  close(normalCdf(-8), 6.22096057427178e-16, 1e-28, 'Φ(−8) keeps relative accuracy');
  close(normalPdf(0), 1 / Math.sqrt(2 * Math.PI), 1e-16, 'φ(0)');
  assert.equal(erf(Infinity), 1);
  assert.equal(erf(-Infinity), -1);
});

test('erf is continuous where the series hands over to the continued fraction', () => {
  for (const x of [2.5, -2.5]) close(erf(x - 1e-12), erf(x + 1e-12), 1e-13, `erf near ${x}`);
});

test('smoothRelu is E[max(0, z + σε)] (numerical integration) and tends to relu', () => {
  for (const sigma of [0.05, 0.3, 1, 2]) {
    for (const z of [-2, -0.3, 0, 0.2, 1.5]) {
      // ∫ max(0, z + σe) φ(e) de by the midpoint rule over ±10.
      let s = 0;
      const n = 200000;
      const h = 20 / n;
      for (let i = 0; i < n; i++) {
        const e = -10 + (i + 0.5) * h;
        s += Math.max(0, z + sigma * e) * normalPdf(e) * h;
      }
      close(smoothRelu(z, sigma), s, 1e-8, `smoothRelu(${z}, ${sigma})`);
    }
  }
  assert.equal(smoothRelu(1.3, 0), 1.3);
  assert.equal(smoothRelu(-1.3, 0), 0);
  close(smoothRelu(0.7, 1e-9), 0.7, 1e-12, 'σ → 0');
  close(smoothRelu(0, 0.4), 0.4 * normalPdf(0), 1e-15, 'smoothRelu(0, σ) = σφ(0)');
});

const SPECS: ActivationSpec[] = [
  { type: 'relu' }, { type: 'gelu' }, { type: 'selu' }, { type: 'silu' }, { type: 'tanh' },
  { type: 'sigmoid' }, { type: 'softplus' }, { type: 'linear' },
  { type: 'leakyRelu', alpha: 0.1, rescale: false }, { type: 'leakyRelu', alpha: -0.5, rescale: true },
  { type: 'abs', rescale: false }, { type: 'abs', rescale: true }, { type: 'prelu', init: 0.25 },
  { type: 'rrelu', lower: 0.125, upper: 1 / 3 }, { type: 'elu', alpha: 0.7 },
  { type: 'smoothRelu', sigma: constant(0.5), proxy: false },
  { type: 'smoothRelu', sigma: constant(0.5), proxy: true },
];

test('df is the derivative of f (central differences away from kinks)', () => {
  const h = 1e-6;
  for (const spec of SPECS) {
    for (const x of [-2.3, -0.7, -0.2, 0.3, 0.9, 2.1]) {
      const fd = (activationPoint(spec, x + h).f - activationPoint(spec, x - h).f) / (2 * h);
      close(activationPoint(spec, x).df, fd, 1e-7, `${spec.type} f′(${x})`);
    }
  }
});

test('closed forms of the classic activations', () => {
  close(activationPoint({ type: 'gelu' }, 1).f, 0.8413447460685429, 1e-14, 'gelu(1)');
  close(activationPoint({ type: 'selu' }, -1).f, SELU.scale * SELU.alpha * (Math.exp(-1) - 1), 1e-15, 'selu(−1)');
  close(activationPoint({ type: 'softplus' }, 50).f, 50, 1e-12, 'softplus(50) does not overflow');
  close(activationPoint({ type: 'softplus' }, -50).f, Math.exp(-50), 1e-30, 'softplus(−50)');
  close(activationPoint({ type: 'sigmoid' }, -800).f, 0, 1e-300, 'sigmoid(−800)');
  assert.equal(activationPoint({ type: 'abs', rescale: false }, -3).f, 3);
  close(activationPoint({ type: 'abs', rescale: true }, -3).f, 3, 1e-15, 'rescaled |x| (factor 1)');
  close(activationPoint({ type: 'leakyRelu', alpha: 0, rescale: true }, 2).f, 2 * Math.SQRT2, 1e-15, 'rescaled relu');
  close(leakyRescale(-1), 1, 0, 'α = −1');
});

test('noise activations: mean, band and backprop derivative', () => {
  const nrelu: ActivationSpec = { type: 'nrelu', sigma: constant(0.1), inference: 'deterministic' };
  const neg = activationPoint(nrelu, -1, 0.2);
  assert.deepEqual([neg.f, neg.mean, neg.df], [0, 0, 0]);
  close(neg.hi, 1.6448536269514722 * 0.2, 1e-15, 'nrelu band uses the given σ');
  close(neg.lo, -neg.hi, 0, 'symmetric band');
  const pos = activationPoint(nrelu, 0.5);
  assert.deepEqual(pos, { f: 0.5, mean: 0.5, lo: 0.5, hi: 0.5, df: 1 });

  const noisy: ActivationSpec = { type: 'noisyRelu', sigma: constant(0.3), inference: 'deterministic' };
  const p = activationPoint(noisy, 0.1);
  close(p.mean, smoothRelu(0.1, 0.3), 0, 'noisyRelu mean = smoothRelu');
  assert.equal(p.f, 0.1);
  assert.equal(p.lo, 0);
  close(p.hi, 0.1 + 1.6448536269514722 * 0.3, 1e-15, 'hi');
  const stochastic = activationPoint({ ...noisy, inference: 'stochastic' } as ActivationSpec, 0.1);
  close(stochastic.f, p.mean, 0, 'stochastic inference reports its expectation');

  const rrelu = activationPoint({ type: 'rrelu', lower: 0.1, upper: 0.3 }, -2);
  close(rrelu.mean, -0.4, 1e-15, 'rrelu mean slope');
  close(rrelu.lo, -0.58, 1e-12, 'rrelu 5 %');
  close(rrelu.hi, -0.22, 1e-12, 'rrelu 95 %');
  close(rrelu.df, 0.2, 1e-15, 'rrelu derivative: inference slope');

  const smooth0 = activationPoint({ type: 'smoothRelu', sigma: constant(0), proxy: false }, -0.5);
  assert.deepEqual([smooth0.f, smooth0.df], [0, 0]);
  const smoothDefault = activationPoint({ type: 'smoothRelu', sigma: constant(0.5), proxy: false }, 0);
  close(smoothDefault.f, 0.5 * normalPdf(0), 1e-15, 'σ defaults to the schedule start');
  close(smoothDefault.df, 0.5, 1e-15, 'Φ(0)');
});
