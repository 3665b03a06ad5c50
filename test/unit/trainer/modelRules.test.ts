/** model.freeze, model.parameterization and model.outputInit on tiny models (cpu backend). */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '../../../src/core/config';
import { initBackend } from '../../../src/trainer/backend';
import { mse } from '../../../src/trainer/losses';
import { createModel, type Model } from '../../../src/trainer/models';
import { frozenNames } from '../../../src/trainer/models/rules';
import { createOptimizer } from '../../../src/trainer/optimizers';
import { trainStep } from '../../../src/trainer/step';
import { runJob } from '../../../src/trainer/loop';
import type { ProbeEvent, TrainerEvent } from '../../../src/core/protocol';
import { teacherData, tinyJob } from '../../fixtures/trainer/jobs';

before(async () => { await initBackend('cpu'); });

const mlp = (extra: Partial<Extract<ModelSpec, { type: 'mlp' }>> = {}): ModelSpec => ({ type: 'mlp', hidden: [6, 5, 4], init: 'he', bias: true, ...extra });

async function snapshot(m: Model): Promise<Float32Array[]> {
  return Promise.all(m.variables.map(async (v) => (await v.data()) as Float32Array));
}

/** A few sgd steps on a fixed random regression batch. */
function train(m: Model, steps: number): void {
  const opt = createOptimizer({ optimizer: 'sgd', learningRate: 0.1, momentum: 0 });
  const x = tf.randomNormal([16, 3], 0, 1, 'float32', 5);
  const y = tf.randomNormal([16, 1], 0, 1, 'float32', 6);
  for (let s = 0; s < steps; s++) {
    const r = trainStep(m, opt, mse, { x, y, size: 16 }, { sigma: 0, seed: s, kappa: 0 });
    r.loss.dispose();
  }
  tf.dispose([x, y]);
  opt.dispose();
}

test('freeze: "input", "output" and index 2 keep their weights and biases bit for bit; the rest train', async () => {
  const m = createModel(mlp({ freeze: ['input', 2, 'output'] }), [3], 1, { type: 'relu' }, 1);
  // variables: dense1 W b, dense2 W b, dense3 W b, output W b.
  const before = await snapshot(m);
  train(m, 5);
  const after = await snapshot(m);
  const frozen = [0, 1, 2, 3, 6, 7];
  for (let i = 0; i < before.length; i++) {
    if (frozen.includes(i)) assert.deepEqual(after[i], before[i], `variable ${i} is frozen`);
    else assert.notDeepEqual(after[i], before[i], `variable ${i} trains`);
  }
  assert.equal(m.trainable.length, 2);
  assert.equal(m.paramCount, 3 * 6 + 6 + 6 * 5 + 5 + 5 * 4 + 4 + 4 + 1, 'frozen parameters still count');
  m.dispose();
});

test('freeze: a frozen layer\'s prelu slopes still learn; without freeze everything trains', async () => {
  const m = createModel(mlp({ freeze: [1] }), [3], 1, { type: 'prelu', init: 0.25 }, 2);
  assert.equal(m.trainable.length, m.variables.length - 2);
  m.dispose();
  const all = createModel(mlp(), [3], 1, { type: 'relu' }, 2);
  assert.equal(all.trainable.length, all.variables.length);
  all.dispose();
});

test('freeze names: "input" is the first hidden layer, indices count conv layers first; a missing layer throws', () => {
  assert.deepEqual([...frozenNames(mlp({ freeze: ['input', 'output', 3] }))], ['dense1', 'output', 'dense3']);
  assert.deepEqual([...frozenNames({ type: 'cnn', conv: [4, 4], dense: [8], init: 'he', bias: true, freeze: [1, 3] })], ['conv1', 'dense1']);
  assert.throws(() => frozenNames(mlp({ freeze: [4] })), /no hidden layer 4/);
});

