import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ActlabEvent } from '../../../src/core/protocol';
import { startRun } from '../../../src/runner/scheduler';
import { threadsPerJob } from '../../../src/core/threads';
import { readRun } from '../../../src/runner/runs';
import { FAKE_TRAINER, alive, fakeConfig, fakeJob, tempDir } from './fixtures';

test('runs every job with at most `parallel` trainers alive, and records the run', async () => {
  const jobs = [0, 1, 2, 3, 4, 5].map((s) => fakeJob(s % 2 ? 'gelu' : 'relu', s, { mode: 'ok', ms: 60 }));
  const config = fakeConfig('Parallel test', jobs);
  const outDir = tempDir();
  let maxAlive = 0;
  let maxPids = 0;
  const events: ActlabEvent[] = [];
  let live = 0;
  const handle = startRun({
    resolved: config, outDir, parallel: 2, cores: 4, trainerPath: FAKE_TRAINER, backend: 'cpu',
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'jobStart') maxAlive = Math.max(maxAlive, ++live);
      if (e.type === 'jobEnd') live--;
      maxPids = Math.max(maxPids, handle.activePids().length);
    },
  });
  const poll = setInterval(() => { maxPids = Math.max(maxPids, handle.activePids().length); }, 5);
  const pids = new Set<number>();
  const pidPoll = setInterval(() => handle.activePids().forEach((p) => pids.add(p)), 5);
  const result = await handle.done;
  clearInterval(poll);
  clearInterval(pidPoll);

  assert.equal(result.status, 'completed');
  // jobStart order depends on child start-up, so overlap is checked on the scheduler's own view.
  assert.ok(maxAlive <= 2, `at most 2 trainers reported started (${maxAlive})`);
  assert.equal(maxPids, 2);
  assert.ok(pids.size >= 2);
  for (const p of pids) assert.equal(alive(p), false);
  assert.deepEqual(Object.values(result.jobs), Array(6).fill('completed'));
  assert.deepEqual(events.filter((e) => e.type === 'jobStart').map((e) => (e.type === 'jobStart' ? e.jobId : '')).sort(),
    jobs.map((j) => j.jobId).sort());
  // 4 cores shared by 2 trainers at once: 2 threads each, every job alike.
  assert.deepEqual(events.flatMap((e) => (e.type === 'jobStart' ? [e.threads] : [])), Array(6).fill(2));
  assert.equal(events[0].type, 'runStart');
  assert.equal(events.at(-1)?.type, 'runEnd');
  assert.match(result.runId, /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-parallel-test$/);

  // The folder holds what was emitted.
  const rec = readRun(result.runDir);
  assert.deepEqual(rec.warnings, []);
  assert.equal(rec.events.length, events.length);
  // The backend override is recorded with the jobs it replaced.
  assert.deepEqual(rec.config.jobs.map((j) => j.backend), Array(6).fill('cpu'));
  assert.equal(config.jobs[0].backend, 'auto', 'the caller\'s config is not mutated');
  assert.equal(rec.summary?.status, 'completed');
  assert.equal(rec.summary?.arms.length, 2);
  const lock = JSON.parse(fs.readFileSync(path.join(result.runDir, 'run.json'), 'utf8')) as { status: string; pid: number };
  assert.equal(lock.status, 'completed');
  assert.equal(lock.pid, process.pid);
});

test('cancel: queued jobs and running jobs end cancelled; no trainer survives', async () => {
  const jobs = [0, 1, 2, 3].map((s) => fakeJob('relu', s, { mode: 'ok', ms: 10_000 }, 3));
  const handle = startRun({ resolved: fakeConfig('cancel', jobs), outDir: tempDir(), parallel: 2, trainerPath: FAKE_TRAINER });
  const seen = new Set<number>();
  while (seen.size < 2) {
    handle.activePids().forEach((p) => seen.add(p));
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 100));
  handle.cancel();
  const result = await handle.done;
  assert.equal(result.status, 'cancelled');
  assert.deepEqual(Object.values(result.jobs), ['cancelled', 'cancelled', 'cancelled', 'cancelled']);
  for (const p of seen) assert.equal(alive(p), false);
  const rec = readRun(result.runDir);
  const ends = rec.events.filter((e) => e.type === 'jobEnd');
  assert.equal(ends.length, 4);
  assert.equal(rec.events.filter((e) => e.type === 'jobStart').length, 2);
  assert.equal(rec.summary?.status, 'cancelled');
});

