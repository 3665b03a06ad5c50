import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActlabEvent, LayerProbe } from '../../../src/core/protocol';
import { combineJobStatuses, summarize } from '../../../src/core/summary';
import { fakeConfig, fakeJob } from '../runner/fixtures';

const close = (a: number | undefined, b: number, tol = 1e-9): void => assert.ok(a !== undefined && Math.abs(a - b) <= tol, `${a} ≉ ${b}`);
const t = 0;
const v = 1 as const;

const start = (jobId: string): ActlabEvent => ({
  type: 'jobStart', v, t, jobId, backend: { name: 'wasm', notes: [] }, parameters: 10, stepsPerEpoch: 1, epochs: 2, trainSize: 1, testSize: 1,
});
const epoch = (jobId: string, e: number, testAccuracy: number | undefined, testLoss: number, trainLoss: number, samplesPerSec = 100): ActlabEvent => ({
  type: 'epoch', v, t, jobId, epoch: e, step: e, trainLoss, testLoss, testAccuracy, seconds: 1, samplesPerSec,
});
const layer = (name: string, units: number, deadMean: number, deadGrad: number): LayerProbe => ({
  layer: name, units, deadMean, deadGrad, meanActivation: 0, fracPositive: [], gradNorm: 0,
});
const probe = (jobId: string, e: number, layers: LayerProbe[]): ActlabEvent => ({ type: 'probe', v, t, jobId, epoch: e, layers, ms: 1 });
const end = (jobId: string, status: 'completed' | 'diverged' | 'failed' | 'cancelled', seconds: number): ActlabEvent => ({
  type: 'jobEnd', v, t, jobId, status, epoch: 2, step: 2, seconds,
});

const config = fakeConfig('sum', [
  fakeJob('relu', 0, {}), fakeJob('relu', 1, {}),
  fakeJob('gelu', 0, { lr: 0.1 }), fakeJob('gelu', 1, { lr: 0.1 }),
  fakeJob('nrelu', 0, {}),
]);

const events: ActlabEvent[] = [
  { type: 'runStart', v, t, runId: 'r1', name: 'sum', jobIds: config.jobs.map((j) => j.jobId), parallel: 2 },
  start('relu#0'), probe('relu#0', 0, [layer('dense1', 4, 0, 0), layer('dense2', 2, 0, 0)]),
  epoch('relu#0', 1, 0.9, 0.4, 0.5, 100), epoch('relu#0', 2, 0.88, 0.45, 0.3, 200),
  probe('relu#0', 2, [layer('dense1', 4, 0.5, 0.75), layer('dense2', 2, 0, 0.5)]),
  end('relu#0', 'completed', 10),
  start('relu#1'), epoch('relu#1', 1, 0.92, 0.35, 0.45), epoch('relu#1', 2, 0.94, 0.3, 0.25),
  probe('relu#1', 2, [layer('dense1', 4, 0.25, 0.25), layer('dense2', 2, 0.5, 0.5)]),
  end('relu#1', 'completed', 14),
  start('gelu#0'), epoch('gelu#0', 1, 0.95, 0.2, 0.2), end('gelu#0', 'completed', 5),
  start('gelu#1'), epoch('gelu#1', 1, 0.5, Number.NaN, 3), end('gelu#1', 'diverged', 1),
];

test('per-arm stats over seeds: final, best, losses, dead units, time', () => {
  const s = summarize(config, events);
  assert.equal(s.runId, 'r1');
  assert.equal(s.status, 'running'); // nrelu#0 has not ended and there is no runEnd
  const relu = s.arms.find((a) => a.armId === 'relu');
  assert.ok(relu);
  assert.equal(relu.jobs, 2);
  assert.equal(relu.completed, 2);
  // final: 0.88, 0.94 → mean 0.91, sd √((0.03² + 0.03²)/1) = 0.0424264
  close(relu.finalTestAccuracy?.mean, 0.91);
  close(relu.finalTestAccuracy?.std, Math.sqrt(0.0018));
  assert.equal(relu.finalTestAccuracy?.n, 2);
  close(relu.finalTestAccuracy?.min, 0.88);
  close(relu.finalTestAccuracy?.max, 0.94);
  // best per job: 0.90 (epoch 1), 0.94 → mean 0.92
  close(relu.bestTestAccuracy?.mean, 0.92);
  close(relu.finalTestLoss?.mean, 0.375);
  close(relu.bestTestLoss?.mean, 0.35);
  close(relu.finalTrainLoss?.mean, 0.275);
  // last probe, unit-weighted over 4 + 2 units: relu#0 (2+0)/6, (3+1)/6; relu#1 (1+1)/6, (1+1)/6
  close(relu.deadMean?.mean, 1 / 3);
  close(relu.deadMean?.std, 0);
  close(relu.deadGrad?.mean, 0.5);
  assert.deepEqual(relu.deadByLayer?.map((l) => l.layer), ['dense1', 'dense2']);
  close(relu.deadByLayer?.[0].deadMean.mean, 0.375);
  close(relu.deadByLayer?.[1].deadGrad.mean, 0.5);
  close(relu.seconds?.mean, 12);
  close(relu.samplesPerSec?.mean, (150 + 100) / 2);
  assert.equal(relu.backend, 'wasm');
});

