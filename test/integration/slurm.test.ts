// Cluster mode against a real Slurm: a private one-node cluster (Debian's slurmctld, slurmd and
// munge, scripts/slurm/start.sh) runs a planned run as a job array of `actlab run-job` tasks.
// The numbers are deterministic, so the merged summary must equal a local `actlab run` of the
// same config with the same --threads. The cluster is stopped in after(), and on a signal or an
// exit of this process, whatever happens.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeEventLine, type ActlabEvent } from '../../src/core/protocol';
import type { Summary } from '../../src/core/summary';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'actlab.js');
const SLURM = path.join(ROOT, 'scripts', 'slurm');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'actlab-slurm-test-'));
// munged runs as its own user and must reach its socket folder inside (mkdtemp makes 0700).
fs.chmodSync(tmp, 0o755);
const clusterDir = path.join(tmp, 'cluster');
const runsDir = path.join(tmp, 'runs');
const env: NodeJS.ProcessEnv = { ...process.env, SLURM_CONF: path.join(clusterDir, 'slurm.conf'), PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` };

/** Why the test cannot run here, or undefined: only a machine where Slurm cannot be installed skips. */
function cannotInstall(): string | undefined {
  const r = spawnSync('bash', [path.join(SLURM, 'ensure.sh')], { encoding: 'utf8', env });
  if (r.status === 0) return undefined;
  const root = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  // Root with apt must be able to install it: that failure is a failure, not a skip.
  assert.ok(!(root && apt), `scripts/slurm/ensure.sh failed as root with apt:\n${r.stdout}${r.stderr}`);
  return `Slurm is not installed and cannot be here (${root ? 'no apt-get' : 'not root'}): ${r.stderr.trim()}`;
}
const skip = cannotInstall();
if (skip) process.stderr.write(`slurm.test.ts: skipped: ${skip}\n`);

let started = false;
function stopCluster(): void {
  if (!started) return;
  started = false;
  const r = spawnSync('bash', [path.join(SLURM, 'stop.sh'), clusterDir], { encoding: 'utf8', env });
  if (r.status !== 0) process.stderr.write(`stop.sh: ${r.stdout}${r.stderr}\n`);
}
// after() does not run when the process is interrupted; these do (a trap, in shell terms).
process.once('exit', stopCluster);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { stopCluster(); process.exit(130); });

interface Result { code: number | null; stdout: string; stderr: string }
function run(cmd: string, args: string[]): Promise<Result> {
  const child = spawn(cmd, args, { cwd: tmp, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
const actlab = (...args: string[]): Promise<Result> => run(process.execPath, [BIN, ...args]);
const lastLine = (s: string): string => s.trimEnd().split('\n').pop() ?? '';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, ok: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}
/** The array's tasks still known to slurmctld as pending or running. */
function activeTasks(jobId: string): string[] {
  const r = spawnSync('squeue', ['-h', '-r', '-j', jobId, '-o', '%i %T'], { encoding: 'utf8', env });
  return r.stdout.trim() ? r.stdout.trim().split('\n') : [];
}
const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;
const runStatus = (dir: string): string => readJson<{ status: string }>(path.join(dir, 'run.json')).status;

function writeConfig(name: string, config: unknown): string {
  const file = path.join(tmp, `${name}.actlab.json`);
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}
const teacher = (name: string, o: { n: number; hidden: number; epochs: number; batchSize: number; activations: unknown[] }): string => writeConfig(name, {
  name,
  data: { dataset: 'teacher', n: o.n, d: 8, width: 16, noise: 0.1 },
  model: { type: 'mlp', hidden: [o.hidden] },
  activations: o.activations,
  training: { epochs: o.epochs, batchSize: o.batchSize, seeds: [1, 2], loss: 'mse' },
});

/**
 * summary.json without what is specific to one run by nature: runId (the folder's name) and
 * each arm's seconds and samplesPerSec (wall-clock timings). Everything else — statuses, every
 * loss/accuracy statistic, dead units, epochs done, backend, best arm — must be equal.
 */
function comparable(dir: string): unknown {
  const TIMINGS = new Set(['runId', 'seconds', 'samplesPerSec']);
  return JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'), (k, v: unknown) => (TIMINGS.has(k) ? undefined : v));
}

async function plan(config: string): Promise<string> {
  const r = await actlab('plan', config, '--out', runsDir);
  assert.equal(r.code, 0, r.stderr);
  const dir = lastLine(r.stdout);
  assert.equal(runStatus(dir), 'planned');
  return dir;
}
async function submit(dir: string, parallel: number): Promise<string> {
  const r = await actlab('submit', 'slurm', dir, '--parallel', String(parallel), '--cpus', '1', '--submit');
  assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
  const id = lastLine(r.stdout);
  assert.match(id, /^\d+$/);
  return id;
}
/** Local runs overlap the cluster's; after() waits for them before removing their folder. */
const pending: Promise<unknown>[] = [];
function localRun(config: string): Promise<string> {
  const p = localRunNow(config);
  pending.push(p.catch(() => undefined));
  return p;
}
async function localRunNow(config: string): Promise<string> {
  const r = await actlab('run', config, '--out', path.join(tmp, 'local'), '--threads', '1', '--parallel', '2', '--quiet');
  assert.equal(r.code, 0, r.stderr);
  return lastLine(r.stdout).replace(/^completed: /, '');
}
function events(dir: string): ActlabEvent[] {
  return fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8').trimEnd().split('\n').map((l) => decodeEventLine(l) as ActlabEvent);
}

before(async () => {
  if (skip) return;
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js')) || !fs.existsSync(path.join(ROOT, 'dist', 'trainer.js'))) {
    const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
  started = true; // from here on stop.sh runs, even if start.sh fails half-way
  const r = await run('bash', [path.join(SLURM, 'start.sh'), clusterDir]);
  assert.equal(r.code, 0, `start.sh failed:\n${r.stdout}${r.stderr}`);
});

after(async () => {
  stopCluster();
  await Promise.all(pending);
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('a 6-job array with --parallel 2 merges to the summary of a local run', { skip }, async () => {
  const config = teacher('six', {
    n: 200, hidden: 16, epochs: 3, batchSize: 32,
    activations: [{ id: 'relu', type: 'relu' }, { id: 'leaky', type: 'leakyRelu', alpha: { sweep: [-0.5, 0.1] } }],
  });
  const dir = await plan(config);
  const script = fs.readFileSync((await actlab('submit', 'slurm', dir, '--parallel', '2')).stdout.trim(), 'utf8');
  assert.match(script, /^#SBATCH --array=0-5%2$/m);
  assert.match(script, /run-job .+ --index "\$SLURM_ARRAY_TASK_ID"/);

  const id = await submit(dir, 2);
  const local = localRun(config); // meanwhile: the same config, locally, with the same threads
  // The last task to end merges: run.json's final status says the array is done.
  await waitFor('the array to end and merge', () => activeTasks(id).length === 0 && runStatus(dir) !== 'submitted', 90_000);
  assert.equal(runStatus(dir), 'completed');
  assert.equal(readJson<{ submitted: { id: string } }>(path.join(dir, 'run.json')).submitted.id, id);
  for (let i = 0; i < 6; i++) assert.ok(fs.existsSync(path.join(dir, 'jobs', String(i), 'events.jsonl')), `jobs/${i}`);
  assert.equal(fs.readdirSync(path.join(dir, 'logs')).filter((f) => f.startsWith(`slurm-${id}_`)).length, 6);

  const merged = await actlab('merge', dir); // again, by hand: idempotent
  assert.equal(merged.code, 0, merged.stdout + merged.stderr);
  const evs = events(dir);
  assert.equal(evs[0]?.type, 'runStart');
  assert.equal(evs[evs.length - 1]?.type, 'runEnd');
  const starts = evs.filter((e) => e.type === 'jobStart').map((e) => e.jobId);
  assert.deepEqual(starts, readJson<{ jobs: { jobId: string }[] }>(path.join(dir, 'config.json')).jobs.map((j) => j.jobId));
  assert.ok(fs.existsSync(path.join(dir, 'report.html')));

  const localDir = await local;
  assert.equal(readJson<Summary>(path.join(dir, 'summary.json')).status, 'completed');
  assert.deepEqual(comparable(dir), comparable(localDir));
});

test('tasks killed mid-run show up as failed in merge; rerunning their indices completes the run', { skip }, async () => {
  // Long enough to be caught mid-run even on an idle machine (40 epochs once ended before the kill).
  const config = teacher('long', { n: 1000, hidden: 64, epochs: 400, batchSize: 16, activations: [{ id: 'relu', type: 'relu' }] });
  const dir = await plan(config);
  const id = await submit(dir, 2);
  const local = localRun(config);
  const hasEpoch = (i: number): boolean => {
    try { return fs.readFileSync(path.join(dir, 'jobs', String(i), 'events.jsonl'), 'utf8').includes('"type":"epoch"'); } catch { return false; }
  };
  await waitFor('both tasks to be training', () => hasEpoch(0) && hasEpoch(1), 60_000);
  // Index 0 as scancel stops it (SIGTERM: run-job stops the trainer and records the job as
  // failed); index 1 as a crash or the OOM killer would (SIGKILL of run-job, found by its
  // job.json: the file is left without a jobEnd).
  assert.equal((await run('scancel', [`${id}_0`])).code, 0);
  process.kill(readJson<{ pid: number }>(path.join(dir, 'jobs', '1', 'job.json')).pid, 'SIGKILL');
  await waitFor('the tasks to end', () => activeTasks(id).length === 0, 30_000);

  const broken = await actlab('merge', dir, '--quiet');
  assert.equal(broken.code, 1, broken.stdout + broken.stderr);
  assert.match(broken.stdout, /2 of 2 job\(s\) did not complete/);
  assert.match(broken.stdout, /\[0\] relu#1: failed — task stopped from outside/);
  assert.match(broken.stdout, /\[1\] relu#2: did not end: jobs\/1\/events\.jsonl has no jobEnd/);
  for (const i of [0, 1]) assert.match(broken.stdout, new RegExp(`rerun: .*actlab\\.js run-job .+ --index ${i}\\n`));
  assert.match(broken.stdout, new RegExp(`sbatch --array=0,1 `));
  assert.equal(runStatus(dir), 'failed');
  assert.equal(readJson<Summary>(path.join(dir, 'summary.json')).status, 'failed');

  // Rerun each index as merge says (here, on this node), then merge: complete and equal to local.
  const reruns = await Promise.all(['0', '1'].map((i) => actlab('run-job', dir, '--index', i, '--threads', '1')));
  for (const r of reruns) assert.equal(r.code, 0, r.stdout + r.stderr);
  const fixed = await actlab('merge', dir, '--quiet');
  assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
  assert.equal(runStatus(dir), 'completed');
  assert.deepEqual(comparable(dir), comparable(await local));
});
