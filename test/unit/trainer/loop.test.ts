import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { JobSpec } from '../../../src/core/config';
import { decodeEventLine, encodeEvent, parseEvent, type EpochEvent, type JobEndEvent, type StepEvent, type TrainerEvent } from '../../../src/core/protocol';
import { runJob } from '../../../src/trainer/loop';
import { NRELU_SPEC, teacherData, tinyJob } from '../../fixtures/trainer/jobs';

async function run(job: JobSpec, cancelWhen?: (events: TrainerEvent[]) => boolean): Promise<TrainerEvent[]> {
  const events: TrainerEvent[] = [];
  await runJob(job, (e) => { events.push(e); }, { cancelled: () => cancelWhen?.(events) ?? false });
  return events;
}

const ofType = <T extends TrainerEvent['type']>(events: TrainerEvent[], type: T) =>
  events.filter((e): e is Extract<TrainerEvent, { type: T }> => e.type === type);
const lastEnd = (events: TrainerEvent[]): JobEndEvent => {
  const ends = ofType(events, 'jobEnd');
  assert.equal(ends.length, 1, 'exactly one jobEnd');
  assert.equal(events.at(-1), ends[0], 'jobEnd is the last event');
  return ends[0]!;
};

test('a tiny job emits jobStart, probe 0, then steps, epoch and probe per epoch, then jobEnd', async () => {
  const events = await run(tinyJob());
  const shape = events.map((e) => (e.type === 'probe' || e.type === 'epoch' ? `${e.type}${e.epoch}` : e.type));
  const steps = Array<string>(6).fill('step');
  assert.deepEqual(shape, ['jobStart', 'probe0', ...steps, 'epoch1', 'probe1', ...steps, 'epoch2', 'probe2', 'jobEnd']);
  for (const e of events) {
    assert.equal(typeof parseEvent(e), 'object', `valid ${e.type}`);
    assert.deepEqual(decodeEventLine(encodeEvent(e)), e, `${e.type} survives JSON lines`);
  }
  const start = ofType(events, 'jobStart')[0]!;
  assert.deepEqual([start.stepsPerEpoch, start.epochs, start.trainSize, start.testSize, start.parameters], [6, 2, 300, 100, 784 * 16 + 16 + 170]);
  assert.equal(start.backend.name, 'cpu');
  assert.deepEqual(ofType(events, 'step').map((s) => [s.epoch, s.step]), Array.from({ length: 12 }, (_, i) => [i < 6 ? 1 : 2, i]));
  const epochs = ofType(events, 'epoch');
  assert.deepEqual(epochs.map((e) => e.step), [6, 12]);
  for (const e of epochs) {
    assert.ok(e.trainAccuracy! >= 0 && e.trainAccuracy! <= 1 && e.testAccuracy! >= 0 && e.testAccuracy! <= 1);
    assert.ok(e.samplesPerSec > 0 && e.seconds > 0 && e.sigma === undefined);
  }
  assert.ok(epochs[1]!.trainLoss < epochs[0]!.trainLoss, 'it learns');
  const stepLosses = ofType(events, 'step').slice(0, 6).map((s) => s.loss);
  assert.ok(Math.abs(epochs[0]!.trainLoss - stepLosses.reduce((a, b) => a + b, 0) / 6) < 1e-9, 'trainLoss is the mean batch loss');
  const end = lastEnd(events);
  assert.deepEqual([end.status, end.epoch, end.step], ['completed', 2, 12]);
  const probe = ofType(events, 'probe')[0]!;
  assert.deepEqual(probe.layers.map((l) => [l.layer, l.units, l.fracPositive.length]), [['dense1', 16, 16]]);
});

test('the same seed gives identical losses; another seed does not', async () => {
  const losses = async (seed: number): Promise<number[]> => ofType(await run(tinyJob({ seed })), 'step').map((s) => s.loss);
  const a = await losses(3);
  assert.deepEqual(await losses(3), a);
  assert.notDeepEqual(await losses(4), a);
});

