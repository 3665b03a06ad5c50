/** cleanTrainLoss / cleanTrainAccuracy: the mask-off training loss of masked jobs. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLEAN_TRAIN_SAMPLES } from '../../../src/core/defaults';
import { metricDef } from '../../../src/core/metrics';
import { parseEvent, type EpochEvent, type TrainerEvent } from '../../../src/core/protocol';
import { deriveSeed } from '../../../src/core/random';
import { initBackend } from '../../../src/trainer/backend';
import { loadDataset } from '../../../src/trainer/data';
import { evaluateSums, evaluateTrainRows } from '../../../src/trainer/evaluate';
import { DATA_SPLIT_SEED, runJob } from '../../../src/trainer/loop';
import { lossFunction } from '../../../src/trainer/losses';
import { createModel } from '../../../src/trainer/models';
import { teacherData, tinyJob } from '../../fixtures/trainer/jobs';

before(async () => { await initBackend('cpu'); });

async function epochs(job: ReturnType<typeof tinyJob>): Promise<EpochEvent[]> {
  const events: TrainerEvent[] = [];
  await runJob(job, (e) => { events.push(e); }, { cancelled: () => false });
  const end = events.at(-1)!;
  assert.equal(end.type === 'jobEnd' ? end.status : end.type, 'completed');
  return events.filter((e): e is EpochEvent => e.type === 'epoch');
}

test('the metrics table has both, per epoch, optional, needing input masks; the cap is 10,000 rows', () => {
  for (const key of ['cleanTrainLoss', 'cleanTrainAccuracy']) {
    const d = metricDef('epoch', key);
    assert.ok(d && d.optional === true && d.needs === 'inputMasks' && d.curve === true, key);
  }
  assert.equal(CLEAN_TRAIN_SAMPLES, 10_000);
});

test('masked classification: every epoch carries the clean loss and accuracy; unmasked jobs carry neither', async () => {
  const masked = await epochs(tinyJob({ data: { kappa: 0.5 }, training: { epochs: 2 } }));
  for (const e of masked) {
    assert.equal(typeof parseEvent(e), 'object');
    assert.ok(Number.isFinite(e.cleanTrainLoss) && e.cleanTrainAccuracy! >= 0 && e.cleanTrainAccuracy! <= 1);
  }
  assert.ok(masked[1]!.cleanTrainLoss! < masked[0]!.cleanTrainLoss!, 'it learns');
  const plain = await epochs(tinyJob({ training: { epochs: 1 } }));
  assert.ok(plain.every((e) => e.cleanTrainLoss === undefined && e.cleanTrainAccuracy === undefined));
});

test('the clean loss is the model\'s loss on the unmasked training rows (weights that do not move: the initial model\'s)', async () => {
  const data = teacherData({ n: 150, trainSize: 120, testSize: 30, kappa: 2 });
  const job = tinyJob({ data, model: { type: 'mlp', hidden: [8], init: 'he', bias: true }, training: { epochs: 1, optimizer: 'sgd', learningRate: 1e-30, loss: 'mse', batchSize: 40 } });
  const [e] = await epochs(job);
  const ds = await loadDataset(data, DATA_SPLIT_SEED);
  const model = createModel(job.model, ds.inputShape, ds.outputs, job.activation, deriveSeed(job.seed, 'init'));
  const expected = await evaluateTrainRows(model, ds, lossFunction('mse', ds.kind), { training: false, sigma: 0, seed: 0 }, CLEAN_TRAIN_SAMPLES);
  assert.ok(Math.abs(e!.cleanTrainLoss! - expected.loss) < 1e-6, `${e!.cleanTrainLoss} vs ${expected.loss}`);
  assert.ok(Math.abs(e!.trainLoss - expected.loss) > 1e-3, 'the masked training loss (κ = 2) is another number');
  model.dispose();
});

test('evaluateTrainRows takes the first rows of the training split, at most all of them', async () => {
  const ds = await loadDataset(teacherData({ n: 100, trainSize: 80, testSize: 20 }), 3);
  const model = createModel({ type: 'mlp', hidden: [4], init: 'he', bias: true }, ds.inputShape, 1, { type: 'relu' }, 1);
  const ctx = { training: false, sigma: 0, seed: 0 };
  const lossFn = lossFunction('mse', ds.kind);
  const first = await evaluateTrainRows(model, ds, lossFn, ctx, 30);
  assert.ok(Math.abs(first.loss - (await evaluateSums(model, ds, 'train', lossFn, ctx, 0, 30)).lossSum / 30) < 1e-9);
  const all = await evaluateTrainRows(model, ds, lossFn, ctx, 10_000);
  assert.ok(Math.abs(all.loss - (await evaluateSums(model, ds, 'train', lossFn, ctx, 0, 80)).lossSum / 80) < 1e-9);
  model.dispose();
});

test('the summary keeps the last clean training loss per arm (absent for unmasked runs)', async () => {
  const { summarize } = await import('../../../src/core/summary');
  const job = tinyJob({ jobId: 'm#1', data: teacherData({ n: 120, trainSize: 100, testSize: 20, kappa: 0.5 }), training: { epochs: 2, loss: 'mse' } });
  const events: TrainerEvent[] = [];
  await runJob(job, (e) => { events.push(e); }, { cancelled: () => false });
  const config = { name: 't', source: {} as never, arms: [{ armId: job.armId, activationId: 'tiny', label: 'tiny', sweep: {}, activation: job.activation, seeds: [1] }], jobs: [job] };
  const last = events.filter((e): e is EpochEvent => e.type === 'epoch').at(-1)!;
  assert.equal(summarize(config, events).arms[0]!.finalCleanTrainLoss?.mean, last.cleanTrainLoss);
  const plain = events.map((e) => (e.type === 'epoch' ? { ...e, cleanTrainLoss: undefined } : e));
  assert.equal(summarize(config, plain).arms[0]!.finalCleanTrainLoss, undefined);
});
