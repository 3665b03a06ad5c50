import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ci95, max, mean, median, min, sem, std, tQuantile975 } from '../../../src/core/stats';

const close = (a: number, b: number, tol = 1e-9): void => assert.ok(Math.abs(a - b) <= tol, `${a} ≉ ${b}`);

test('mean, sample std, sem on hand-computed values', () => {
  const xs = [2, 4, 4, 4, 5, 5, 7, 9];
  close(mean(xs), 5);
  // Σ(x−5)² = 9+1+1+1+0+0+4+16 = 32; sample variance 32/7.
  close(std(xs), Math.sqrt(32 / 7));
  close(sem(xs), Math.sqrt(32 / 7) / Math.sqrt(8));
  assert.equal(min(xs), 2);
  assert.equal(max(xs), 9);
});

test('median of odd and even counts, unsorted input untouched', () => {
  const xs = [3, 1, 2];
  assert.equal(median(xs), 2);
  assert.deepEqual(xs, [3, 1, 2]);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('edge cases: one value has std 0; none gives NaN', () => {
  assert.equal(std([0.97]), 0);
  assert.ok(Number.isNaN(mean([])));
  assert.ok(Number.isNaN(std([])));
  assert.ok(Number.isNaN(median([])));
  assert.ok(Number.isNaN(ci95([1]).halfWidth));
});

test('ci95 uses Student t: three seeds 0.90, 0.92, 0.94', () => {
  // mean 0.92, s = 0.02, sem = 0.02/√3, t(2) = 4.303 → half width 0.049687…
  const c = ci95([0.9, 0.92, 0.94]);
  close(c.halfWidth, 4.303 * 0.02 / Math.sqrt(3), 1e-9);
  close(c.low, 0.92 - c.halfWidth, 1e-12);
  close(c.high, 0.92 + c.halfWidth, 1e-12);
});

test('t quantiles: table values and the large-df expansion', () => {
  assert.equal(tQuantile975(1), 12.706);
  assert.equal(tQuantile975(30), 2.042);
  close(tQuantile975(40), 2.021, 1e-3);
  close(tQuantile975(120), 1.980, 1e-3);
  close(tQuantile975(1e6), 1.96, 1e-3);
});
