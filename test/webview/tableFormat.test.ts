import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Stat } from '../../src/core/summary';
import { COLUMNS } from '../../webview/components/summaryTable';

const col = (key: string) => {
  const c = COLUMNS.find((x) => x.key === key);
  assert.ok(c?.format, key);
  return c.format;
};
const stat = (mean: number, std: number, n: number): Stat => ({ mean, std, n, min: mean - std, max: mean + std });

test('summary cells show ± sd over seeds, and no spread for a single seed', () => {
  assert.equal(col('finalTestAccuracy')(stat(0.9538, 0.0013, 3)), '95.38 ± 0.13 %');
  assert.equal(col('finalTestAccuracy')(stat(0.305, 0, 1)), '30.50 %');
  assert.equal(col('finalTestLoss')(stat(0.1701, 0.0013, 3)), '0.1701 ± 0.0013');
  assert.equal(col('finalTestLoss')(stat(1.987, 0, 1)), '1.987');
});
