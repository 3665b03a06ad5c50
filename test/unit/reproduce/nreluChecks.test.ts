import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  fmtDiff, judgeBatchNorm, judgeInference, judgeLearnedSigma, maxCurveGap, pairedDiff, sigmaTrajectory, welchDiff,
} from '../../../scripts/reproduce/nreluChecksAnalysis';
import { cifarSection } from '../../../scripts/reproduce/nreluChecks';
import { resolveConfig } from '../../../src/core/expand';
import { validateConfigText } from '../../../src/core/validate';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

test('pairedDiff: mean and Student-t interval of the per-seed differences', () => {
  // Differences 1, 2, 3: mean 2, sem 1/√3, t(0.975, 2) = 4.303.
  const d = pairedDiff([2, 4, 6], [1, 2, 3]);
  close(d.mean, 2);
  close(d.high - d.mean, 4.303 / Math.sqrt(3), 1e-3);
  assert.equal(d.n, 3);
  const one = pairedDiff([1, Number.NaN], [0, 0]);
  assert.equal(one.n, 1);
  assert.ok(Number.isNaN(one.low));
  assert.equal(fmtDiff({ mean: 0.001, low: -0.002, high: 0.004 }), '+0.10 [−0.20, +0.40]');
});

test('judgeInference: fails only where deterministic is significantly below stochastic', () => {
  const { judgement, diffs } = judgeInference([
    { sigma: 0.05, deterministic: [0.95, 0.96, 0.97], stochastic: [0.95, 0.95, 0.98] },
    { sigma: 0.2, deterministic: [0.90, 0.91, 0.92], stochastic: [0.93, 0.94, 0.95] },
  ]);
  assert.deepEqual(judgement.checks.map((c) => c.passed), [true, false]);
  assert.equal(judgement.verdict, 'partly reproduced');
  close(diffs.get(0.2)!.mean, -0.03);
});

test('maxCurveGap: zero for identical training curves, over the common epochs', () => {
  assert.equal(maxCurveGap([1, 0.5, 0.2], [1, 0.5, 0.2, 9]), 0);
  close(maxCurveGap([1, 0.5], [1, 0.7]), 0.2);
});

test('welchDiff and judgeBatchNorm: accuracy interval and the |mean| dead-unit rule', () => {
  const arm = (accuracy: number[], dead: number) => ({ accuracy, deadMean: accuracy.map(() => dead), deadSigned: accuracy.map(() => dead), deadGrad: accuracy.map(() => 0) });
  const w = welchDiff([0.97, 0.98, 0.99], [0.97, 0.98, 0.99]);
  close(w.mean, 0);
  assert.ok(w.low < 0 && w.high > 0);
  const ok = judgeBatchNorm(arm([0.97, 0.98, 0.99], 0), arm([0.975, 0.98, 0.985], 0.02));
  assert.equal(ok.judgement.verdict, 'reproduced');
  const worse = judgeBatchNorm(arm([0.90, 0.901, 0.902], 0.05), arm([0.98, 0.981, 0.982], 0.01));
  // One seed's stray dead unit is within the spread: not significantly above.
  const stray = { ...arm([0.97, 0.98, 0.99], 0), deadMean: [0, 0.003, 0] };
  assert.equal(judgeBatchNorm(stray, arm([0.97, 0.98, 0.99], 0)).judgement.checks[1]!.passed, true);
  assert.deepEqual(worse.judgement.checks.map((c) => c.passed), [false, false]);
});

test('sigmaTrajectory: per epoch over seeds, clipped to the shortest job', () => {
  const p = (mean: number, min: number, max: number) => ({ mean, min, max });
  const t = sigmaTrajectory([[p(0.1, 0.05, 0.2), p(0.08, 0.01, 0.3)], [p(0.12, 0.07, 0.15)]]);
  assert.equal(t.mean.length, 1);
  close(t.mean[0]!, 0.11);
  assert.equal(t.min[0], 0.05);
  assert.equal(t.max[0], 0.2);
  close(t.std[0]!, Math.sqrt(2e-4));
});

test('judgeLearnedSigma: "outperforms" needs the whole interval above 0', () => {
  assert.equal(judgeLearnedSigma([0.95, 0.96, 0.97], [0.95, 0.96, 0.97]).judgement.verdict, 'not reproduced');
  assert.equal(judgeLearnedSigma([0.96, 0.971, 0.98], [0.95, 0.96, 0.97]).judgement.verdict, 'reproduced');
});

test('cifarSection: without the files it says so, where to put them, and judges nothing', () => {
  const s = cifarSection({ absent: 'files absent: folder not found' });
  assert.equal(s.verdict, 'not run (files absent)');
  assert.match(s.markdown, /examples\/cifar-10-batches-bin/);
  assert.match(s.markdown, /data_batch_1\.bin/);
  assert.doesNotMatch(s.markdown, /Verdict:/);
});

test('the learnable-σ preset: learned and fixed arms differ only in learning s; set-up as nrelu-mlp', () => {
  const dir = join(import.meta.dirname, '..', '..', '..', 'examples', 'reproduce');
  const load = (f: string) => resolveConfig(validateConfigText(readFileSync(join(dir, f), 'utf8')).config!);
  const ls = load('nrelu-learned-sigma.actlab.json');
  const mlp = load('nrelu-mlp.actlab.json');
  assert.deepEqual(ls.arms.map((a) => a.armId).sort(), ['nrelu-010', 'sigma-fixed', 'sigma-learned']);
  assert.deepEqual(ls.jobs[0]!.model, mlp.jobs[0]!.model);
  assert.deepEqual(ls.jobs[0]!.data, mlp.jobs[0]!.data);
  assert.deepEqual(ls.jobs[0]!.training, mlp.jobs[0]!.training);
  assert.deepEqual([...new Set(ls.jobs.map((j) => j.seed))], [...new Set(mlp.jobs.map((j) => j.seed))]);
});
