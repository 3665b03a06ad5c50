// Cluster mode's runner side with the fake trainer: plan → run-job per index → merge, including
// a job that fails, one killed without an end, one never run, a rerun, and the local scheduler's
// summary as the reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeEventLine, type ActlabEvent } from '../../../src/core/protocol';
import type { Summary } from '../../../src/core/summary';
import { allJobsEnded, jobEventsFile, jobProgress, readJobFiles } from '../../../src/runner/jobFiles';
import { readPlannedConfig, startJobRun } from '../../../src/runner/jobRunner';
import { mergeRun } from '../../../src/runner/merge';
import { planRun, plannedJob } from '../../../src/runner/plan';
import { runInfo } from '../../../src/runner/runs';
import { startRun } from '../../../src/runner/scheduler';
import { FAKE_TRAINER, fakeConfig, fakeJob, tempDir } from './fixtures';

const config = (mode1 = 'ok') => fakeConfig('cl', [
  fakeJob('a', 1, {}), fakeJob('a', 2, { mode: mode1 }), fakeJob('b', 1, {}), fakeJob('b', 2, {}),
]);
const runJob = (runDir: string, index: number) => startJobRun({ runDir, index, trainerPath: FAKE_TRAINER, threads: 1 }).done;
const lines = (file: string): ActlabEvent[] => fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => decodeEventLine(l) as ActlabEvent);
const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;
const noTimings = (s: Summary): unknown => JSON.parse(JSON.stringify(s), (k, v: unknown) => (['runId', 'seconds', 'samplesPerSec'].includes(k) ? undefined : v));

test('plan writes config.json with indices, run.json planned, an empty jobs/; list shows it pending', () => {
  const p = planRun({ resolved: config(), outDir: tempDir(), backend: 'cpu' });
  assert.equal(p.jobs, 4);
  const cfg = readPlannedConfig(p.runDir);
  assert.deepEqual(cfg.jobs.map((j) => (j as typeof j & { index: number }).index), [0, 1, 2, 3]);
  assert.ok(cfg.jobs.every((j) => j.backend === 'cpu'));
  assert.equal(readJson<{ status: string }>(path.join(p.runDir, 'run.json')).status, 'planned');
  assert.deepEqual(fs.readdirSync(path.join(p.runDir, 'jobs')), []);
  assert.equal('index' in plannedJob(cfg, 3), false, 'the trainer gets a plain JobSpec');
  assert.throws(() => plannedJob(cfg, 4), /out of range/);
  const info = runInfo(p.runDir);
  assert.equal(info?.status, 'running');
  assert.deepEqual(info?.cluster, { state: 'planned', total: 4, done: 0, running: 0, failed: 0, pending: 4 });
});

test('run-job per index, then merge: the same summary as the local scheduler; merge is idempotent', async () => {
  const out = tempDir();
  const local = await startRun({ resolved: config(), outDir: out, parallel: 2, trainerPath: FAKE_TRAINER, threads: 1 }).done;
  const p = planRun({ resolved: config(), outDir: out });
  for (const i of [3, 1, 0, 2]) assert.equal((await runJob(p.runDir, i)).status, 'completed');
  const evs = lines(jobEventsFile(p.runDir, 1));
  assert.equal(evs[0]?.type, 'jobStart');
  assert.equal(evs[evs.length - 1]?.type, 'jobEnd');
  assert.ok(allJobsEnded(readJobFiles(p.runDir, readPlannedConfig(p.runDir))));

  const m = mergeRun(p.runDir);
  assert.equal(m.status, 'completed');
  assert.ok(m.complete);
  const merged = lines(path.join(p.runDir, 'events.jsonl'));
  assert.equal(merged[0]?.type, 'runStart');
  assert.equal(merged[merged.length - 1]?.type, 'runEnd');
  // In job-index order, whatever order the tasks ran in.
  assert.deepEqual(merged.filter((e) => e.type === 'jobStart').map((e) => e.jobId), ['a#1', 'a#2', 'b#1', 'b#2']);
  assert.deepEqual(noTimings(readJson<Summary>(path.join(p.runDir, 'summary.json'))), noTimings(local.summary));
  assert.equal(readJson<{ status: string }>(path.join(p.runDir, 'run.json')).status, 'completed');
  const first = fs.readFileSync(path.join(p.runDir, 'events.jsonl'), 'utf8');
  mergeRun(p.runDir);
  assert.equal(fs.readFileSync(path.join(p.runDir, 'events.jsonl'), 'utf8'), first);
});

test('merge lists a failed job, a job without an end and a job never run; reruns complete the run', async () => {
  const p = planRun({ resolved: config('fail'), outDir: tempDir() });
  assert.equal((await runJob(p.runDir, 0)).status, 'completed');
  assert.equal((await runJob(p.runDir, 1)).status, 'failed');
  // Index 2 killed mid-run: its file stops before the jobEnd.
  assert.equal((await runJob(p.runDir, 2)).status, 'completed');
  const file = jobEventsFile(p.runDir, 2);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(0, -1).join('\n') + '\n{"type":"ep');
  const progress = jobProgress(readJobFiles(p.runDir, readPlannedConfig(p.runDir)));
  assert.deepEqual(progress, { total: 4, done: 1, running: 1, failed: 1, pending: 1 }, 'no job.json pid of a dead writer: running');

  const m = mergeRun(p.runDir);
  assert.equal(m.complete, false);
  assert.equal(m.status, 'failed');
  assert.deepEqual(m.jobs.map((j) => j.state), ['completed', 'failed', 'unfinished', 'missing']);
  assert.ok(m.warnings.some((w) => /^jobs\/2\/events\.jsonl:\d+: truncated last line/.test(w)), m.warnings.join('\n'));
  const s = readJson<Summary>(path.join(p.runDir, 'summary.json'));
  assert.equal(s.status, 'failed');
  assert.deepEqual(s.arms.map((a) => a.statuses), [{ 'a#1': 'completed', 'a#2': 'failed' }, { 'b#1': 'failed', 'b#2': 'failed' }]);

  // A rerun replaces the job's file (here: index 1 now succeeds).
  const cfgPath = path.join(p.runDir, 'config.json');
  const cfg = readJson<{ jobs: { sweep: Record<string, string> }[] }>(cfgPath);
  cfg.jobs[1]!.sweep = {};
  fs.writeFileSync(cfgPath, JSON.stringify(cfg));
  for (const i of [1, 2, 3]) assert.equal((await runJob(p.runDir, i)).status, 'completed');
  assert.equal(lines(jobEventsFile(p.runDir, 1)).filter((e) => e.type === 'jobStart').length, 1);
  const again = mergeRun(p.runDir);
  assert.ok(again.complete);
  assert.equal(again.status, 'completed');
});

test('a job stopped from outside (SIGTERM from its scheduler) is recorded as failed, not cancelled', async () => {
  const p = planRun({ resolved: fakeConfig('stop', [fakeJob('a', 1, { ms: 200 }, 50)]), outDir: tempDir() });
  const h = startJobRun({ runDir: p.runDir, index: 0, trainerPath: FAKE_TRAINER });
  setTimeout(() => h.stop(), 300);
  const end = await h.done;
  assert.equal(end.status, 'failed');
  assert.match(end.message ?? '', /stopped from outside.*rerun index 0/);
  const recorded = lines(jobEventsFile(p.runDir, 0)).pop();
  assert.equal(recorded?.type === 'jobEnd' && recorded.status, 'failed');
});
