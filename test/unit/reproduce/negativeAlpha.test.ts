import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { negativeAlphaFaithfulSection } from '../../../scripts/reproduce/negativeAlpha';
import type { StudyRun } from '../../../scripts/reproduce/runs';

/** A job whose training loss decays as e^(−rate·t) (or diverges), enough for the section. */
function job(alpha: number, lr: number, depth: number, seed: number, rate: number | 'diverged') {
  const epochs = 20;
  const spec = {
    jobId: `a${alpha}-lr${lr}-L${depth}#${seed}`, armId: `a${alpha}-lr${lr}-L${depth}`, seed, sweep: { alpha, lr },
    data: { dataset: 'teacher', d: 20, width: 100, trainSize: 200, testSize: 200, n: 400, noise: 0, kappa: 0, inputs: 'sphere', appendConstant: Math.SQRT1_2 },
    model: { type: 'mlp', hidden: Array.from({ length: depth + 1 }, () => 8), init: 'rescaled', bias: false, freeze: ['input', 'output'] },
    activation: { type: 'leakyRelu', alpha },
    training: { epochs, batchSize: 200, optimizer: 'sgd', learningRate: lr, momentum: 0, loss: 'mse' },
    probes: { samples: 16, every: 50, deadThreshold: 1e-5, stepEventMs: 0 }, backend: 'cpu',
  };
  const n = rate === 'diverged' ? 3 : epochs;
  const history = Array.from({ length: n }, (_, t) => ({ epoch: t + 1, trainLoss: rate === 'diverged' ? 10 ** t : Math.exp(-rate * t), testLoss: 1, seconds: 0 }));
  return { spec, status: rate === 'diverged' ? 'diverged' : 'completed', history, probes: [], start: { backend: { name: 'cpu' } } };
}

test('negative α, faithful: each α at its best non-diverged lr, one rate check per depth', () => {
  const jobs = [];
  for (const seed of [1, 2]) {
    const eps = seed * 1e-4;
    // L = 1: α = 0 is faster; L = 2: α = −1 is fastest at lr 0.1, and its lr 0.3 diverged.
    jobs.push(job(-1, 0.1, 1, seed, 0.01 + eps), job(0, 0.1, 1, seed, 0.02 + eps));
    jobs.push(job(-1, 0.1, 2, seed, 0.05 + eps), job(-1, 0.3, 2, seed, 'diverged'), job(0, 0.1, 2, seed, 0.03 + eps), job(0, 0.3, 2, seed, 0.04 + eps));
  }
  const run = { runDir: '', config: { jobs: jobs.map((j) => j.spec), arms: [] }, jobs, status: 'completed', seconds: 60, state: {} } as unknown as StudyRun;
  const dir = mkdtempSync(join(tmpdir(), 'na-'));
  try {
    const s = negativeAlphaFaithfulSection(run, { dir, rel: 'figures' });
    assert.equal(s.verdict, 'partly reproduced');
    assert.match(s.markdown, /\| 2 \| -1 \| 0\.1 \| 5\.0\de-2/);
    assert.match(s.markdown, /\| 2 \| 0 \| 0\.3 \(grid edge\) \|/);
    assert.match(s.markdown, /\| 2 \| -1 \| 0\.1 [^\n]*\| 0\.3 \|$/m);
    assert.ok(s.markdown.indexOf('**Criterion**') < s.markdown.indexOf('| L | α |'), 'the criterion comes before the numbers');
    assert.match(s.markdown, /backend cpu/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
