/** The signed dead-unit rule (mean activation < τ) beside |mean| < τ and gradient-dead. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationSpec, ResolvedConfig } from '../../../src/core/config';
import { eventsToCsv } from '../../../src/core/csv';
import { DEAD_METRICS } from '../../../src/core/metrics';
import { PROTOCOL_VERSION, parseEvent, type JobStartEvent, type LayerProbe, type ProbeEvent } from '../../../src/core/protocol';
import { summarize } from '../../../src/core/summary';
import { initBackend } from '../../../src/trainer/backend';
import { createModel, type Model } from '../../../src/trainer/models';
import { forwardUnitSums, layerProbes } from '../../../src/trainer/probes';
import { NRELU_SPEC, constant, tinyJob } from '../../fixtures/trainer/jobs';

const TAU = 1e-5;
before(async () => { await initBackend('cpu'); });

/** Probes of one pass over x (norms zero: not what is tested here). */
async function probe(m: Model, x: tf.Tensor, sigma: number): Promise<LayerProbe> {
  const stats = forwardUnitSums(m, x, { training: true, sigma, seed: 5 }, TAU);
  const [p] = layerProbes(m, (await stats.sums.data()) as Float32Array, stats.rows, new Float32Array(m.hiddenLayers.length), TAU);
  stats.sums.dispose();
  return p!;
}

/** One hidden layer of `units`; the first `negative` units get a bias of −100 (never positive). */
function model(activation: ActivationSpec, units: number, negative: number): Model {
  const m = createModel({ type: 'mlp', hidden: [units], init: 'he', bias: true }, [3], 2, activation, 1);
  m.variables[0]!.assign(tf.fill([3, units], 0.5));
  m.variables[1]!.assign(tf.tensor1d(Array.from({ length: units }, (_, i) => (i < negative ? -100 : 0))));
  return m;
}

const x = (): tf.Tensor => tf.randomUniform([300, 3], 0.1, 1, 'float32', 11);

test('the registry lists the three definitions in order; the signed one is optional (older runs lack it)', () => {
  assert.deepEqual(DEAD_METRICS.map((d) => d.key), ['deadMean', 'deadSigned', 'deadGrad']);
  assert.equal(DEAD_METRICS.find((d) => d.key === 'deadSigned')!.optional, true);
});

test('leaky relu: an always-negative unit has a negative mean — dead by the signed rule only', async () => {
  const m = model({ type: 'leakyRelu', alpha: 0.1, rescale: false }, 4, 1);
  const p = await probe(m, x(), 0);
  assert.deepEqual([p.deadMean, p.deadSigned, p.deadGrad], [0, 0.25, 0]);
  m.dispose();
});

test('relu: a never-positive unit (mean exactly 0) is dead by all three', async () => {
  const m = model({ type: 'relu' }, 4, 1);
  const p = await probe(m, x(), 0);
  assert.deepEqual([p.deadMean, p.deadSigned, p.deadGrad], [0.25, 0.25, 0.25]);
  m.dispose();
});

test('nrelu: about half of the all-negative units count as dead by the signed rule, none by |mean|', async () => {
  const m = model({ ...NRELU_SPEC, sigma: constant(0.1) }, 200, 200);
  const p = await probe(m, x(), 0.1);
  // A noise mean of 300 draws has sd 0.1/√300 ≈ 0.006: below τ = 1e-5 for ~0.1 % of units by chance.
  assert.ok(p.deadMean < 0.02, `|mean| rule: ${p.deadMean}`);
  assert.equal(p.deadGrad, 1);
  assert.ok(p.deadSigned! > 0.35 && p.deadSigned! < 0.65, `signed: ${p.deadSigned}`);
  m.dispose();
});

function config(): ResolvedConfig {
  const job = tinyJob({ jobId: 'a#1' });
  return { name: 't', source: {} as ResolvedConfig['source'], arms: [{ armId: 'tiny', activationId: 'tiny', label: 'tiny', sweep: {}, activation: { type: 'relu' }, seeds: [1] }], jobs: [{ ...job, armId: 'tiny' }] };
}

const start: JobStartEvent = { v: PROTOCOL_VERSION, t: 0, type: 'jobStart', jobId: 'a#1', backend: { name: 'cpu', notes: [] }, parameters: 1, stepsPerEpoch: 1, epochs: 2, trainSize: 1, testSize: 1 };
const probeEvent = (layers: LayerProbe[]): ProbeEvent => ({ v: PROTOCOL_VERSION, t: 1, type: 'probe', jobId: 'a#1', epoch: 1, layers, ms: 1 });
const layer = (name: string, units: number, deadSigned?: number): LayerProbe => ({
  layer: name, units, deadMean: 0, deadGrad: 0, meanActivation: 0, fracPositive: [], gradNorm: 0, ...(deadSigned === undefined ? {} : { deadSigned }),
});

test('events, summary and CSV carry the signed count; an older probe without it still parses and leaves it out', () => {
  const withSigned = probeEvent([layer('dense1', 30, 0.5), layer('dense2', 10, 0.1)]);
  const older = probeEvent([layer('dense1', 30)]);
  assert.equal(typeof parseEvent(withSigned), 'object');
  assert.equal(typeof parseEvent(older), 'object');
  assert.equal(typeof parseEvent({ ...withSigned, layers: [{ ...layer('d', 1), deadSigned: 'x' }] }), 'string');
  const s = summarize(config(), [start, withSigned]).arms[0]!;
  assert.ok(Math.abs(s.deadSigned!.mean - (0.5 * 30 + 0.1 * 10) / 40) < 1e-12, 'unit-weighted over layers');
  assert.deepEqual(s.deadByLayer!.map((l) => l.deadSigned?.mean), [0.5, 0.1]);
  const old = summarize(config(), [start, older]).arms[0]!;
  assert.equal(old.deadSigned, undefined);
  assert.equal(old.deadByLayer![0]!.deadSigned, undefined);
  const [header, row] = eventsToCsv(config(), [withSigned]).trim().split('\n').map((l) => l.split(','));
  assert.equal(row![header!.indexOf('dense1.deadSigned')], '0.5');
  const [h2, r2] = eventsToCsv(config(), [older]).trim().split('\n').map((l) => l.split(','));
  assert.equal(r2![h2!.indexOf('dense1.deadSigned')], '');
});
