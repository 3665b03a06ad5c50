/**
 * The ±1 sd band of the shapes view (issue 13: "E[f] with a ±1 sd band"): each stochastic
 * activation's CurvePoint.sd against the standard deviation of samples drawn from its
 * definition (seeded), within 4 standard errors (SE of a sample sd ≈ sd/√(2n)).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActivationSpec } from '../../../src/core/config';
import { activationPoint } from '../../../src/core/formulas';
import { gaussian, mulberry32 } from '../../../src/core/random';

const constant = (start: number) => ({ kind: 'constant' as const, start, end: start, per: 'epoch' as const, every: 1, factor: 1 });
const N = 40000;
const SIGMA = 0.4;

/**
 * The samples' sd and its standard error from their own fourth moment (SE(s²) = √((m4 − s⁴)/N),
 * SE(s) = SE(s²)/(2s)): max(0, x + ε) is zero-inflated, far from the normal's √(1/2N).
 * Two passes: a constant output gives exactly 0, not rounding noise.
 */
function sampleSd(draw: () => number): { sd: number; se: number } {
  const xs = Float64Array.from({ length: N }, draw);
  const m = xs.reduce((a, b) => a + b, 0) / N;
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (N - 1);
  const m4 = xs.reduce((a, b) => a + (b - m) ** 4, 0) / N;
  const sd = Math.sqrt(v);
  return { sd, se: sd > 0 ? Math.sqrt(Math.max(0, m4 - v * v) / N) / (2 * sd) : 0 };
}

const CASES: { spec: ActivationSpec; draw: (x: number, rng: () => number) => number }[] = [
  { spec: { type: 'nrelu', sigma: constant(SIGMA), inference: 'deterministic' }, draw: (x, rng) => (x > 0 ? x : SIGMA * gaussian(rng)) },
  { spec: { type: 'noisyRelu', sigma: constant(SIGMA), inference: 'deterministic' }, draw: (x, rng) => Math.max(0, x + SIGMA * gaussian(rng)) },
  { spec: { type: 'rrelu', lower: 0.125, upper: 1 / 3 }, draw: (x, rng) => (x > 0 ? x : (0.125 + rng() * (1 / 3 - 0.125)) * x) },
];

test('shapes: the sd of each stochastic activation equals its samples\' sd within 4 SE', () => {
  for (const { spec, draw } of CASES) {
    for (const x of [-1, -0.3, 0.2, 1]) {
      const rng = mulberry32(7);
      const got = activationPoint(spec, x, SIGMA).sd ?? 0;
      const { sd: want, se } = sampleSd(() => draw(x, rng));
      assert.ok(Math.abs(got - want) <= 4 * se + 1e-12, `${spec.type} at ${x}: sd ${got} vs samples ${want} (SE ${se})`);
    }
  }
});

test('shapes: deterministic activations have no sd', () => {
  assert.equal(activationPoint({ type: 'relu' }, -1).sd ?? 0, 0);
});