test('diverged jobs count in statuses but not in the metrics; queued jobs show as queued', () => {
  const s = summarize(config, events, 'given-id');
  assert.equal(s.runId, 'given-id');
  const gelu = s.arms.find((a) => a.armId === 'gelu');
  assert.ok(gelu);
  assert.deepEqual(gelu.statuses, { 'gelu#0': 'completed', 'gelu#1': 'diverged' });
  assert.equal(gelu.completed, 1);
  assert.equal(gelu.finalTestAccuracy?.n, 1);
  close(gelu.finalTestAccuracy?.mean, 0.95);
  assert.equal(gelu.finalTestAccuracy?.std, 0);
  assert.deepEqual(gelu.sweep, { lr: 0.1 });
  const nrelu = s.arms.find((a) => a.armId === 'nrelu');
  assert.deepEqual(nrelu?.statuses, { 'nrelu#0': 'queued' });
  assert.equal(nrelu?.finalTestAccuracy, undefined);
  assert.deepEqual(s.best, { armId: 'gelu', metric: 'testAccuracy', value: 0.95 });
});

test('run status: from runEnd, else from job endings once all ended', () => {
  const all = [...events, start('nrelu#0'), end('nrelu#0', 'completed', 2)];
  assert.equal(summarize(config, all).status, 'diverged');
  assert.equal(summarize(config, [...all, { type: 'runEnd', v, t, runId: 'r1', status: 'cancelled', seconds: 1 }]).status, 'cancelled');
  assert.equal(combineJobStatuses(['completed', 'completed']), 'completed');
  assert.equal(combineJobStatuses(['diverged', 'failed', 'completed']), 'failed');
  assert.equal(combineJobStatuses(['failed', 'cancelled']), 'cancelled');
});

test('regression: no accuracy; the best arm has the lowest final test loss', () => {
  const cfg = fakeConfig('reg', [fakeJob('a', 0, {}), fakeJob('a', 1, {}), fakeJob('b', 0, {})]);
  const ev: ActlabEvent[] = [
    start('a#0'), epoch('a#0', 1, undefined, 0.5, 0.6), end('a#0', 'completed', 1),
    start('a#1'), epoch('a#1', 1, undefined, 0.3, 0.4), end('a#1', 'completed', 1),
    start('b#0'), epoch('b#0', 1, undefined, 0.45, 0.5), end('b#0', 'completed', 1),
  ];
  const s = summarize(cfg, ev, 'r');
  assert.equal(s.status, 'completed');
  assert.equal(s.arms[0].finalTestAccuracy, undefined);
  assert.equal(s.arms[0].bestTestAccuracy, undefined);
  close(s.arms[0].finalTestLoss?.mean, 0.4);
  assert.equal(s.best?.metric, 'testLoss');
  assert.equal(s.best?.armId, 'a');
  close(s.best?.value, 0.4);
});

test('a stopped arm with no completed job falls back to its last finished epoch, marked partial', () => {
  const cfg = fakeConfig('stop', [fakeJob('a', 0, {}), fakeJob('a', 1, {}), fakeJob('b', 0, {}), fakeJob('b', 1, {})]);
  const ev: ActlabEvent[] = [
    start('a#0'), epoch('a#0', 1, 0.8, 0.6, 0.7), epoch('a#0', 2, 0.85, 0.5, 0.6), end('a#0', 'completed', 4),
    start('a#1'), epoch('a#1', 1, 0.9, 0.4, 0.5), end('a#1', 'cancelled', 2),
    start('b#0'), epoch('b#0', 1, 0.97, 0.2, 0.3),
    probe('b#0', 1, [layer('dense1', 4, 0.25, 0.5)]),
    epoch('b#0', 2, 0.96, 0.25, 0.2), end('b#0', 'cancelled', 3),
    start('b#1'), end('b#1', 'cancelled', 0.5),
    { type: 'runEnd', v, t, runId: 'r', status: 'cancelled', seconds: 5 },
  ];
  const s = summarize(cfg, ev, 'r');
  assert.equal(s.status, 'cancelled');

  // b: cancelled only; its numbers are b#0's last epoch event (b#1 never finished an epoch).
  const b = s.arms.find((x) => x.armId === 'b')!;
  assert.equal(b.partial, true);
  assert.equal(b.completed, 0);
  assert.deepEqual(b.epochsDone, { min: 2, max: 2, planned: 2 });
  assert.equal(b.finalTestAccuracy?.n, 1);
  close(b.finalTestAccuracy?.mean, 0.96);
  close(b.bestTestAccuracy?.mean, 0.97);
  close(b.finalTestLoss?.mean, 0.25);
  close(b.bestTestLoss?.mean, 0.2);
  close(b.finalTrainLoss?.mean, 0.2);
  close(b.deadMean?.mean, 0.25);
  close(b.deadGrad?.mean, 0.5);
  close(b.seconds?.mean, 3);

  // a: one completed seed, so the cancelled seed is left out of the mean.
  const a = s.arms.find((x) => x.armId === 'a')!;
  assert.equal(a.partial, undefined);
  assert.equal(a.finalTestAccuracy?.n, 1);
  close(a.finalTestAccuracy?.mean, 0.85);
  close(a.bestTestAccuracy?.mean, 0.85);
  close(a.seconds?.mean, 4);
  assert.deepEqual(a.epochsDone, { min: 2, max: 2, planned: 2 });

  // b's 96 % beats a's 85 %, but a stopped arm is never the best.
  assert.deepEqual(s.best, { armId: 'a', metric: 'testAccuracy', value: 0.85 });
});

