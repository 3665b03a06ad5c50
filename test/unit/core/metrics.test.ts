import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CURVE_METRICS, METRICS, isBetter, metricDef, metricsAt } from '../../../src/core/metrics';

test('the metrics table: keys and CSV columns unique per cadence, curves are per-epoch losses and accuracies', () => {
  for (const c of ['step', 'epoch', 'probe'] as const) {
    const rows = metricsAt(c);
    assert.ok(rows.length > 0, c);
    assert.equal(new Set(rows.map((d) => d.key)).size, rows.length, `${c}: keys unique`);
    assert.equal(new Set(rows.map((d) => d.csv)).size, rows.length, `${c}: csv columns unique`);
  }
  assert.equal(METRICS.length, metricsAt('step').length + metricsAt('epoch').length + metricsAt('probe').length);
  assert.deepEqual(CURVE_METRICS.map((d) => d.key), ['trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy', 'cleanTrainLoss', 'cleanTrainAccuracy']);
  for (const d of CURVE_METRICS) {
    assert.equal(d.cadence, 'epoch');
    assert.ok(d.kind === 'loss' || d.kind === 'accuracy', `${d.key} is drawn on a loss or accuracy axis`);
    assert.equal(d.better, d.kind === 'loss' ? 'lower' : 'higher');
  }
  assert.equal(metricDef('epoch', 'testAccuracy')?.title, 'Test accuracy');
  assert.equal(metricDef('probe', 'testAccuracy'), undefined);
  assert.equal(isBetter({ better: 'lower' }, 1, 2), true);
  assert.equal(isBetter({ better: 'higher' }, 1, 2), false);
  assert.equal(isBetter({ better: 'none' }, 1, 2), false);
});
