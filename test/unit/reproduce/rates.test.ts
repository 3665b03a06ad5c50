import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestRate, judgeRates, logLossRate, meanStd, stepsToFraction } from '../../../scripts/reproduce/analysis';

test('logLossRate is minus the slope of ln(loss) per step; NaN for a diverged curve', () => {
  const curve = Array.from({ length: 50 }, (_, t) => 2 * Math.exp(-0.03 * t));
  assert.ok(Math.abs(logLossRate(curve) - 0.03) < 1e-12);
  assert.ok(Number.isNaN(logLossRate([1, 0.5, Number.NaN])));
  assert.ok(Number.isNaN(logLossRate([1, 0.5, Number.POSITIVE_INFINITY])));
  assert.ok(Number.isNaN(logLossRate([1])));
});

test('stepsToFraction counts steps from 1 until loss ≤ fraction of the first', () => {
  assert.equal(stepsToFraction([1, 0.5, 0.2, 0.09, 0.05], 0.1), 4);
  assert.ok(Number.isNaN(stepsToFraction([1, 0.5, 0.2], 0.1)));
});

test('bestRate takes the learning rate of highest mean rate among those no seed diverged at', () => {
  const b = bestRate([
    { alpha: -1, lr: 0.03, rates: [0.01, 0.012] },
    { alpha: -1, lr: 0.1, rates: [0.03, 0.028] },
    { alpha: -1, lr: 0.3, rates: [0.05, Number.NaN] },
  ]);
  assert.equal(b?.lr, 0.1);
  assert.equal(b?.edge, false);
  assert.ok(Math.abs(b!.rate.mean - 0.029) < 1e-12);
  assert.equal(bestRate([{ alpha: 0, lr: 0.3, rates: [0.02] }, { alpha: 0, lr: 0.1, rates: [0.01] }])?.edge, true);
  assert.equal(bestRate([{ alpha: 0, lr: 0.3, rates: [Number.NaN] }]), undefined);
});

test('judgeRates: one check per depth, passed where α = −1 has the highest mean rate', () => {
  const cell = (lr: number, rates: number[]) => ({ lr, rate: meanStd(rates) });
  const j = judgeRates(new Map([
    [1, new Map([[-1, cell(0.1, [0.01, 0.011])], [0, cell(0.3, [0.02, 0.021])]])],
    [2, new Map([[-1, cell(0.1, [0.03, 0.031])], [0, cell(0.1, [0.02, 0.022])]])],
  ]), -1);
  assert.equal(j.verdict, 'partly reproduced');
  assert.deepEqual(j.checks.map((c) => c.passed), [false, true]);
  assert.match(j.checks[1]!.name, /L = 2/);
  assert.match(j.checks[1]!.detail, /α=-1: 3\.05e-2/);
});
