/**
 * `type: "expr"` end to end at job level: an expression equal to a built-in gives the same
 * epoch metrics for the same config and seed (within 1e-4 relative), learnable parameters are
 * trained and reported, and a scheduled parameter takes the loop's per-step σ.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActivationSpec, JobSpec } from '../../../src/core/config';
import type { EpochEvent, TrainerEvent } from '../../../src/core/protocol';
import { runJob } from '../../../src/trainer/loop';
import { NRELU_SPEC, constant, tinyJob } from '../../fixtures/trainer/jobs';

const expr = (text: string, params: Extract<ActivationSpec, { type: 'expr' }>['params'] = {}): ActivationSpec =>
  ({ type: 'expr', expr: text, params, inference: 'deterministic' });

async function epochs(job: JobSpec): Promise<EpochEvent[]> {
  const events: TrainerEvent[] = [];
  await runJob(job, (e) => { events.push(e); }, { cancelled: () => false });
  const end = events.at(-1);
  assert.ok(end?.type === 'jobEnd' && end.status === 'completed', `job completed: ${JSON.stringify(end)}`);
  return events.filter((e): e is EpochEvent => e.type === 'epoch');
}

const METRICS = ['trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy'] as const;

/** Largest relative difference of the epoch metrics, over epochs. */
function maxRelDiff(a: EpochEvent[], b: EpochEvent[]): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  a.forEach((e, i) => {
    for (const m of METRICS) {
      const x = e[m];
      const y = b[i]![m];
      if (x === undefined || y === undefined) continue;
      worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(y), 1e-12));
    }
  });
  return worst;
}

const CASES: ReadonlyArray<{ name: string; builtIn: ActivationSpec; expression: ActivationSpec }> = [
  { name: 'x * sigmoid(x) ≡ silu', builtIn: { type: 'silu' }, expression: expr('x * sigmoid(x)') },
  { name: 'max(x, 0.01 * x) ≡ leakyRelu α 0.01', builtIn: { type: 'leakyRelu', alpha: 0.01, rescale: false }, expression: expr('max(x, 0.01 * x)') },
  { name: 'x * Phi(x) ≡ gelu', builtIn: { type: 'gelu' }, expression: expr('x * Phi(x)') },
];

for (const c of CASES) for (const backend of ['cpu', 'wasm'] as const) {
  test(`equivalence at job level on ${backend}: ${c.name} (same config and seed: epoch metrics within 1e-4 relative)`, async () => {
    const a = await epochs(tinyJob({ activation: c.expression, seed: 7, backend }));
    const b = await epochs(tinyJob({ activation: c.builtIn, seed: 7, backend }));
    const d = maxRelDiff(a, b);
    console.log(`# ${backend} ${c.name}: max relative difference ${d.toExponential(2)}`);
    assert.ok(d <= 1e-4, `relative difference ${d}`);
  });
}

test('x > 0 ? x : sigma * randn() trains as N-ReLU (same seed: the same noise numbers)', async () => {
  const a = await epochs(tinyJob({ activation: expr('x > 0 ? x : sigma * randn()', { sigma: constant(0.1) }), seed: 3 }));
  const b = await epochs(tinyJob({ activation: NRELU_SPEC, seed: 3 }));
  const d = maxRelDiff(a, b);
  console.log(`# nrelu as expression: max relative difference ${d.toExponential(2)}`);
  assert.ok(Math.abs(a.at(-1)!.testAccuracy! - b.at(-1)!.testAccuracy!) <= 0.05, 'final accuracy within seed noise');
  assert.deepEqual(a.map((e) => e.sigma), b.map((e) => e.sigma), 'the schedule reaches the expression as σ');
});

test('a learnable parameter is a trained variable; per unit gives one per unit', async () => {
  const job = tinyJob({ activation: expr('max(x, a * x)', { a: { init: 0.25, learnable: true, per: 'layer' } }) });
  const e = await epochs(job);
  assert.equal(e.length, 2);
  const a = e.map((x) => x.params?.a);
  assert.ok(a.every((v) => typeof v === 'number' && Number.isFinite(v)), JSON.stringify(a));
  assert.notEqual(a[1], 0.25, 'the optimizer trained it');
  const perUnit = await epochs(tinyJob({ activation: expr('x > 0 ? x : s * x', { s: { init: 0.1, learnable: true, per: 'unit' } }) }));
  const s = perUnit.at(-1)!.params?.s;
  assert.ok(typeof s === 'object' && s.min <= s.mean && s.mean <= s.max && s.min < s.max, JSON.stringify(s));
  const noisy = await epochs(tinyJob({ activation: expr('x > 0 ? x : s * randn()', { s: { init: 0.1, learnable: true, per: 'unit' } }) }));
  const sn = noisy.at(-1)!.params?.s;
  assert.ok(typeof sn === 'object' && Number.isFinite(sn.mean) && sn.min < sn.max, `a noise scale trained through its draws: ${JSON.stringify(sn)}`);
  const none = await epochs(tinyJob({ training: { epochs: 1 } }));
  assert.equal(none[0]!.params, undefined, 'no params field without learnable parameters');
});

test('the comparison is not vacuous: a different expression gives different metrics', async () => {
  const a = await epochs(tinyJob({ activation: expr('relu(x)'), seed: 7 }));
  const b = await epochs(tinyJob({ activation: { type: 'silu' }, seed: 7 }));
  assert.ok(maxRelDiff(a, b) > 1e-3);
});
