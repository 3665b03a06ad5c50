import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { compareRuns } from '../../../src/core/compare';
import { summarize } from '../../../src/core/summary';
import { loadFixture } from '../../webview/browser';

const FX = join(__dirname, '..', '..', 'fixtures', 'webview');
const a = loadFixture(join(FX, 'recorded'));
const b = loadFixture(join(FX, 'sweep'));

test('two recorded runs as one: arms prefixed by run name, per-arm numbers unchanged', () => {
  const cmp = compareRuns([a, b]);
  assert.deepEqual(cmp.prefixes, [a.config.name, b.config.name]);
  assert.equal(cmp.config.arms.length, a.config.arms.length + b.config.arms.length);
  assert.equal(cmp.config.jobs.length, a.config.jobs.length + b.config.jobs.length);
  assert.ok(cmp.config.arms.every((x) => x.label.startsWith(`${a.config.name} · `) || x.label.startsWith(`${b.config.name} · `)));
  const merged = summarize(cmp.config, cmp.events, cmp.runId);
  assert.equal(merged.status, 'completed');
  for (const [run, p] of [[a, a.config.name], [b, b.config.name]] as const) {
    const own = summarize(run.config, run.events, run.runId);
    for (const arm of own.arms) {
      const m = merged.arms.find((x) => x.armId === `${p}/${arm.armId}`)!;
      assert.equal(m.finalTestAccuracy?.mean, arm.finalTestAccuracy?.mean, arm.armId);
      assert.equal(m.finalTestAccuracy?.std, arm.finalTestAccuracy?.std, arm.armId);
    }
  }
  assert.ok(merged.best && merged.arms.some((x) => x.vsBest?.tied === false), 'one best across both runs, with distinguishable arms');
});

test('only what differs: a run on more digits differs in trainSize only; the same run twice in nothing', () => {
  assert.deepEqual(compareRuns([a, b]).differing, [], 'the two recorded runs share data, model and training settings');
  const bigger = structuredClone(a);
  bigger.runId = 'bigger';
  bigger.config.name = 'More digits';
  for (const j of bigger.config.jobs) j.data = { ...j.data, trainSize: 1200 };
  const cmp = compareRuns([a, bigger]);
  assert.deepEqual(cmp.differing, [{ key: 'trainSize', path: 'data.trainSize', values: [600, 1200] }]);
  assert.equal(cmp.config.arms.at(-1)!.sweep.trainSize, 1200);
  assert.equal(cmp.config.description, 'Differing: trainSize = 600 / 1200');
  // The same run twice: names collide, run ids tell them apart.
  const same = compareRuns([a, { ...a, runId: 'again' }]);
  assert.deepEqual(same.prefixes, [a.runId, 'again']);
  assert.deepEqual(same.differing, []);
});
