/** The `type: "expr"` registry entry in core: expansion of named sweeps, resolution, σ, stochasticity, validation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drivingSchedule, trainsStochastically, activationPoint, negativeSlope } from '../../../src/core/activations';
import { validateConfigText } from '../../../src/core/validate';
import { resolveConfig } from '../../../src/core/expand';
import type { ActivationSpec } from '../../../src/core/config';

const config = (activations: unknown[]): string => JSON.stringify({
  name: 't', data: { dataset: 'mnist', trainSize: 100, testSize: 50 }, model: { type: 'mlp', hidden: [8] }, activations, training: { epochs: 2 },
}, null, 2);

const CONTRACT = [
  { id: 'swish', type: 'expr', expr: 'x * sigmoid(beta * x)', params: { beta: 1.5 } },
  { id: 'swish-sweep', type: 'expr', expr: 'x * sigmoid(beta * x)', params: { beta: { sweep: [0.5, 1, 2] } } },
  { id: 'my-nrelu', type: 'expr', expr: 'x > 0 ? x : sigma * randn()', params: { sigma: { schedule: 'cosine', start: 0.2, end: 0 } }, inference: 'deterministic' },
  { id: 'learned-leak', type: 'expr', expr: 'max(x, a * x)', params: { a: { init: 0.25, learnable: true } } },
  { id: 'learned-sigma', type: 'expr', expr: 'x > 0 ? x : s * randn()', params: { s: { init: 0.1, learnable: true, per: 'unit' } } },
];

test('the contract\'s entries validate and expand: named sweeps make arms keyed by the name', () => {
  const r = validateConfigText(config(CONTRACT));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.message), []);
  assert.ok(r.config);
  const resolved = resolveConfig(r.config);
  assert.deepEqual(resolved.arms.map((a) => a.armId), ['swish', 'swish-sweep[beta=0.5]', 'swish-sweep[beta=1]', 'swish-sweep[beta=2]', 'my-nrelu', 'learned-leak', 'learned-sigma']);
  const byArm = Object.fromEntries(resolved.arms.map((a) => [a.armId, a.activation as Extract<ActivationSpec, { type: 'expr' }>]));
  assert.deepEqual(byArm['swish-sweep[beta=2]']!.params, { beta: 2 });
  assert.deepEqual(resolved.arms[1]!.sweep, { beta: 0.5 });
  assert.deepEqual(byArm['learned-leak']!.params, { a: { init: 0.25, learnable: true, per: 'layer' } });
  assert.deepEqual(byArm['learned-sigma']!.params, { s: { init: 0.1, learnable: true, per: 'unit' } });
  const nrelu = byArm['my-nrelu']!;
  assert.equal(drivingSchedule(nrelu)?.kind, 'cosine', 'the scheduled parameter is the job\'s σ');
  assert.equal(drivingSchedule(byArm.swish!), undefined);
  assert.equal(trainsStochastically(nrelu), true);
  assert.equal(trainsStochastically(byArm['learned-sigma']!), true);
  assert.equal(trainsStochastically(byArm.swish!), false);
  assert.equal(negativeSlope(byArm['learned-leak']!), 0.25);
  assert.equal(negativeSlope(byArm.swish!), 0);
});

test('curve points: f, f′ by dual numbers, and a Monte-Carlo band for noise', () => {
  const swish: ActivationSpec = { type: 'expr', expr: 'x * sigmoid(beta * x)', params: { beta: 1.5 }, inference: 'deterministic' };
  const p = activationPoint(swish, 1);
  const s = 1 / (1 + Math.exp(-1.5));
  assert.ok(Math.abs(p.f - s) < 1e-12);
  assert.ok(Math.abs(p.df - (s + 1.5 * s * (1 - s))) < 1e-12);
  const noisy: ActivationSpec = { type: 'expr', expr: 'x > 0 ? x : sigma * randn()', params: { sigma: { kind: 'constant', start: 0.2, end: 0.2, per: 'epoch', every: 1, factor: 1 } }, inference: 'deterministic' };
  const q = activationPoint(noisy, -1, 0.2);
  assert.equal(q.f, 0);
  assert.ok(q.lo < -0.25 && q.hi > 0.25 && Math.abs(q.mean) < 0.05, JSON.stringify(q));
});

test('validation: two schedules, a parameter named like a training sweep, an unused parameter', () => {
  const r = validateConfigText(config([
    { id: 'two', type: 'expr', expr: 'a * x + b', params: { a: { schedule: 'linear', start: 1, end: 0 }, b: { schedule: 'linear', start: 1, end: 0 } } },
    { id: 'lr', type: 'expr', expr: 'lr * x', params: { lr: 1 } },
    { id: 'unused', type: 'expr', expr: 'x', params: { k: 1 } },
  ]));
  const codes = r.diagnostics.map((d) => `${d.severity}:${d.code}`);
  assert.ok(codes.includes('error:expr-two-schedules'), codes.join());
  assert.ok(codes.includes('error:expr-bad-param-name'), codes.join());
  assert.ok(codes.includes('warning:expr-unused-param'), codes.join());
});
