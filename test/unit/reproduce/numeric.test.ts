import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { depthVariance, grid, leakyGradStats, smoothReluMonteCarlo, teacherOddShare, useCpuBackend } from '../../../scripts/reproduce/numeric';

before(async () => { await useCpuBackend(); });

test('grid spans the interval inclusively', () => {
  assert.deepEqual(grid(-3, 3, 7), [-3, -2, -1, 0, 1, 2, 3]);
});

test('leaky gradient moments through tf.grad match (1+α)/2 and (1−α)²/4', () => {
  const s = leakyGradStats(0.2, 20000, 5);
  assert.ok(Math.abs(s.mean - 0.6) < 5 * s.seMean, `${s.mean}`);
  assert.ok(Math.abs(s.variance - 0.16) < 1e-3, `${s.variance}`);
  // The gradient takes only the two values 1 and α: its variance is p(1−p)(1−α)² ≤ (1−α)²/4
  // (× n/(n−1) for the sample variance).
  assert.ok(s.variance <= 0.16 * 20000 / 19999 + 1e-6, `${s.variance}`);
});

test('α-aware init keeps depth-wise variance flat where plain He grows by (1+α²) per layer', () => {
  const he = depthVariance(0.5, 'he', 6, 64, 64, 1);
  const lk = depthVariance(0.5, 'leakyHe', 6, 64, 64, 1);
  assert.equal(he.variance.length, 6);
  // Same draws scaled by √(1+α²) per layer, piecewise-linear activation: exact factor.
  assert.ok(Math.abs(he.ratio / lk.ratio / 1.25 ** 5 - 1) < 1e-3, `${he.ratio / lk.ratio}`);
});

test('smoothed ReLU Monte Carlo agrees with the closed form within its standard error', () => {
  const pts = smoothReluMonteCarlo(0.5, [-1, 0, 0.5], 20000, 9);
  for (const p of pts) {
    assert.ok(Math.abs(p.mc - p.closed) < 5 * p.seExact, `z=${p.z}: ${p.mc} vs ${p.closed}`);
    assert.ok(Math.abs(p.se / p.seExact - 1) < 0.2, `z=${p.z}: sample SE ${p.se} vs exact ${p.seExact}`);
  }
  // The proxy z·Φ(z/σ) misses σφ(0) at z = 0.
  assert.ok(Math.abs(pts[1]!.closed - pts[1]!.proxy - 0.5 / Math.sqrt(2 * Math.PI)) < 1e-12);
});

test('teacher odd share: most of a ReLU teacher is linear, label noise dilutes it', () => {
  const clean = teacherOddShare({ d: 5, width: 50, noise: 0, trainSize: 2000, testSize: 100 }, 11);
  const noisy = teacherOddShare({ d: 5, width: 50, noise: 3, trainSize: 2000, testSize: 100 }, 11);
  assert.ok(clean.share > 0.5 && clean.share < 1, `${clean.share}`);
  assert.ok(noisy.share < 0.2, `${noisy.share}`);
  assert.ok(noisy.variance > clean.variance * 5);
});
