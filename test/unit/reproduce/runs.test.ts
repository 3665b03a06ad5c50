import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRunDir, groupBy, loadStudyRun } from '../../../scripts/reproduce/runs';

const job = (jobId: string, armId: string, seed: number) => ({ jobId, armId, activationId: armId, label: armId, seed, sweep: {}, training: { epochs: 2 } });

test('loadStudyRun collects epochs, probes and endings per job, tolerating a torn last line', () => {
  const out = mkdtempSync(join(tmpdir(), 'repro-'));
  try {
    const dir = join(out, 'run1');
    mkdirSync(dir);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ name: 'x', source: {}, arms: [], jobs: [job('a#1', 'a', 1), job('a#2', 'a', 2)] }));
    const ev = (o: object) => JSON.stringify({ v: 1, t: 1, ...o });
    const epoch = (jobId: string, epoch: number, loss: number | null) => ev({ type: 'epoch', jobId, epoch, step: epoch, trainLoss: loss, testLoss: 1, seconds: 1, samplesPerSec: 1 });
    writeFileSync(join(dir, 'events.jsonl'), [
      ev({ type: 'runStart', runId: 'run1', name: 'x', jobIds: ['a#1', 'a#2'], parallel: 2 }),
      epoch('a#1', 2, 0.5),
      epoch('a#1', 1, 0.9),
      ev({ type: 'probe', jobId: 'a#1', epoch: 2, layers: [], ms: 1 }),
      ev({ type: 'jobEnd', jobId: 'a#1', status: 'completed', epoch: 2, step: 2, seconds: 1 }),
      epoch('a#2', 1, null),
      ev({ type: 'jobEnd', jobId: 'a#2', status: 'diverged', epoch: 1, step: 0, seconds: 1 }),
      '{"v":1,"t":1,"type":"epo',
    ].join('\n'));
    assert.equal(findRunDir(out), dir);
    const run = loadStudyRun(dir);
    const [a1, a2] = run.jobs;
    assert.deepEqual(a1!.history.map((e) => e.epoch), [1, 2], 'epochs sorted');
    assert.equal(a1!.probes.length, 1);
    assert.equal(a1!.status, 'completed');
    assert.equal(a2!.status, 'diverged');
    assert.ok(Number.isNaN(a2!.history[0]!.trainLoss), 'null decodes to NaN');
    assert.equal(run.status, 'running', 'no runEnd yet');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('groupBy keeps first-seen order', () => {
  const g = groupBy(['b1', 'a1', 'b2'], (s) => s[0]!);
  assert.deepEqual([...g.keys()], ['b', 'a']);
  assert.deepEqual(g.get('b'), ['b1', 'b2']);
});
