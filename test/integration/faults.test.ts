// The fault suite (docs/RELIABILITY.md): the real CLI (dist/cli.js) against full disks, a big
// sweep cancelled, a killed CLI, symlinked run files and hostile IDX input. Each case checks
// that nothing flushed is lost, no trainer is left behind, the status is truthful, no temporary
// file stays, and the user sees a short message, never a stack trace.
// The full-disk cases mount small tmpfs file systems, which needs root (as here and on CI);
// elsewhere they are skipped with a message. Every mount is undone in after(), whatever happens.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeEventLine, type ActlabEvent } from '../../src/core/protocol';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'actlab.js');
const FAKE_TRAINER = path.join(ROOT, 'test', 'fixtures', 'runner', 'fake-trainer.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'actlab-faults-'));
const mounts: string[] = [];

interface CliResult { code: number | null; stdout: string; stderr: string }

function startCli(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; result: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COLUMNS: '1000', ...env } }); // one line per message, for the patterns
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const result = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, result };
}
const fake = { ACTLAB_TRAINER: FAKE_TRAINER };

function writeConfig(name: string, extra: Record<string, unknown> = {}): string {
  const file = path.join(tmp, `${name}.actlab.json`);
  fs.writeFileSync(file, JSON.stringify({
    name, data: { dataset: 'mnist', trainSize: 100, testSize: 20 }, model: { type: 'mlp', hidden: [4] },
    activations: [{ id: 'relu', type: 'relu' }], training: { epochs: 2, batchSize: 10, seeds: [1, 2] }, ...extra,
  }));
  return file;
}