test('ntk: weights are the he draws unscaled, and at init the network equals the rescaled-init one', async () => {
  const he = createModel(mlp(), [3], 1, { type: 'relu' }, 3);
  const ntk = createModel(mlp({ parameterization: 'ntk' }), [3], 1, { type: 'relu' }, 3);
  const rescaled = createModel(mlp({ init: 'rescaled' }), [3], 1, { type: 'relu' }, 3);
  const [w0he, w0ntk] = [(await he.variables[0]!.data()) as Float32Array, (await ntk.variables[0]!.data()) as Float32Array];
  w0ntk.forEach((v, i) => assert.ok(Math.abs(v * Math.sqrt(2 / 3) - w0he[i]!) < 1e-6));
  const x = tf.randomNormal([7, 3], 0, 1, 'float32', 9);
  const ctx = { training: false, sigma: 0, seed: 1 };
  const a = (await ntk.forward(x, ctx).output.data()) as Float32Array;
  const b = (await rescaled.forward(x, ctx).output.data()) as Float32Array;
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) < 1e-5, `output ${i}: ${v} vs ${b[i]}`));
  // Same function, other parameters: one sgd step moves them differently.
  train(ntk, 1);
  train(rescaled, 1);
  const a1 = (await ntk.forward(x, ctx).output.data()) as Float32Array;
  const b1 = (await rescaled.forward(x, ctx).output.data()) as Float32Array;
  assert.ok(a1.some((v, i) => Math.abs(v - b1[i]!) > 1e-4), 'the gradient steps differ');
  for (const m of [he, ntk, rescaled]) m.dispose();
  x.dispose();
});

test('outputInit sign: output weights are ±1, both signs, seeded; the hidden layers are unchanged', async () => {
  const m = createModel(mlp({ outputInit: 'sign' }), [3], 1, { type: 'relu' }, 4);
  const plain = createModel(mlp(), [3], 1, { type: 'relu' }, 4);
  const head = (await m.variables[6]!.data()) as Float32Array;
  assert.ok(head.every((v) => v === 1 || v === -1), `±1: ${Array.from(head)}`);
  const big = createModel({ type: 'mlp', hidden: [200], init: 'he', bias: false, outputInit: 'sign' }, [3], 1, { type: 'relu' }, 4);
  const signs = (await big.variables[1]!.data()) as Float32Array;
  const positive = signs.filter((v) => v === 1).length;
  assert.ok(positive > 70 && positive < 130, `about half positive: ${positive}/200`);
  assert.deepEqual(await m.variables[0]!.data(), await plain.variables[0]!.data());
  for (const x of [m, plain, big]) x.dispose();
});

test('a job with frozen input and output trains, and probes report a zero gradient norm for the frozen layer', async () => {
  const events: TrainerEvent[] = [];
  const job = tinyJob({
    data: teacherData({ n: 120, trainSize: 100, testSize: 20 }),
    model: { type: 'mlp', hidden: [8, 8], init: 'rescaled', bias: false, freeze: ['input', 'output'], parameterization: 'ntk' },
    training: { epochs: 2, batchSize: 50, loss: 'mse', optimizer: 'sgd', learningRate: 0.1 },
  });
  await runJob(job, (e) => { events.push(e); }, { cancelled: () => false });
  const end = events.at(-1)!;
  assert.equal(end.type === 'jobEnd' && end.status, 'completed');
  const probes = events.filter((e): e is ProbeEvent => e.type === 'probe');
  for (const p of probes) {
    assert.equal(p.layers[0]!.gradNorm, 0, 'dense1 is frozen');
    assert.ok(p.layers[1]!.gradNorm > 0, 'dense2 trains');
  }
});

test('the trainer refuses a job whose new model or teacher fields are malformed, and takes them well-formed', async () => {
  const { jobSpecProblem } = await import('../../../src/trainer/messages');
  const model = (extra: Record<string, unknown>) => ({ type: 'mlp', hidden: [4], init: 'he', bias: true, ...extra }) as ModelSpec;
  assert.equal(jobSpecProblem(tinyJob({ model: model({ freeze: ['input', 2, 'output'], parameterization: 'ntk', outputInit: 'sign' }) })), undefined);
  assert.match(jobSpecProblem(tinyJob({ model: model({ freeze: ['middle'] }) }))!, /freeze/);
  assert.match(jobSpecProblem(tinyJob({ model: model({ parameterization: 'mup' }) }))!, /parameterization/);
  assert.match(jobSpecProblem(tinyJob({ data: teacherData({ inputs: 'ball' as 'sphere' }) }))!, /inputs/);
  assert.match(jobSpecProblem(tinyJob({ data: teacherData({ center: 1 as unknown as boolean }) }))!, /center/);
});
