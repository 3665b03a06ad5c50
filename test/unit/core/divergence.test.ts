/** When a job diverged (issue 17, item 8) and what the message blames. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLoss, divergenceHint } from '../../../src/core/divergence';

test('non-finite, or finite past factor × the initial loss; 0 turns the factor off', () => {
  assert.equal(checkLoss(2.3, undefined, 1000), undefined);
  assert.equal(checkLoss(2000, 2.3, 1000), undefined);
  assert.match(checkLoss(2301, 2.3, 1000)!.what, /rose to 2300, over 1000× its initial 2.3/);
  assert.match(checkLoss(1.7e19, 2.3, 1000)!.what, /1.7e\+19/);
  assert.equal(checkLoss(1.7e19, 2.3, 0), undefined);
  assert.match(checkLoss(NaN, 2.3, 0)!.what, /is NaN/);
  assert.match(checkLoss(Infinity, undefined, 1000)!.what, /is Infinity/);
  // Nothing to be a multiple of.
  assert.equal(checkLoss(5, 0, 1000), undefined);
});

test('the hint blames the learning rate only when it is far above the optimizer default', () => {
  const job = (optimizer: 'sgd' | 'adam', learningRate: number, activation: { type: string; [k: string]: unknown } = { type: 'relu' }) => ({
    training: { epochs: 1, batchSize: 10, optimizer, learningRate, momentum: 0.9, loss: 'mse' as const },
    activation: activation as never,
  });
  assert.match(divergenceHint(job('sgd', 1e4), []), /learning rate 10000 is 1e\+6× sgd's default 0.01: try 0.01/);
  const near = divergenceHint(job('adam', 2e-3), []);
  assert.doesNotMatch(near, /try 0.001/);
  assert.match(near, /look at the activation \(relu\)/);
  assert.match(divergenceHint(job('adam', 2e-3, { type: 'prelu', init: 0.25 }), []), /prelu parameter init is learned/);
  assert.match(divergenceHint(job('adam', 1e-3), ['dense1 weights']), /^not finite: dense1 weights; /);
});
