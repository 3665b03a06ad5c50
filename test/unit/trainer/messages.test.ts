/** The trainer's check of the job it is sent: the fields it switches on, for every dataset and norm. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelSpec } from '../../../src/core/config';
import { jobSpecProblem } from '../../../src/trainer/messages';
import { tinyJob } from '../../fixtures/trainer/jobs';

test('jobSpecProblem: cifar10 needs its folder, model.norm must be known (absent is today\'s model)', () => {
  assert.equal(jobSpecProblem(tinyJob()), undefined);
  assert.equal(jobSpecProblem(tinyJob({ data: { dataset: 'cifar10', path: '/data/cifar-10-batches-bin' } })), undefined);
  assert.equal(jobSpecProblem(tinyJob({ data: { dataset: 'cifar10' } })), 'job.data.path must be a string for cifar10 data');
  assert.equal(jobSpecProblem(tinyJob({ data: { dataset: 'idx' } })), 'job.data.path must be a string for idx data');
  const mlp: ModelSpec = { type: 'mlp', hidden: [4], init: 'he', bias: true };
  assert.equal(jobSpecProblem(tinyJob({ model: { ...mlp, norm: 'batch' } })), undefined);
  assert.equal(jobSpecProblem(tinyJob({ model: { ...mlp, norm: 'none' } })), undefined);
  const bad = { ...tinyJob(), model: { ...mlp, norm: 'group' } };
  assert.equal(jobSpecProblem(bad), 'job.model.norm must be one of none, batch');
});