test('no tensor leaks: the count is flat across epochs and back to the start after the job', async () => {
  await run(tinyJob({ training: { epochs: 1 } })); // backend up, kernels warm
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  await runJob(tinyJob({ training: { epochs: 4 }, activation: NRELU_SPEC, data: { kappa: 0.2 } }), (e) => {
    if (e.type === 'epoch') counts.push(tf.memory().numTensors);
  }, { cancelled: () => false });
  assert.equal(counts.length, 4);
  assert.ok(counts.every((c) => c === counts[0]), `per epoch: ${counts.join(', ')}`);
  assert.equal(tf.memory().numTensors, before);
});

test('probes.every: a probe before training, after every n-th epoch and after the last', async () => {
  const events = await run(tinyJob({ training: { epochs: 5, batchSize: 100 }, probes: { every: 2 } }));
  assert.equal(lastEnd(events).status, 'completed');
  assert.deepEqual(ofType(events, 'probe').map((p) => p.epoch), [0, 2, 4, 5]);
  assert.equal(ofType(events, 'epoch').length, 5);
});

test('one step an epoch (full batch): every epoch still gets its probe, with the norm of the step just taken', async () => {
  const events = await run(tinyJob({ training: { epochs: 3, batchSize: 300 } }));
  assert.equal(lastEnd(events).status, 'completed');
  const probes = ofType(events, 'probe');
  assert.deepEqual(probes.map((p) => p.epoch), [0, 1, 2, 3]);
  for (const p of probes) assert.ok(p.layers.every((l) => Number.isFinite(l.gradNorm) && l.gradNorm > 0), `probe ${p.epoch}`);
  // Step 0's gradient is both the one at initialisation and the last of epoch 1.
  assert.equal(probes[1]!.layers[0]!.gradNorm, probes[0]!.layers[0]!.gradNorm);
  assert.notEqual(probes[2]!.layers[0]!.gradNorm, probes[1]!.layers[0]!.gradNorm);
});

test('step events are throttled to stepEventMs, keeping the first and last step of each epoch', async () => {
  const steps = ofType(await run(tinyJob({ probes: { stepEventMs: 1e9 } })), 'step');
  assert.deepEqual(steps.map((s) => s.step), [0, 5, 6, 11]);
});

test('a non-finite loss ends the job as diverged, with its epoch and step', async () => {
  // divergenceFactor 0: only the non-finite loss stops it.
  const events = await run(tinyJob({
    data: teacherData(), training: { loss: 'mse', optimizer: 'sgd', learningRate: 1e4, epochs: 3, divergenceFactor: 0 },
  }));
  const end = lastEnd(events);
  assert.equal(end.status, 'diverged');
  const last = ofType(events, 'step').at(-1)!;
  assert.ok(!Number.isFinite(last.loss), 'the non-finite loss is reported');
  assert.deepEqual([end.epoch, end.step], [last.epoch, last.step]);
  assert.match(end.message!, /loss is (NaN|Infinity|-Infinity) at epoch \d+, step \d+/);
  const decoded = decodeEventLine(encodeEvent(last));
  assert.ok(typeof decoded === 'object' && decoded.type === 'step' && Number.isNaN(decoded.loss), 'JSON lines carry it as null → NaN');
});