test('failed, crashed and diverged jobs: run status is the worst ending (failed over diverged)', async () => {
  const jobs = [
    fakeJob('ok', 0, { mode: 'ok', ms: 5 }),
    fakeJob('div', 0, { mode: 'diverge', ms: 5 }, 3),
    fakeJob('crash', 0, { mode: 'crash' }),
    fakeJob('fail', 0, { mode: 'fail' }),
  ];
  const result = await startRun({ resolved: fakeConfig('mixed', jobs), outDir: tempDir(), parallel: 4, trainerPath: FAKE_TRAINER }).done;
  assert.deepEqual(result.jobs, { 'ok#0': 'completed', 'div#0': 'diverged', 'crash#0': 'failed', 'fail#0': 'failed' });
  assert.equal(result.status, 'failed');
  const rec = readRun(result.runDir);
  const crash = rec.events.find((e) => e.type === 'jobEnd' && e.jobId === 'crash#0');
  assert.ok(crash && crash.type === 'jobEnd' && /simulated crash/.test(crash.message ?? ''));

  const divOnly = await startRun({
    resolved: fakeConfig('div', [fakeJob('ok', 0, { mode: 'ok', ms: 5 }), fakeJob('div', 0, { mode: 'diverge', ms: 5 }, 3)]),
    outDir: tempDir(), parallel: 2, trainerPath: FAKE_TRAINER,
  }).done;
  assert.equal(divOnly.status, 'diverged');
});

test('summary.json is rewritten after each jobEnd; a throwing report writer is logged, not fatal', async () => {
  const jobs = [fakeJob('relu', 0, { mode: 'ok', ms: 5 }), fakeJob('relu', 1, { mode: 'ok', ms: 5 })];
  const outDir = tempDir();
  const summaries: string[] = [];
  const handle = startRun({
    resolved: fakeConfig('sum', jobs), outDir, parallel: 1, trainerPath: FAKE_TRAINER, runId: 'fixed-id',
    writeReport: () => { throw new Error('no webview bundle'); },
    onEvent: (e) => {
      // onEvent runs after the event is stored, before the summary is rewritten for it: read
      // the summary on the next event.
      const f = path.join(outDir, 'fixed-id', 'summary.json');
      if (e.type === 'jobStart' && fs.existsSync(f)) summaries.push(fs.readFileSync(f, 'utf8'));
    },
  });
  assert.equal(handle.runId, 'fixed-id');
  const result = await handle.done;
  assert.equal(summaries.length, 1); // after job 1 ended, before job 2 started
  const first = JSON.parse(summaries[0]) as { status: string; arms: { completed: number }[] };
  assert.equal(first.status, 'running');
  assert.equal(first.arms[0].completed, 1);
  assert.equal(result.summary.arms[0].completed, 2);
  // FIFO: with one trainer at a time, jobs run in config order.
  const rec0 = readRun(result.runDir);
  assert.deepEqual(rec0.events.filter((e) => e.type === 'jobStart').map((e) => (e.type === 'jobStart' ? e.jobId : '')), ['relu#0', 'relu#1']);
  const rec = readRun(result.runDir);
  const log = rec.events.find((e) => e.type === 'log');
  assert.ok(log && log.type === 'log' && /report.html not written: no webview bundle/.test(log.message));
  assert.equal(result.status, 'completed');
  assert.throws(() => startRun({ resolved: fakeConfig('sum', jobs), outDir, parallel: 1, trainerPath: FAKE_TRAINER, runId: 'fixed-id' }), /EEXIST/);
});

test('two runs of one config in the same second get distinct folders', async () => {
  const outDir = tempDir();
  const cfg = fakeConfig('Same Name!', []);
  const a = startRun({ resolved: cfg, outDir, parallel: 1, trainerPath: FAKE_TRAINER });
  const b = startRun({ resolved: cfg, outDir, parallel: 1, trainerPath: FAKE_TRAINER });
  assert.notEqual(a.runDir, b.runDir);
  const [ra, rb] = await Promise.all([a.done, b.done]);
  assert.equal(ra.status, 'completed');
  assert.equal(rb.status, 'completed');
  assert.match(a.runId, /-same-name$/);
  assert.match(b.runId, /-same-name(-2)?$/);
});

test('a second cancel kills trainers that ignore the first at once', async () => {
  const jobs = [fakeJob('relu', 0, { mode: 'deaf', ms: 10_000 }, 3)];
  let jobStarted = false;
  const handle = startRun({
    resolved: fakeConfig('kill', jobs), outDir: tempDir(), parallel: 1, trainerPath: FAKE_TRAINER,
    onEvent: (e) => { if (e.type === 'jobStart') jobStarted = true; },
  });
  // Wait until the trainer has taken the job (and installed its handlers), however slow the machine.
  while (!jobStarted) await new Promise((r) => setTimeout(r, 20));
  const [pid] = handle.activePids();
  const t0 = Date.now();
  handle.cancel();
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(pid), true, 'the deaf trainer ignored the cancel message');
  handle.cancel();
  const result = await handle.done;
  assert.ok(Date.now() - t0 < 1000, 'killed well before the SIGTERM escalation');
  assert.equal(result.jobs['relu#0'], 'cancelled');
  assert.equal(alive(pid), false);
});

