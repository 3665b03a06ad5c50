import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plannedPerEpoch, scheduleAt, scheduleValue, toSchedule } from '../../../src/core/schedules';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} ≉ ${b}`);

test('constant: a number is a constant schedule', () => {
  const s = toSchedule(0.05);
  assert.equal(s.kind, 'constant');
  for (const t of [0, 3, 10]) assert.equal(scheduleValue(s, t, 10), 0.05);
});

test('cosine: σ_0 = start, σ_T = end, σ_{T/2} = (start+end)/2, monotone in between', () => {
  const s = toSchedule({ schedule: 'cosine', start: 0.2, end: 0 });
  const T = 10;
  close(scheduleValue(s, 0, T), 0.2);
  close(scheduleValue(s, T, T), 0);
  close(scheduleValue(s, T / 2, T), 0.1);
  // Eq. 9: σ_t = σ_end + ½(σ_start − σ_end)(1 + cos(π t/T)).
  close(scheduleValue(s, 2, T), 0.5 * 0.2 * (1 + Math.cos((Math.PI * 2) / T)));
  for (let t = 1; t <= T; t++) assert.ok(scheduleValue(s, t, T) < scheduleValue(s, t - 1, T));
  // Rising schedules work too, and t is clamped.
  const up = toSchedule({ schedule: 'cosine', start: 0.1, end: 0.3 });
  close(scheduleValue(up, 5, 10), 0.2);
  close(scheduleValue(up, 20, 10), 0.3);
  close(scheduleValue(up, -1, 10), 0.1);
});

test('linear: straight line from start to end', () => {
  const s = toSchedule({ schedule: 'linear', start: 1, end: 0 });
  close(scheduleValue(s, 0, 4), 1);
  close(scheduleValue(s, 1, 4), 0.75);
  close(scheduleValue(s, 4, 4), 0);
});

test('exponential: geometric interpolation; an end of 0 is reached at T', () => {
  const s = toSchedule({ schedule: 'exponential', start: 0.1, end: 0.001 });
  close(scheduleValue(s, 0, 2), 0.1);
  close(scheduleValue(s, 1, 2), 0.01);
  close(scheduleValue(s, 2, 2), 0.001);
  const z = toSchedule({ schedule: 'exponential', start: 0.1, end: 0 });
  assert.equal(scheduleValue(z, 2, 2), 0);
  assert.ok(scheduleValue(z, 1, 2) > 0 && scheduleValue(z, 1, 2) < 0.1);
});

test('step: multiply by factor every `every` units (defaults factor 0.5, every 1)', () => {
  const s = toSchedule({ schedule: 'step', start: 0.2, every: 2, factor: 0.5 });
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((t) => scheduleValue(s, t, 5)), [0.2, 0.2, 0.1, 0.1, 0.05, 0.05]);
  const d = toSchedule({ schedule: 'step', start: 1 });
  assert.deepEqual([0, 1, 2].map((t) => scheduleValue(d, t, 2)), [1, 0.5, 0.25]);
});

test('scheduleAt: per-epoch schedules run over epochs, per-step ones over global steps', () => {
  const epochs = 5;
  const stepsPerEpoch = 10;
  const total = epochs * stepsPerEpoch;
  const perEpoch = toSchedule({ schedule: 'linear', start: 1, end: 0 });
  // Constant within an epoch; the last epoch reaches the end value.
  assert.equal(scheduleAt(perEpoch, 2, 20, epochs, total), scheduleAt(perEpoch, 2, 29, epochs, total));
  close(scheduleAt(perEpoch, 2, 25, epochs, total), 0.5);
  close(scheduleAt(perEpoch, epochs - 1, total - 1, epochs, total), 0);
  const perStep = toSchedule({ schedule: 'linear', start: 1, end: 0, per: 'step' });
  close(scheduleAt(perStep, 0, 0, epochs, total), 1);
  close(scheduleAt(perStep, 2, 20, epochs, total), 1 - 20 / (total - 1));
  assert.notEqual(scheduleAt(perStep, 2, 20, epochs, total), scheduleAt(perStep, 2, 29, epochs, total));
  close(scheduleAt(perStep, epochs - 1, total - 1, epochs, total), 0);
});

test('plannedPerEpoch: one value per epoch, per-step schedules sampled at each epoch start', () => {
  const cos = toSchedule({ schedule: 'cosine', start: 0.2, end: 0 });
  const plan = plannedPerEpoch(cos, 5, 3);
  assert.equal(plan.length, 5);
  close(plan[0], 0.2);
  close(plan[2], 0.1);
  close(plan[4], 0);
  const perStep = plannedPerEpoch(toSchedule({ schedule: 'linear', start: 1, end: 0, per: 'step' }), 2, 5);
  close(perStep[0], 1);
  close(perStep[1], 1 - 5 / 9);
  // One epoch: T = 0, the start value.
  assert.deepEqual(plannedPerEpoch(cos, 1, 3), [0.2]);
});