/** Mounts a tmpfs of `size` at a fresh folder; undefined (and the test skipped) without root. */
function tmpfs(size: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const dir = fs.mkdtempSync(path.join(tmp, 'disk-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  mounts.push(dir);
  return dir;
}

/** Fills a file system to the last byte. */
function fill(dir: string): void {
  const fd = fs.openSync(path.join(dir, 'filler'), 'w');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (e) {
    assert.equal((e as NodeJS.ErrnoException).code, 'ENOSPC');
    for (let b = Buffer.alloc(1); ;) try { fs.writeSync(fd, b); } catch { break; }
  } finally {
    fs.closeSync(fd);
  }
}

const alive = (pid: number): boolean => {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
};
/** Descendants of a pid (Linux /proc), for finding trainers. */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* exited meanwhile */ }
  }
  const out: number[] = [];
  const walk = (p: number): void => { for (const [c, pp] of parent) if (pp === p) { out.push(c); walk(c); } };
  walk(pid);
  return out;
}
async function waitFor(what: string, ok: () => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Size of the one run's events.jsonl under `out`, 0 until it exists. */
function eventsSize(out: string): number {
  try {
    const dirs = fs.readdirSync(out);
    return dirs.length === 1 ? fs.statSync(path.join(out, dirs[0], 'events.jsonl')).size : 0;
  } catch {
    return 0;
  }
}

const onlyRun = (out: string): string => {
  const dirs = fs.readdirSync(out).filter((n) => fs.statSync(path.join(out, n)).isDirectory());
  assert.equal(dirs.length, 1, `one run folder in ${out}: ${dirs.join(', ')}`);
  return path.join(out, dirs[0]);
};
/** Every line of events.jsonl is a whole, valid event (nothing flushed is damaged). */
function wholeEvents(runDir: string): ActlabEvent[] {
  const text = fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8');
  assert.ok(text === '' || text.endsWith('\n'), 'events.jsonl ends with a whole line');
  return text.split('\n').filter((l) => l !== '').map((l) => {
    const e = decodeEventLine(l);
    assert.notEqual(typeof e, 'string', `a valid line: ${l.slice(0, 200)}`);
    return e as ActlabEvent;
  });
}
const tmpFiles = (dir: string): string[] => fs.readdirSync(dir, { recursive: true }).map(String).filter((n) => n.endsWith('.tmp'));
const runJson = (runDir: string): { status: string; error?: string } => JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as { status: string; error?: string };
const noStack = (r: CliResult): void => assert.doesNotMatch(r.stderr + r.stdout, /^\s+at .+[:(]\d+/m, 'no stack trace');

before(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js')) || !fs.existsSync(path.join(ROOT, 'dist', 'trainer.js'))) {
    const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
});

after(() => {
  for (const m of mounts) spawnSync('umount', ['-l', m]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('full disk at the start: one message, exit 1, no run folder left', async (t) => {
  const disk = tmpfs('64k');
  if (!disk) return t.skip('needs root to mount a tmpfs');
  fill(disk);
  const r = await startCli(['run', writeConfig('start'), '--out', path.join(disk, 'runs')], fake).result;
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /cannot create a run folder in .*\n\s+why: the disk is full \(ENOSPC\)\n\s+fix: free space there/);
  noStack(r);
  assert.deepEqual(fs.readdirSync(path.join(disk, 'runs')), [], 'the half-made run folder is removed');
  assert.deepEqual(tmpFiles(disk), []);
});

test('full disk mid-run: the run stops failed, says where, keeps every whole line, leaves no trainer or temp file', async (t) => {
  const disk = tmpfs('512k');
  if (!disk) return t.skip('needs root to mount a tmpfs');
  const out = path.join(disk, 'runs');
  const cli = startCli(['run', writeConfig('mid', { training: { epochs: 100_000, batchSize: 10, seeds: [1, 2, 3] } }), '--out', out, '--parallel', '2'], fake);
  let trainers: number[] = [];
  await waitFor('events', () => {
    trainers = descendants(cli.child.pid ?? 0);
    return eventsSize(out) > 2000;
  }, 20_000);
  fill(disk);
  const r = await cli.result;
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /actlab run: the run folder could not be fully written\n\s+why: disk full writing events\.jsonl at .*events\.jsonl \(ENOSPC\)\n\s+fix: free space there/);
  noStack(r);
  const runDir = onlyRun(out);
  const lock = runJson(runDir);
  assert.equal(lock.status, 'failed', 'failed, not "interrupted": the writer ended properly');
  assert.match(lock.error ?? '', /disk full writing events\.jsonl/);
  const evs = wholeEvents(runDir);
  assert.ok(evs.some((e) => e.type === 'epoch'), 'the epochs flushed before the disk filled are kept');
  assert.deepEqual(tmpFiles(disk), []);
  for (const p of trainers) assert.equal(alive(p), false, `trainer ${p} exited`);
  // The reserve freed at the first failure held every job's ending and the runEnd.
  const ended = new Set(evs.flatMap((e) => (e.type === 'jobEnd' ? [e.jobId] : [])));
  assert.equal(ended.size, 3, 'every job ends with exactly one status');
  assert.equal(evs.filter((e) => e.type === 'jobEnd').length, 3);
  assert.ok(evs.some((e) => e.type === 'runEnd' && e.status === 'failed'));
  assert.equal(fs.existsSync(path.join(runDir, '.reserve')), false);
  const list = await startCli(['list', out], fake).result;
  assert.match(list.stdout, /failed/);
  assert.doesNotMatch(list.stdout, /interrupted|running/);
});

test('full disk at the end (report.html does not fit): completed data kept, no partial report, exit 1 with the reason', async (t) => {
  const disk = tmpfs('400k'); // config, events and summary fit; the ~700 kB report does not
  if (!disk) return t.skip('needs root to mount a tmpfs');
  const out = path.join(disk, 'runs');
  const r = await startCli(['run', writeConfig('end'), '--out', out], fake).result;
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /why: report\.html not written: disk full writing report\.html at .*report\.html \(ENOSPC\)/);
  noStack(r);
  const runDir = onlyRun(out);
  assert.equal(fs.existsSync(path.join(runDir, 'report.html')), false, 'no truncated report.html');
  const lock = runJson(runDir);
  assert.equal(lock.status, 'completed', 'every job completed and was recorded');
  assert.match(lock.error ?? '', /report\.html not written: disk full/);
  const evs = wholeEvents(runDir);
  assert.equal(evs.filter((e) => e.type === 'jobEnd' && e.status === 'completed').length, 2);
  assert.ok(evs.some((e) => e.type === 'runEnd' && e.status === 'completed'));
  assert.deepEqual(tmpFiles(disk), []);
});

test('Ctrl-C on a 10,000-job sweep: the CLI exits within 2 s with exactly one jobEnd per job', async (t) => {
  const seeds = Array.from({ length: 10_000 }, (_, i) => i + 1);
  const out = path.join(tmp, 'big');
  const cli = startCli(['run', writeConfig('big', { training: { epochs: 100_000, batchSize: 10, seeds } }), '--out', out, '--parallel', '2'], fake);
  await waitFor('two trainers', () => descendants(cli.child.pid ?? 0).length >= 2 && eventsSize(out) > 0, 30_000);
  await new Promise((r) => setTimeout(r, 300));
  const trainers = descendants(cli.child.pid ?? 0);
  const t0 = Date.now();
  cli.child.kill('SIGINT');
  const r = await cli.result;
  const ms = Date.now() - t0;
  // Beyond 1 load per core, every process gets a share of one: the budget scales (at most 3×).
  const budget = 2000 * Math.min(3, Math.max(1, os.loadavg()[0] / os.availableParallelism()));
  t.diagnostic(`10,000 jobs: exited ${ms} ms after SIGINT (budget ${Math.round(budget)} ms, load ${os.loadavg()[0].toFixed(1)})`);
  assert.ok(ms <= budget, `exit took ${ms} ms`);
  assert.equal(r.code, 1);
  noStack(r);
  const runDir = onlyRun(out);
  const ends = new Map<string, number>();
  for (const e of wholeEvents(runDir)) if (e.type === 'jobEnd') ends.set(e.jobId, (ends.get(e.jobId) ?? 0) + 1);
  assert.equal(ends.size, 10_000);
  assert.ok([...ends.values()].every((n) => n === 1));
  assert.equal(runJson(runDir).status, 'cancelled');
  for (const p of trainers) assert.equal(alive(p), false);
});

test('SIGKILL of the CLI: a trainer training, or one given a FIFO as its IDX input, exits within a few seconds', async (t) => {
  // A real trainer in the middle of a long job.
  const busy = startCli(['run', writeConfig('long', { data: { dataset: 'mnist', trainSize: 2000, testSize: 200 }, training: { epochs: 1000, batchSize: 10, seeds: [1] } }), '--out', path.join(tmp, 'long'), '--json']);
  let trainers: number[] = [];
  await waitFor('the trainer to start its job', () => {
    trainers = descendants(busy.child.pid ?? 0);
    return trainers.length > 0 && /"type":"jobStart"/.test(fs.existsSync(path.join(tmp, 'long')) ? fs.readdirSync(path.join(tmp, 'long')).map((d) => { try { return fs.readFileSync(path.join(tmp, 'long', d, 'events.jsonl'), 'utf8'); } catch { return ''; } }).join('') : '');
  }, 60_000);
  const killedAt = Date.now();
  busy.child.kill('SIGKILL');
  await busy.result;
  await waitFor('the orphaned trainer to exit', () => trainers.every((p) => !alive(p)), 5000);
  t.diagnostic(`training trainer gone ${Date.now() - killedAt} ms after the CLI's SIGKILL`);

  // IDX files that are FIFOs: refused at once (a read would block forever), the job fails.
  const idxDir = path.join(tmp, 'idx-fifo');
  fs.mkdirSync(idxDir);
  for (const n of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) execFileSync('mkfifo', [path.join(idxDir, n)]);
  const cfg = writeConfig('fifo', { data: { dataset: 'idx', path: idxDir, trainSize: 10, testSize: 5 }, training: { epochs: 1, batchSize: 10, seeds: [1] } });
  const t0 = Date.now();
  const r = await startCli(['run', cfg, '--out', path.join(tmp, 'fifo')]).result;
  assert.ok(Date.now() - t0 < 60_000);
  assert.equal(r.code, 1);
  assert.match(r.stdout + r.stderr, /not a regular file/);
  noStack(r);
  const killed = startCli(['run', cfg, '--out', path.join(tmp, 'fifo2')]);
  let fifoTrainers: number[] = [];
  await waitFor('a trainer', () => (fifoTrainers = descendants(killed.child.pid ?? 0)).length > 0 || killed.child.exitCode !== null, 30_000);
  killed.child.kill('SIGKILL');
  await killed.result;
  await waitFor('the trainer to exit', () => fifoTrainers.every((p) => !alive(p)), 5000);
  for (const n of fs.readdirSync(idxDir)) fs.unlinkSync(path.join(idxDir, n));
});

test('symlinked run files: `actlab report` refuses report.html → outside; the outside file is unchanged', async () => {
  const out = path.join(tmp, 'links');
  const r = await startCli(['run', writeConfig('links'), '--out', out], fake).result;
  assert.equal(r.code, 0, r.stderr);
  const runDir = onlyRun(out);
  const outside = path.join(tmp, 'outside.html');
  fs.writeFileSync(outside, 'not yours');
  fs.rmSync(path.join(runDir, 'report.html'));
  fs.symlinkSync(outside, path.join(runDir, 'report.html'));
  const rep = await startCli(['report', runDir]).result;
  assert.equal(rep.code, 1);
  assert.match(rep.stderr, /cannot write the report of .*\n\s+why: report\.html at .* is a symbolic link; refusing to write through it/);
  noStack(rep);
  assert.equal(fs.readFileSync(outside, 'utf8'), 'not yours');
  // A symlinked events.jsonl is not read (it could be /dev/zero): an error, not an empty report.
  fs.rmSync(path.join(runDir, 'report.html'));
  fs.renameSync(path.join(runDir, 'events.jsonl'), path.join(tmp, 'events.jsonl'));
  fs.symlinkSync('/dev/zero', path.join(runDir, 'events.jsonl'));
  const ev = await startCli(['report', runDir]).result;
  assert.equal(ev.code, 1);
  assert.match(ev.stderr, /symbolic link/);
  assert.equal(fs.existsSync(path.join(runDir, 'report.html')), false);
  assert.deepEqual(tmpFiles(runDir), []);
});

test('a read-only --out and a run folder with a damaged config.json: three lines, no stack trace', async (t) => {
  const disk = tmpfs('64k');
  if (!disk) return t.skip('needs root to mount a tmpfs');
  spawnSync('mount', ['-o', 'remount,ro', disk]);
  const r = await startCli(['run', writeConfig('ro'), '--out', path.join(disk, 'runs')], fake).result;
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot create a run folder in .*\n\s+why: the file system is read-only \(EROFS\)/);
  noStack(r);
  const runs = path.join(tmp, 'damaged');
  fs.mkdirSync(path.join(runs, 'r1'), { recursive: true });
  fs.writeFileSync(path.join(runs, 'r1', 'config.json'), '{bad');
  for (const args of [['list', runs], ['report', path.join(runs, 'r1')]]) {
    const d = await startCli(args).result;
    noStack(d);
    assert.ok(d.code === 0 || /why: /.test(d.stderr), `${args[0]}: a short explanation`);
  }
});
