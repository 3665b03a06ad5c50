import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskingSection } from '../../../scripts/reproduce/masking';
import type { SmoothPoint } from '../../../scripts/reproduce/numeric';
import type { StudyRun } from '../../../scripts/reproduce/runs';

const T = 200;
/** Clean loss: the same start and initial rate for every κ, a floor rising with κ; the masked loss is the reverse of the floors' order. */
function job(kappa: number, lr: number, seed: number) {
  const clean = (t: number) => Math.exp(-0.05 * t) + kappa * 0.1 + (kappa === 0 ? 0.1 * Math.exp(-0.005 * t) : 0.05);
  const spec = {
    jobId: `k${kappa}-lr${lr}#${seed}`, armId: `k${kappa}-lr${lr}`, seed, sweep: { kappa, lr },
    data: { dataset: 'teacher', d: 20, width: 100, trainSize: 500, testSize: 500, n: 1000, noise: 0, kappa },
    model: { type: 'mlp', hidden: [100], init: 'he', bias: false, parameterization: 'ntk', outputInit: 'sign', freeze: ['output'] },
    activation: { type: 'relu' },
    training: { epochs: T, batchSize: 500, optimizer: 'sgd', learningRate: lr, momentum: 0, loss: 'mse' },
    probes: { samples: 16, every: 50, deadThreshold: 1e-5, stepEventMs: 0 }, backend: 'cpu',
  };
  // The trainer's trainLoss is the pass before the step (clean at κ = 0), cleanTrainLoss the one after.
  const history = Array.from({ length: T }, (_, i) => ({
    epoch: i + 1, trainLoss: kappa === 0 ? clean(i) : 1 - kappa * 0.1, testLoss: 1, seconds: 0,
    ...(kappa > 0 ? { cleanTrainLoss: clean(i + 1) } : {}),
  }));
  return { spec, status: 'completed', history, probes: [], start: { backend: { name: 'cpu' } } };
}

test('masking: the verdict is decided on the clean training loss, at the lr equivalent to the paper\'s', () => {
  const jobs = [0, 0.2, 1].flatMap((k) => [1, 2].flatMap((s) => [job(k, 1.25, s), job(k, 0.005, s)]));
  const run = { runDir: '', config: { jobs: jobs.map((j) => j.spec), arms: [] }, jobs, status: 'completed', seconds: 60, state: {} } as unknown as StudyRun;
  const pts: SmoothPoint[] = [{ z: 0, closed: 0.4, mc: 0.4, se: 0.01, seExact: 0.01, proxy: 0 } as SmoothPoint];
  const dir = mkdtempSync(join(tmpdir(), 'mask-'));
  try {
    const s = maskingSection(new Map([[0.5, pts]]), 1000, run, { dir, rel: 'figures' });
    assert.equal(s.verdict, 'reproduced', s.why);
    assert.match(s.markdown, /Learning rate 1\.25:/);
    assert.match(s.markdown, /At the literal learning rate 0\.005/);
    assert.match(s.markdown, /For comparison only[^\n]*rises with κ: no/);
    assert.ok(s.markdown.indexOf('**Criteria**') < s.markdown.indexOf('| κ |'), 'the criteria come before the numbers');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
