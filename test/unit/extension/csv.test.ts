import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, eventsToCsv, stepsToCsv } from '../../../src/core/csv';
import { config, events } from './fixtures';

/** A small RFC 4180 reader, so the tests check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  return rows;
}

test('csvCell quotes separators, quotes and edge spaces; writes non-finite numbers by name', () => {
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('line\nbreak'), '"line\nbreak"');
  assert.equal(csvCell(' pad'), '" pad"');
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell(Number.NaN), 'NaN');
  assert.equal(csvCell(Number.NEGATIVE_INFINITY), '-Infinity');
  assert.equal(csvCell(0.1), '0.1');
  assert.equal(csvCell(undefined), '');
});

test('eventsToCsv: one row per (job, epoch), probe columns per layer, sweep columns, status', () => {
  const rows = parseCsv(eventsToCsv(config, events));
  const [header, ...body] = rows;
  assert.deepEqual(header.slice(0, 8), ['jobId', 'armId', 'activationId', 'label', 'seed', 'sweep.sigma', 'status', 'epoch']);
  assert.ok(header.includes('dense1.deadMean') && header.includes('dense1.deadGrad'));
  const col = (name: string): number => header.indexOf(name);
  // job 1: epochs 0 (probe only), 1, 2; job 2: epoch 1 only.
  assert.deepEqual(body.map((r) => [r[0], r[col('epoch')]]), [
    ['nrelu[sigma=0.05]#1', '0'], ['nrelu[sigma=0.05]#1', '1'], ['nrelu[sigma=0.05]#1', '2'], ['nrelu[sigma=0.1]#1', '1'],
  ]);
  assert.equal(body[0][col('trainLoss')], '');
  assert.equal(body[0][col('dense1.deadMean')], '0');
  assert.equal(body[1][col('dense1.deadMean')], '0.125');
  assert.equal(body[1][col('dense1.deadGrad')], '0.0625');
  assert.equal(body[2][col('testAccuracy')], '0.65');
  assert.equal(body[2][col('dense1.deadMean')], '', 'no probe at epoch 2');
  assert.equal(body[0][col('status')], 'completed');
  assert.equal(body[3][col('status')], 'diverged');
  assert.equal(body[3][col('trainLoss')], 'NaN');
  assert.equal(body[3][col('testLoss')], 'Infinity');
  assert.equal(body[3][col('sweep.sigma')], '0.1');
  assert.equal(body[0][col('label')], 'N-ReLU, "noisy"', 'quoted label survives a round trip');
  for (const r of rows) assert.equal(r.length, header.length);
});

test('stepsToCsv: steps grouped by job in config order, sorted by step', () => {
  const rows = parseCsv(stepsToCsv(config, events));
  assert.deepEqual(rows[0], ['jobId', 'armId', 'activationId', 'label', 'seed', 'sweep.sigma', 'epoch', 'step', 'loss', 'sigma']);
  assert.deepEqual(rows.slice(1).map((r) => [r[0], r[7], r[8]]), [
    ['nrelu[sigma=0.05]#1', '0', '1.1'], ['nrelu[sigma=0.1]#1', '0', '1'], ['nrelu[sigma=0.1]#1', '1', '0.9'],
  ]);
});

test('eventsToCsv with no events is a header only', () => {
  const text = eventsToCsv(config, []);
  assert.equal(text.split('\n').filter(Boolean).length, 1);
});
