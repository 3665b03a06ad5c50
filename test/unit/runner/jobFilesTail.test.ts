import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { startJobRun, readPlannedConfig } from '../../../src/runner/jobRunner';
import { jobEventsFile } from '../../../src/runner/jobFiles';
import { JobFilesTail } from '../../../src/runner/jobFilesTail';
import { planRun } from '../../../src/runner/plan';
import { FAKE_TRAINER, fakeConfig, fakeJob, tempDir } from './fixtures';

test('JobFilesTail returns each job file\'s new events once, and a rerun\'s from its start', async () => {
  const p = planRun({ resolved: fakeConfig('tail', [fakeJob('a', 1, {}), fakeJob('a', 2, {})]), outDir: tempDir() });
  const tail = new JobFilesTail(p.runDir, p.runId, readPlannedConfig(p.runDir));
  assert.deepEqual(tail.read().map((e) => e.type), ['runStart']);
  await startJobRun({ runDir: p.runDir, index: 1, trainerPath: FAKE_TRAINER }).done;
  const first = tail.read();
  assert.equal(first[0]?.type, 'jobStart');
  assert.equal(first[first.length - 1]?.type, 'jobEnd');
  assert.ok(first.every((e) => e.type !== 'runStart' && e.type !== 'runEnd' && e.jobId === 'a#2'));
  assert.deepEqual(tail.read(), []);
  // A partial line (being written) waits for the next read.
  fs.appendFileSync(jobEventsFile(p.runDir, 1), '{"type":"log"');
  assert.deepEqual(tail.read(), []);
  await startJobRun({ runDir: p.runDir, index: 1, trainerPath: FAKE_TRAINER }).done;
  const again = tail.read();
  assert.equal(again[0]?.type, 'jobStart');
  assert.equal(again.length, first.length);
});
