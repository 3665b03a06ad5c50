import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sweepCsv, sweepPlots, sweptParams, useLogX } from '../../../src/core/sweep';
import type { Summary } from '../../../src/core/summary';
import { tInv } from '../../../src/core/tstat';

const summary = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'webview', 'sweep', 'summary.json'), 'utf8')) as Summary;

test('recorded σ × lr sweep: one plot per swept parameter, one series per other-parameter combination', () => {
  assert.deepEqual(sweptParams(summary.arms), ['lr', 'sigma']);
  const plots = sweepPlots(summary, 'final', 'std');
  const sigma = plots.find((p) => p.param === 'sigma')!;
  assert.equal(sigma.metric, 'testAccuracy');
  assert.equal(sigma.logX, true, '0.01 … 0.3 spans more than a decade');
  assert.deepEqual(sigma.series.map((s) => s.label), ['N-ReLU · lr=0.001', 'N-ReLU · lr=0.003']);
  for (const s of sigma.series) {
    assert.deepEqual(s.points.map((p) => p.x), [0.01, 0.05, 0.1, 0.3]);
    for (const p of s.points) {
      const arm = summary.arms.find((a) => a.armId === p.armId)!;
      assert.equal(p.mean, arm.finalTestAccuracy!.mean);
      assert.equal(p.err, arm.finalTestAccuracy!.std);
      assert.equal(arm.sweep.lr, s.others.lr);
    }
  }
  // lr: ReLU is in it too (it sweeps lr), one series per σ plus ReLU's.
  const lr = plots.find((p) => p.param === 'lr')!;
  assert.equal(lr.logX, false, '0.001 → 0.003 is less than a decade');
  assert.equal(lr.series.length, 5);
});

test('best-epoch metric and 95 % CI error bars', () => {
  const sigma = sweepPlots(summary, 'best', 'ci').find((p) => p.param === 'sigma')!;
  const p = sigma.series[0]!.points[0]!;
  const s = summary.arms.find((a) => a.armId === p.armId)!.bestTestAccuracy!;
  assert.equal(p.mean, s.mean);
  assert.ok(Math.abs(p.err! - tInv(0.975, s.n - 1) * s.std / Math.sqrt(s.n)) < 1e-12);
});

test('log-x rule, one seed has no bar, CSV has a row per point', () => {
  assert.equal(useLogX([0.1, 1]), true);
  assert.equal(useLogX([0.1, 0.5]), false);
  assert.equal(useLogX([0, 1, 100]), false);
  const stat = (mean: number) => ({ mean, std: 0, n: 1, min: mean, max: mean });
  const arms = [0.1, 0.2].map((sigma) => ({ armId: `n${sigma}`, label: `N [sigma=${sigma}]`, activationId: 'n', sweep: { sigma }, jobs: 1, completed: 1, statuses: {}, finalTestLoss: stat(sigma) }));
  const plots = sweepPlots({ arms }, 'final', 'ci');
  assert.equal(plots[0]!.metric, 'testLoss');
  assert.equal(plots[0]!.series[0]!.points[0]!.err, undefined);
  const csv = sweepCsv(sweepPlots(summary, 'final', 'std'), 'final', 'std').trim().split('\n');
  assert.equal(csv[0], 'parameter,series,value,arm,final_testAccuracy_mean,std,seeds');
  assert.equal(csv.length, 1 + 10 + 8);
});