test('threadsPerJob: the cores are shared among the trainers that run at once', () => {
  assert.equal(threadsPerJob(2, 2, 9), 1, 'the quick start: 9 jobs, 2 at once');
  assert.equal(threadsPerJob(2, 2, 1), 2, 'one job alone gets both cores');
  assert.equal(threadsPerJob(16, 4, 30), 4);
  assert.equal(threadsPerJob(2, 8, 8), 1);
});

test('the writeReport hook runs once, on the complete run folder, before run.json says it ended; without one, no report', async () => {
  const jobs = [fakeJob('relu', 0, { mode: 'ok', ms: 5 })];
  const calls: Array<{ dir: string; status: string; hasRunEnd: boolean }> = [];
  const result = await startRun({
    resolved: fakeConfig('hook', jobs), outDir: tempDir(), parallel: 1, trainerPath: FAKE_TRAINER,
    writeReport: (dir) => {
      const lock = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as { status: string };
      calls.push({ dir, status: lock.status, hasRunEnd: readRun(dir).events.some((e) => e.type === 'runEnd') });
      return path.join(dir, 'report.html');
    },
  }).done;
  assert.deepEqual(calls, [{ dir: result.runDir, status: 'running', hasRunEnd: true }]);
  const plain = await startRun({ resolved: fakeConfig('plain', jobs), outDir: tempDir(), parallel: 1, trainerPath: FAKE_TRAINER }).done;
  assert.equal(fs.existsSync(path.join(plain.runDir, 'report.html')), false);
});

test('GPU jobs run one at a time while CPU jobs take the other slots', async () => {
  const gpu = [0, 1, 2].map((s) => ({ ...fakeJob('gpu', s, { mode: 'ok', ms: 300, backendName: 'webgpu' }), backend: 'webgpu' as const }));
  const cpu = [0, 1, 2, 3].map((s) => ({ ...fakeJob('cpu', s, { mode: 'ok', ms: 40 }), backend: 'wasm' as const }));
  // Each job's life as the scheduler sees it: from its start to its end event.
  const span = new Map<string, [number, number]>();
  const t0 = performance.now();
  const result = await (startRun({
    resolved: fakeConfig('gpu', [...gpu, ...cpu]), outDir: tempDir(), parallel: 3, cores: 3, trainerPath: FAKE_TRAINER,
    onEvent: (e) => {
      if (e.type === 'jobStart') span.set(e.jobId, [performance.now() - t0, Infinity]);
      if (e.type === 'jobEnd') span.get(e.jobId)![1] = performance.now() - t0;
    },
  })).done;
  assert.equal(result.status, 'completed');
  const overlap = (a: [number, number], b: [number, number]): boolean => a[0] < b[1] && b[0] < a[1];
  const gpuSpans = gpu.map((j) => span.get(j.jobId)!);
  const cpuSpans = cpu.map((j) => span.get(j.jobId)!);
  gpuSpans.forEach((a, i) => gpuSpans.slice(i + 1).forEach((b) => assert.ok(!overlap(a, b), `GPU jobs overlapped: ${JSON.stringify(gpuSpans)}`)));
  const spans = `cpu ${JSON.stringify(cpuSpans)}, gpu ${JSON.stringify(gpuSpans)}`;
  // The CPU jobs do not queue behind the GPU jobs (config order): they overtake them and run beside one.
  const lastGpuStart = Math.max(...gpuSpans.map((g) => g[0]));
  assert.ok(cpuSpans.every((c) => c[0] < lastGpuStart), `CPU jobs waited for the GPU: ${spans}`);
  assert.ok(cpuSpans.some((c) => gpuSpans.some((g) => overlap(c, g))), `a CPU job ran beside a GPU job: ${spans}`);
});

test("jobs asking for 'webgpu' that fell back to the CPU (no adapter) are no longer held to one at a time", async () => {
  const jobs = [0, 1, 2, 3].map((s) => ({ ...fakeJob('gpu', s, { mode: 'ok', ms: 400, backendName: 'wasm' }), backend: 'webgpu' as const }));
  const handle = startRun({ resolved: fakeConfig('fallback', jobs), outDir: tempDir(), parallel: 2, cores: 2, trainerPath: FAKE_TRAINER });
  // The scheduler's own view: once the first job says it runs on wasm, a second trainer starts beside it.
  let maxPids = 0;
  const poll = setInterval(() => { maxPids = Math.max(maxPids, handle.activePids().length); }, 5);
  const result = await handle.done;
  clearInterval(poll);
  assert.equal(result.status, 'completed');
  assert.equal(maxPids, 2);
});