test('partial values over several stopped seeds: epochs done min–max; no best when every arm is partial', () => {
  const cfg = fakeConfig('crash', [fakeJob('a', 0, {}), fakeJob('a', 1, {})]);
  const ev: ActlabEvent[] = [
    start('a#0'), epoch('a#0', 1, 0.5, 1, 1), end('a#0', 'failed', 1),
    start('a#1'), epoch('a#1', 1, 0.6, 0.9, 0.9), epoch('a#1', 2, 0.7, 0.8, 0.8), end('a#1', 'cancelled', 2),
  ];
  const s = summarize(cfg, ev, 'r');
  const a = s.arms[0]!;
  assert.equal(a.partial, true);
  assert.deepEqual(a.epochsDone, { min: 1, max: 2, planned: 2 });
  close(a.finalTestAccuracy?.mean, 0.6);
  assert.equal(a.finalTestAccuracy?.n, 2);
  assert.equal(s.best, undefined);
  // A queued arm (nothing started) is neither partial nor given numbers.
  const q = summarize(cfg, [], 'r').arms[0]!;
  assert.equal(q.partial, undefined);
  assert.equal(q.epochsDone, undefined);
  assert.equal(q.finalTestAccuracy, undefined);
});

test('the backend column names the thread count of data-parallel jobs', () => {
  const job = (jobId: string, threads?: number): ActlabEvent[] => [
    { ...(start(jobId) as Extract<ActlabEvent, { type: 'jobStart' }>), ...(threads === undefined ? {} : { threads }) },
    epoch(jobId, 1, 0.5, 1, 1), end(jobId, 'completed', 1),
  ];
  const s = summarize(config, [...job('relu#0', 2), ...job('relu#1', 2), ...job('gelu#0', 1), ...job('gelu#1')], 'x');
  assert.equal(s.arms.find((a) => a.armId === 'relu')?.backend, 'wasm ×2');
  assert.equal(s.arms.find((a) => a.armId === 'gelu')?.backend, 'wasm');
});

test('learnable expression parameters: the final epoch\'s value per job (a per-unit mean), over seeds', () => {
  const cfg = fakeConfig('p', [fakeJob('leak', 0, {}), fakeJob('leak', 1, {})]);
  const withParams = (jobId: string, e: number, params: NonNullable<Extract<ActlabEvent, { type: 'epoch' }>['params']>): ActlabEvent =>
    ({ ...(epoch(jobId, e, 0.9, 0.3, 0.3) as Extract<ActlabEvent, { type: 'epoch' }>), params });
  const s = summarize(cfg, [
    start('leak#0'), withParams('leak#0', 1, { a: 0.2 }), withParams('leak#0', 2, { a: 0.3, s: { mean: 0.1, min: 0, max: 0.2 } }), end('leak#0', 'completed', 1),
    start('leak#1'), withParams('leak#1', 2, { a: 0.5 }), end('leak#1', 'completed', 1),
  ]);
  const arm = s.arms[0]!;
  close(arm.params?.a?.mean, 0.4);
  assert.equal(arm.params?.a?.n, 2);
  close(arm.params?.s?.mean, 0.1);
  assert.equal(summarize(config, events).arms[0]!.params, undefined);
});

test('vsBest: each ranked arm against the best on final test accuracy (Welch CI, tie = CI contains 0)', () => {
  const s = summarize(config, events);
  // best is gelu (0.95) with one finite seed: every comparison needs ≥ 2 seeds.
  const relu = s.arms.find((a) => a.armId === 'relu')!;
  assert.equal(relu.vsBest?.tied, undefined);
  assert.equal(relu.vsBest?.reason, 'needs ≥ 2 seeds');
  close(relu.vsBest?.diff, 0.91 - 0.95);
  assert.deepEqual(s.arms.find((a) => a.armId === 'gelu')!.vsBest, { diff: 0, ci95: [0, 0], tied: true });
  assert.equal(s.arms.find((a) => a.armId === 'nrelu')!.vsBest, undefined);
});
