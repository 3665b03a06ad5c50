import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { JobSpec } from '../../../src/core/config';
import { decodeEventLine, parseEvent, PROTOCOL_VERSION, type JobEndEvent, type TrainerEvent } from '../../../src/core/protocol';
import { teacherData, tinyJob } from '../../fixtures/trainer/jobs';
import { trainerBundle } from '../../fixtures/trainer/trainerBuild';

let trainer = '';
let tmp = '';
before(async () => {
  trainer = await trainerBundle();
  tmp = mkdtempSync(join(tmpdir(), 'actlab-trainer-'));
});
after(() => {
  rmSync(tmp, { recursive: true, force: true });
  if (trainer.includes(`${join('.cache', 'test-trainer-')}`)) rmSync(dirname(trainer), { recursive: true, force: true });
});

interface Child { proc: ChildProcess; events: TrainerEvent[]; exit: Promise<number | null>; stderr: () => string }

function start(): Child {
  const proc = fork(trainer, [], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const events: TrainerEvent[] = [];
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  proc.on('message', (raw: unknown) => {
    const e = parseEvent(raw);
    assert.equal(typeof e, 'object', `protocol-valid message: ${JSON.stringify(raw)}`);
    events.push(e as TrainerEvent);
  });
  const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, events, exit, stderr: () => stderr };
}

const startMessage = (job: unknown) => ({ type: 'start', v: PROTOCOL_VERSION, job });
const endOf = (events: TrainerEvent[]): JobEndEvent => {
  const ends = events.filter((e): e is JobEndEvent => e.type === 'jobEnd');
  assert.equal(ends.length, 1);
  assert.equal(events.at(-1), ends[0]);
  return ends[0]!;
};

async function waitFor(cond: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Long enough that it is still running when stopped. */
const longJob = (): JobSpec => tinyJob({ data: teacherData({ trainSize: 5000 }), training: { loss: 'mse', batchSize: 10, epochs: 50 } });

test('forked trainer runs a job over IPC and exits 0', async () => {
  const c = start();
  c.proc.send(startMessage(tinyJob()));
  const code = await c.exit;
  assert.equal(code, 0, c.stderr());
  assert.deepEqual(c.events.filter((e) => e.type !== 'step').map((e) => e.type), ['jobStart', 'probe', 'epoch', 'probe', 'epoch', 'probe', 'jobEnd']);
  assert.equal(endOf(c.events).status, 'completed');
});

for (const how of ['cancel message', 'SIGTERM'] as const) {
  test(`a ${how} ends the job as cancelled within a second, exit 1`, async () => {
    const c = start();
    c.proc.send(startMessage(longJob()));
    await waitFor(() => c.events.some((e) => e.type === 'step'));
    const asked = Date.now();
    if (how === 'SIGTERM') c.proc.kill('SIGTERM');
    else c.proc.send({ type: 'cancel', v: PROTOCOL_VERSION });
    await waitFor(() => c.events.some((e) => e.type === 'jobEnd'));
    assert.ok(Date.now() - asked < 1000, `${Date.now() - asked} ms`);
    assert.equal(endOf(c.events).status, 'cancelled');
    assert.equal(await c.exit, 1);
  });
}

test('invalid messages: junk is logged and ignored; a bad job fails with the reason', async () => {
  const c = start();
  c.proc.send({ type: 'hello', v: PROTOCOL_VERSION });
  c.proc.send(startMessage({ ...tinyJob({ jobId: 'bad#1' }), training: { epochs: 0 } }));
  assert.equal(await c.exit, 1);
  assert.deepEqual(c.events.map((e) => e.type), ['log', 'jobEnd']);
  assert.match((c.events[0] as { message: string }).message, /unknown message type 'hello'/);
  const end = endOf(c.events);
  assert.deepEqual([end.jobId, end.status], ['bad#1', 'failed']);
  assert.match(end.message!, /invalid job: job.training.epochs and batchSize must be positive integers/);
});

test('by hand: --job file writes JSON-line events to stdout', async () => {
  const file = join(tmp, 'job.json');
  writeFileSync(file, JSON.stringify(tinyJob({ data: teacherData(), training: { loss: 'mse' } })));
  const proc = spawn(process.execPath, [trainer, '--job', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
  assert.equal(code, 0);
  const events = out.trim().split('\n').map((line) => decodeEventLine(line));
  for (const e of events) assert.equal(typeof e, 'object', String(e));
  assert.equal(endOf(events as TrainerEvent[]).status, 'completed');
  assert.equal((events[0] as TrainerEvent).type, 'jobStart');
});

test('the bundled trainer trains a CNN on two threads (its replica runs from the same bundle) and exits', async () => {
  const c = start();
  const job = tinyJob({
    jobId: 'cnn2#1', backend: 'wasm',
    model: { type: 'cnn', conv: [16, 32], dense: [128], init: 'he', bias: true },
    data: { trainSize: 256, testSize: 100 }, training: { epochs: 1, batchSize: 128, learningRate: 1e-3 },
  });
  c.proc.send({ ...startMessage(job), threads: 2 });
  assert.equal(await c.exit, 0, c.stderr());
  const start0 = c.events.find((e) => e.type === 'jobStart');
  assert.equal(start0?.type === 'jobStart' && start0.threads, 2);
  assert.equal(endOf(c.events).status, 'completed');
});

test('a start with an invalid thread count fails its job with the reason', async () => {
  const c = start();
  c.proc.send({ ...startMessage(tinyJob({ jobId: 'threads#1' })), threads: 0 });
  assert.equal(await c.exit, 1);
  assert.match(endOf(c.events).message!, /threads must be a positive integer/);
});
