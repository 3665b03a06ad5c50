import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Batcher } from '../../../src/extension/batcher';
import { KeyedDebouncer } from '../../../src/extension/debounce';

test('Batcher delivers many pushes as one batch after the interval, flush delivers at once', async () => {
  const batches: number[][] = [];
  const b = new Batcher<number>(30, (x) => batches.push(x));
  for (let i = 0; i < 100; i++) b.push(i);
  assert.equal(batches.length, 0);
  await sleep(60);
  assert.equal(batches.length, 1);
  assert.equal(batches[0].length, 100);
  b.push(1, 2);
  b.flush();
  assert.deepEqual(batches[1], [1, 2]);
  b.push(3);
  b.clear();
  await sleep(50);
  assert.equal(batches.length, 2, 'cleared items are never delivered');
});

test('KeyedDebouncer runs once per key after the last call, keys are independent', async () => {
  const calls: string[] = [];
  const d = new KeyedDebouncer<string>(30);
  for (let i = 0; i < 5; i++) { d.schedule('a', () => calls.push('a')); await sleep(5); }
  d.schedule('b', () => calls.push('b'));
  assert.ok(d.pending('a'));
  await sleep(60);
  assert.deepEqual(calls.sort(), ['a', 'b']);
  d.schedule('c', () => calls.push('c'));
  d.cancel('c');
  d.schedule('e', () => calls.push('e'));
  d.dispose();
  await sleep(50);
  assert.deepEqual(calls.sort(), ['a', 'b']);
});