test('a finite loss past 1,000× its initial value ends the job as diverged, naming the loss and the learning rate', async () => {
  // Issue 17: SGD at lr 10⁴ reached 1.7e19 and then 4,681, and the job said "completed".
  const events = await run(tinyJob({ data: teacherData(), training: { loss: 'mse', optimizer: 'sgd', learningRate: 1e4, epochs: 3 } }));
  const end = lastEnd(events);
  assert.equal(end.status, 'diverged');
  const steps = ofType(events, 'step');
  const last = steps.at(-1)!;
  assert.ok(Number.isFinite(last.loss) && last.loss > 1000 * steps[0]!.loss, `${last.loss} vs ${steps[0]!.loss}`);
  assert.deepEqual([end.epoch, end.step], [last.epoch, last.step]);
  assert.match(end.message!, /the training loss rose to \S+, over 1000× its initial \S+ \(training.divergenceFactor\) at epoch \d+, step \d+/);
  assert.match(end.message!, /the learning rate 10000 is 1e\+6× sgd's default 0.01: try 0.01/);
  // Adam at lr 10⁶ (a loss of 2e13 used to be "completed").
  const adam = lastEnd(await run(tinyJob({ training: { optimizer: 'adam', learningRate: 1e6, epochs: 2 } })));
  assert.equal(adam.status, 'diverged');
  assert.match(adam.message!, /adam's default 0.001/);
});

test('a cancel request ends the job within a second', async () => {
  let cancelAt = 0;
  const events = await run(tinyJob({ data: { trainSize: 3000 }, training: { batchSize: 10, epochs: 5 } }), (ev) => {
    if (!cancelAt && ofType(ev, 'step').length >= 3) cancelAt = performance.now();
    return cancelAt > 0;
  });
  const end = lastEnd(events);
  assert.equal(end.status, 'cancelled');
  assert.ok(performance.now() - cancelAt < 1000);
  assert.equal(ofType(events, 'epoch').length, 0);
  assert.equal(end.epoch, 1);
});

test('a job that cannot load its data fails with the reason', async () => {
  const events = await run(tinyJob({ data: { dataset: 'idx', path: '/nonexistent/actlab' } as Partial<JobSpec['data']> }));
  assert.deepEqual(events.map((e) => e.type), ['jobEnd']);
  const end = lastEnd(events);
  assert.equal(end.status, 'failed');
  assert.match(end.message!, /none of train-images-idx3-ubyte/);
});

test('regression with a cosine σ schedule and input masks: σ per epoch, no accuracy', async () => {
  const sigma = { kind: 'cosine', start: 0.2, end: 0.05, per: 'epoch', every: 1, factor: 1 } as const;
  const job = tinyJob({ data: teacherData({ kappa: 0.3 }), training: { loss: 'mse', epochs: 2 }, activation: { ...NRELU_SPEC, sigma } });
  const events = await run(job);
  assert.equal(lastEnd(events).status, 'completed');
  const epochs: EpochEvent[] = ofType(events, 'epoch');
  assert.deepEqual(epochs.map((e) => e.sigma), [0.2, 0.05]);
  assert.ok(epochs.every((e) => e.trainAccuracy === undefined && e.testAccuracy === undefined && Number.isFinite(e.testLoss)));
  const steps: StepEvent[] = ofType(events, 'step');
  assert.ok(steps.every((s) => s.sigma === (s.epoch === 1 ? 0.2 : 0.05)));
  // Masks are part of the seeded stream: same job, same losses; no masks, other losses.
  assert.deepEqual(ofType(await run(job), 'step').map((s) => s.loss), steps.map((s) => s.loss));
  const unmasked = ofType(await run({ ...job, data: teacherData({ kappa: 0 }) }), 'step').map((s) => s.loss);
  assert.notDeepEqual(unmasked, steps.map((s) => s.loss));
});

test('a CNN trains on the wasm backend (kernels the backend lacks are registered)', async () => {
  const events = await run(tinyJob({
    backend: 'wasm', data: { trainSize: 64, testSize: 32 }, training: { epochs: 1, batchSize: 32 },
    model: { type: 'cnn', conv: [2], dense: [], init: 'he', bias: true },
  }));
  assert.equal(ofType(events, 'jobStart')[0]!.backend.name, 'wasm');
  assert.equal(lastEnd(events).status, 'completed', lastEnd(events).message);
  assert.deepEqual(ofType(events, 'probe').at(-1)!.layers.map((l) => l.layer), ['conv1']);
});
