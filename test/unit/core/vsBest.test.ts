import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareToBest, NEEDS_SEEDS, sharesStar, vsBestText } from '../../../src/core/vsBest';

test('crafted arms: the quick start case (95.38 ± 0.13 vs 95.37 ± 0.10, 3 seeds) is a tie', () => {
  const best = { mean: 0.9538, std: 0.0013, n: 3 };
  const v = compareToBest({ mean: 0.9537, std: 0.001, n: 3 }, best, false);
  assert.equal(v.tied, true);
  assert.ok(v.ci95 && v.ci95[0] < 0 && v.ci95[1] > 0);
  assert.ok(Math.abs(v.diff + 0.0001) < 1e-12);
  assert.ok(sharesStar({ vsBest: v }));
  assert.match(vsBestText(v, 'testAccuracy', false), /^tied with best \(−0\.01 pp \[/);
});

test('crafted arms: a clearly worse arm is distinguishable; the best is tied with itself', () => {
  const best = { mean: 0.97, std: 0.002, n: 3 };
  const v = compareToBest({ mean: 0.9, std: 0.003, n: 3 }, best, false);
  assert.equal(v.tied, false);
  assert.ok(v.ci95 && v.ci95[1] < 0);
  assert.ok(!sharesStar({ vsBest: v }));
  assert.match(vsBestText(v, 'testAccuracy', false), /^−7\.00 pp \[−/);
  assert.deepEqual(compareToBest(best, best, true), { diff: 0, ci95: [0, 0], tied: true });
  assert.equal(vsBestText(compareToBest(best, best, true), 'testAccuracy', true), '');
});

test('crafted arms: one seed on either side gives no interval and says why', () => {
  const one = compareToBest({ mean: 0.9, std: 0, n: 1 }, { mean: 0.95, std: 0.01, n: 3 }, false);
  assert.equal(one.tied, undefined);
  assert.equal(one.ci95, undefined);
  assert.equal(one.reason, NEEDS_SEEDS);
  assert.ok(!sharesStar({ vsBest: one }));
  assert.equal(compareToBest({ mean: 0.9, std: 0.01, n: 3 }, { mean: 0.95, std: 0, n: 1 }, false).reason, NEEDS_SEEDS);
  assert.match(vsBestText(one, 'testAccuracy', false), /needs ≥ 2 seeds/);
});

test('loss metric: differences in loss units', () => {
  const v = compareToBest({ mean: 0.5, std: 0.01, n: 4 }, { mean: 0.3, std: 0.01, n: 4 }, false);
  assert.equal(v.tied, false);
  assert.match(vsBestText(v, 'testLoss', false), /^\+0\.200 \[/);
});

test('tieLines: the CLI footer names the tied arms and those with too few seeds', async () => {
  const { tieLines } = await import('../../../src/core/vsBest');
  const arms = [
    { armId: 'a', label: 'A', vsBest: { diff: 0, ci95: [0, 0] as [number, number], tied: true } },
    { armId: 'b', label: 'B', vsBest: { diff: -0.001, ci95: [-0.01, 0.008] as [number, number], tied: true } },
    { armId: 'c', label: 'C', vsBest: { diff: -0.1, ci95: [-0.2, -0.05] as [number, number], tied: false } },
    { armId: 'd', label: 'D', vsBest: { diff: -0.1, reason: NEEDS_SEEDS } },
  ];
  assert.deepEqual(tieLines(arms, 'a'), [
    '* tied with best (Welch 95 % CI of the difference contains 0): B',
    '  not compared (needs ≥ 2 seeds): D',
  ]);
});
