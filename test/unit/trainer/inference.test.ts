/**
 * The premise of examples/reproduce/nrelu-inference.actlab.json: two jobs that differ only in
 * N-ReLU's inference mode train the same weights (the mode changes only the test evaluation), so
 * any gap between them is the inference mode's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrainerEvent } from '../../../src/core/protocol';
import { runJob } from '../../../src/trainer/loop';
import { NRELU_SPEC, tinyJob } from '../../fixtures/trainer/jobs';

async function epochs(inference: 'deterministic' | 'stochastic'): Promise<Array<{ trainLoss: number; testLoss: number }>> {
  const events: TrainerEvent[] = [];
  await runJob(tinyJob({ activation: { ...NRELU_SPEC, inference } }), (e) => { events.push(e); }, { cancelled: () => false });
  return events.flatMap((e) => (e.type === 'epoch' ? [{ trainLoss: e.trainLoss, testLoss: e.testLoss }] : []));
}

test('N-ReLU: deterministic and stochastic inference of one seed train identically and test differently', async () => {
  const det = await epochs('deterministic');
  const sto = await epochs('stochastic');
  assert.equal(det.length, 2);
  assert.deepEqual(sto.map((e) => e.trainLoss), det.map((e) => e.trainLoss), 'the same training, step for step');
  assert.notDeepEqual(sto.map((e) => e.testLoss), det.map((e) => e.testLoss), 'the test evaluation differs');
});
