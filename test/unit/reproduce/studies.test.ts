import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judge } from '../../../scripts/reproduce/analysis';
import { whyOf } from '../../../scripts/reproduce/studies';

test('whyOf names the failed criteria, or says all held', () => {
  const c = (name: string, passed: boolean) => ({ name, passed, detail: '' });
  assert.equal(whyOf(judge([c('a', true), c('b', true)])), 'all 2 criteria met');
  assert.equal(whyOf(judge([c('a', true), c('b', false), c('c', false)])), '1/3 criteria met; failed: b; c');
});
