import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PARTIAL_MARK, duration, formatSummaryTable, pct } from '../../../src/cli/format';
import type { ArmSummary, Summary } from '../../../src/core/summary';

const stat = (mean: number) => ({ mean, std: 0, n: 1, min: mean, max: mean });
const arm = (armId: string, acc: number, extra: Partial<ArmSummary> = {}): ArmSummary => ({
  armId, label: armId, activationId: armId, sweep: {}, jobs: 1, completed: 1, statuses: { [`${armId}#0`]: 'completed' },
  finalTestAccuracy: stat(acc), bestTestAccuracy: stat(acc), finalTestLoss: stat(1 - acc), backend: 'wasm', ...extra,
});

test('summary table: best arm starred; a partial arm marked, with epochs done and a footnote', () => {
  const summary: Summary = {
    v: 1, runId: 'r', name: 'n', status: 'cancelled',
    arms: [
      arm('relu', 0.9),
      arm('gelu', 0.95, { partial: true, completed: 0, statuses: { 'gelu#0': 'cancelled', 'gelu#1': 'cancelled' }, epochsDone: { min: 2, max: 3, planned: 4 } }),
    ],
    best: { armId: 'relu', metric: 'testAccuracy', value: 0.9 },
  };
  const lines = formatSummaryTable(summary, { width: 200 }).trimEnd().split('\n');
  const relu = lines.find((l) => l.includes('relu'))!;
  const gelu = lines.find((l) => l.includes('gelu'))!;
  assert.match(relu, /^\* relu\s+ok\s+90\.00%/);
  assert.match(gelu, new RegExp(`^  gelu ${PARTIAL_MARK}\\s+2 cancelled · ep 2–3/4\\s+95\\.00%`));
  assert.equal(lines.at(-2), '* best: relu (test accuracy 90.00%)');
  assert.match(lines.at(-1)!, new RegExp(`^${PARTIAL_MARK} partial: .*last finished epoch`));
  // Columns stay aligned: the accuracy column starts at the same offset in every row.
  const col = (l: string, v: string): number => l.indexOf(v);
  assert.equal(col(relu, '90.00%'), col(gelu, '95.00%'));
});

test('no footnote without partial arms; number helpers', () => {
  const out = formatSummaryTable({ v: 1, runId: 'r', name: 'n', status: 'completed', arms: [arm('a', 0.5)] });
  assert.doesNotMatch(out, new RegExp(PARTIAL_MARK));
  assert.equal(pct(0.12345), '12.35%');
  assert.equal(duration(5), '5.0s');
  assert.equal(duration(125), '2m05s');
  assert.equal(duration(7260), '2h01m');
});
