import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meanHalfWidth, tCdf, tInv, welchInterval } from '../../../src/core/tstat';

const close = (a: number | undefined, b: number, tol: number): void => assert.ok(a !== undefined && Math.abs(a - b) <= tol, `${a} ≉ ${b}`);

test('tInv: table values (two-sided 95 % and 99 %, one-sided 95 %)', () => {
  close(tInv(0.975, 1), 12.706, 1e-3);
  close(tInv(0.975, 2), 4.303, 1e-3);
  close(tInv(0.975, 4), 2.776, 1e-3);
  close(tInv(0.975, 10), 2.228, 1e-3);
  close(tInv(0.975, 30), 2.042, 1e-3);
  close(tInv(0.995, 3), 5.841, 1e-3);
  close(tInv(0.95, 30), 1.697, 1e-3);
  close(tInv(0.975, 1e6), 1.960, 1e-3);
  close(tInv(0.025, 2), -4.303, 1e-3);
});

test('tInv at non-integer df (Welch): reference values from scipy.stats.t.ppf', () => {
  close(tInv(0.975, 4.5), 2.6589123472044034, 1e-9);
  close(tInv(0.975, 0.5), 164.55767348048818, 1e-6);
  close(tCdf(2, 3), 0.9303370157205785, 1e-12);
  close(tCdf(0, 7.3), 0.5, 1e-15);
});

test('Welch interval on hand-computed samples; one seed gives none; no spread gives a point', () => {
  // a: mean 0.95, s 0.01, n 3; b: mean 0.94, s 0.02, n 3 → se² = 1e-4/3 + 4e-4/3, df = (5e-4/3)² / ((1e-4/3)²/2 + (4e-4/3)²/2) = 25/8.5
  const w = welchInterval({ mean: 0.95, std: 0.01, n: 3 }, { mean: 0.94, std: 0.02, n: 3 });
  assert.ok(w);
  close(w.df, 25 / 8.5, 1e-12);
  const h = tInv(0.975, 25 / 8.5) * Math.sqrt(5e-4 / 3);
  close(w.lo, 0.01 - h, 1e-12);
  close(w.hi, 0.01 + h, 1e-12);
  assert.equal(welchInterval({ mean: 1, std: 0, n: 1 }, { mean: 0, std: 1, n: 3 }), undefined);
  assert.deepEqual(welchInterval({ mean: 1, std: 0, n: 2 }, { mean: 0.5, std: 0, n: 2 }), { diff: 0.5, lo: 0.5, hi: 0.5, df: Infinity });
  close(meanHalfWidth({ mean: 0.92, std: 0.02, n: 3 }), 4.303 * 0.02 / Math.sqrt(3), 1e-5);
  assert.equal(meanHalfWidth({ mean: 1, std: 0, n: 1 }), undefined);
});
