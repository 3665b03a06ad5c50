/** CSV cells a spreadsheet would run as formulas (issue 17, item 7) stay text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, csvLine } from '../../../src/core/csv';
import { sweepCsv, type SweepPlot } from '../../../src/core/sweep';

test('cells starting with = + - @ (or tab / CR) get a leading apostrophe', () => {
  assert.equal(csvCell('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
  assert.equal(csvCell('+1'), "'+1");
  assert.equal(csvCell('-relu'), "'-relu");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell('\t=1'), "'\t=1");
  assert.equal(csvCell('\r=1'), `"'\r=1"`);
  // Numbers (negative ones included) and ordinary text are unchanged.
  assert.equal(csvLine([-1.5, 'relu', 'a=b', 0]), '-1.5,relu,a=b,0');
});

test('the sweep CSV neutralises its labels too', () => {
  const plots: SweepPlot[] = [{
    param: 'sigma', metric: 'testAccuracy', logX: false,
    series: [{ label: '=cmd|calc', activationId: 'x', others: {}, points: [{ x: 0.1, armId: '@arm', label: 'l', mean: 0.9, err: undefined, n: 1 }] }],
  }];
  const row = sweepCsv(plots, 'final', 'std').trim().split('\n')[1]!;
  assert.equal(row, "sigma,'=cmd|calc,0.1,'@arm,0.9,,1");
});
