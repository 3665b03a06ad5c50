// The `actlab` CLI end to end: the built bundle (dist/cli.js) with the real trainer
// (dist/trainer.js), on tiny configs so the whole file stays well under a minute on 2 cores.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeEventLine, type ActlabEvent, type JobEndEvent } from '../../src/core/protocol';
import type { Summary } from '../../src/core/summary';
import { mean } from '../../src/core/stats';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'actlab.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'actlab-cli-'));
const outDir = path.join(tmp, 'runs');

interface CliResult { code: number | null; stdout: string; stderr: string }

function startCli(args: string[]): { child: ChildProcess; result: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const result = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, result };
}
const cli = (...args: string[]): Promise<CliResult> => startCli(args).result;

function writeConfig(name: string, config: unknown): string {
  const file = path.join(tmp, `${name}.actlab.json`);
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

const mlp = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name,
  data: { dataset: 'mnist', trainSize: 300, testSize: 100 },
  model: { type: 'mlp', hidden: [32] },
  activations: [{ id: 'relu', type: 'relu' }, { id: 'nrelu', type: 'nrelu', sigma: 0.1 }],
  training: { epochs: 1, batchSize: 20, seeds: [1, 2] },
  probes: { samples: 100 },
  ...extra,
});

function events(runDir: string): ActlabEvent[] {
  return fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8').trimEnd().split('\n').map((l) => {
    const e = decodeEventLine(l);
    assert.notEqual(typeof e, 'string', `invalid line: ${l}`);
    return e as ActlabEvent;
  });
}
const summaryOf = (runDir: string): Summary => JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as Summary;
const runDirOf = (r: CliResult): string => {
  const m = /(?:^|\n)(?:completed|failed|diverged|cancelled): (.+)\n/.exec(r.stdout + r.stderr);
  assert.ok(m, `no run folder in output:\n${r.stdout}\n${r.stderr}`);
  return m[1];
};
const jobEnds = (evs: ActlabEvent[]): JobEndEvent[] => evs.filter((e): e is JobEndEvent => e.type === 'jobEnd');

/** Direct children of a pid (Linux /proc). */
function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(d));
    } catch { /* exited meanwhile */ }
  }
  return kids;
}
const alive = (pid: number): boolean => {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
};

before(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js')) || !fs.existsSync(path.join(ROOT, 'dist', 'trainer.js'))) {
    const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
});

test('validate: clean config says ok with the job count; errors print file:line:col and exit 1', async () => {
  const good = writeConfig('good', mlp('good'));
  const ok = await cli('validate', good);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /good\.actlab\.json: ok \(4 jobs\)/);

  const bad = writeConfig('bad', { ...mlp('bad'), activations: [{ id: 'x', type: 'nope' }] });
  const r = await cli('validate', good, bad);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /good\.actlab\.json: ok/);
  assert.match(r.stdout, /bad\.actlab\.json:\d+:\d+: error: .+/);
  for (const line of r.stdout.trimEnd().split('\n').filter((l) => l.includes('bad.actlab.json'))) {
    assert.match(line, /^.+bad\.actlab\.json:\d+:\d+: (error|warning|info): .+$/);
  }

  const missing = await cli('validate', path.join(tmp, 'nope.actlab.json'));
  assert.equal(missing.code, 1);
  assert.match(missing.stdout, /cannot read file/);
});

test('usage: --version, --help, unknown options and invalid configs exit as documented', async () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal((await cli('--version')).stdout.trim(), pkg.version);
  const help = await cli('run', '--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--parallel N/);
  assert.equal((await cli('run', '--bogus', 'x.json')).code, 2);
  assert.equal((await cli('run', 'a.json', '--parallel', '0')).code, 2);
  assert.equal((await cli('frobnicate')).code, 2);
  const bad = writeConfig('bad-run', { ...mlp('bad-run'), training: { epochs: -1 } });
  const r = await cli('run', bad, '--out', outDir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bad-run\.actlab\.json:\d+:\d+: error:/);
});

test('run: tiny MLP (2 arms × 2 seeds) with --json completes; the run folder is consistent', async () => {
  const file = writeConfig('mlp', mlp('Tiny MLP'));
  const r = await cli('run', file, '--out', outDir, '--parallel', '2', '--json');
  assert.equal(r.code, 0, r.stderr);
  // stdout: only events, one per line.
  const streamed = r.stdout.trimEnd().split('\n').map((l) => decodeEventLine(l));
  assert.ok(streamed.every((e) => typeof e !== 'string'));
  const runDir = runDirOf(r);
  assert.ok(runDir.startsWith(outDir));
  assert.match(path.basename(runDir), /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-tiny-mlp$/);
  for (const f of ['config.json', 'events.jsonl', 'summary.json', 'run.json', 'report.html']) {
    assert.ok(fs.existsSync(path.join(runDir, f)), `${f} missing`);
  }
  const evs = events(runDir);
  assert.equal(evs.length, streamed.length);
  const config = JSON.parse(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8')) as { jobs: { jobId: string }[] };
  assert.equal(config.jobs.length, 4);
  for (const { jobId } of config.jobs) {
    const types = new Set(evs.filter((e) => 'jobId' in e && e.jobId === jobId).map((e) => e.type));
    for (const t of ['jobStart', 'epoch', 'probe', 'jobEnd']) assert.ok(types.has(t as ActlabEvent['type']), `${jobId}: no ${t}`);
  }
  assert.deepEqual(jobEnds(evs).map((e) => e.status), ['completed', 'completed', 'completed', 'completed']);

  // summary.json agrees with the events.
  const s = summaryOf(runDir);
  assert.equal(s.status, 'completed');
  for (const arm of s.arms) {
    const finals = Object.keys(arm.statuses).map((jobId) => {
      const ep = evs.filter((e) => e.type === 'epoch' && e.jobId === jobId);
      const last = ep[ep.length - 1];
      return last.type === 'epoch' ? last.testAccuracy ?? Number.NaN : Number.NaN;
    });
    assert.equal(arm.finalTestAccuracy?.n, 2);
    assert.ok(Math.abs((arm.finalTestAccuracy?.mean ?? 0) - mean(finals)) < 1e-12);
    assert.ok((arm.finalTestAccuracy?.mean ?? 0) > 0.2, 'above chance (10 %) after 15 steps');
    assert.ok(arm.deadMean !== undefined && arm.deadGrad !== undefined);
  }
  // Human output (table) went to stderr.
  assert.match(r.stderr, /final acc/);
  assert.match(r.stderr, /\* best:/);
});

test('run: tiny CNN completes with plain progress lines and the summary table', async () => {
  const file = writeConfig('cnn', {
    name: 'Tiny CNN',
    data: { dataset: 'mnist', trainSize: 200, testSize: 100 },
    model: { type: 'cnn', conv: [4], dense: [16] },
    activations: [{ id: 'relu', type: 'relu' }],
    training: { epochs: 1, batchSize: 50, seeds: [1] },
    probes: { samples: 50 },
  });
  const r = await cli('run', file, '--out', outDir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /start relu#1 \(/);
  assert.match(r.stdout, /relu#1 epoch 1\/1: train loss \d/);
  assert.match(r.stdout, /\[1\/1\] relu#1 completed/);
  assert.match(r.stdout, /arm\s+jobs\s+final acc/);
  const runDir = runDirOf(r);
  const s = summaryOf(runDir);
  assert.equal(s.arms[0].completed, 1);
  assert.deepEqual(s.best?.armId, 'relu');
  const probes = events(runDir).filter((e) => e.type === 'probe');
  assert.ok(probes.length >= 2, 'probe at init and after the epoch');

  const rep = await cli('report', runDir);
  assert.equal(rep.code, 0, rep.stderr);
  assert.equal(rep.stdout.trim(), path.join(runDir, 'report.html'));
});

test('run: a huge learning rate diverges → exit 1, job diverged', async () => {
  const file = writeConfig('diverge', {
    ...mlp('Diverge'),
    activations: [{ id: 'relu', type: 'relu' }],
    training: { epochs: 1, batchSize: 50, seeds: [1], optimizer: 'sgd', learningRate: 1e12 },
  });
  const r = await cli('run', file, '--out', outDir, '--quiet');
  assert.equal(r.code, 1, r.stderr);
  const runDir = runDirOf(r);
  assert.deepEqual(jobEnds(events(runDir)).map((e) => e.status), ['diverged']);
  assert.equal(summaryOf(runDir).status, 'diverged');
  assert.match(r.stdout, /^diverged: /m);
});

test('run: a corrupt idx dataset fails the job → exit 1 with the reason', async () => {
  const idx = path.join(tmp, 'idx');
  fs.mkdirSync(idx, { recursive: true });
  const header = (magic: number, dims: number[]): Buffer => {
    const b = Buffer.alloc(4 + 4 * dims.length);
    b.writeUInt32BE(magic, 0);
    dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
    return b;
  };
  fs.writeFileSync(path.join(idx, 'train-images-idx3-ubyte'), Buffer.from('this is not an idx file at all'));
  fs.writeFileSync(path.join(idx, 'train-labels-idx1-ubyte'), Buffer.concat([header(0x801, [10]), Buffer.alloc(10)]));
  fs.writeFileSync(path.join(idx, 't10k-images-idx3-ubyte'), Buffer.concat([header(0x803, [10, 28, 28]), Buffer.alloc(7840)]));
  fs.writeFileSync(path.join(idx, 't10k-labels-idx1-ubyte'), Buffer.concat([header(0x801, [10]), Buffer.alloc(10)]));
  const file = writeConfig('corrupt', {
    ...mlp('Corrupt'),
    data: { dataset: 'idx', path: './idx', trainSize: 10, testSize: 10 },
    activations: [{ id: 'relu', type: 'relu' }],
    training: { epochs: 1, batchSize: 5, seeds: [1] },
    probes: { samples: 10 },
  });
  const r = await cli('run', file, '--out', outDir);
  assert.equal(r.code, 1, r.stderr);
  const runDir = runDirOf(r);
  const [end] = jobEnds(events(runDir));
  assert.equal(end.status, 'failed');
  assert.match(end.message ?? '', /train-images-idx3-ubyte/);
  assert.match(r.stdout, /relu#1 failed/);
});

test('run: SIGINT cancels cleanly → exit 1, jobs cancelled, no trainer left', async () => {
  const file = writeConfig('cancel', {
    ...mlp('Cancel me', { training: { epochs: 50, batchSize: 50, seeds: [1, 2, 3] } }),
    data: { dataset: 'mnist', trainSize: 1000, testSize: 100 },
  });
  const { child, result } = startCli(['run', file, '--out', outDir, '--parallel', '2', '--json']);
  // Wait for the first finished epoch, so both trainers are mid-training.
  let buf = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no epoch within 30 s')), 30_000);
    child.stdout?.on('data', (d: string) => {
      buf += d;
      if (/"type":"epoch"/.test(buf)) { clearTimeout(timer); resolve(); }
    });
  });
  const trainers = childrenOf(child.pid as number);
  assert.equal(trainers.length, 2);
  child.kill('SIGINT');
  const r = await result;
  assert.equal(r.code, 1, r.stderr);
  for (const pid of trainers) assert.equal(alive(pid), false, `trainer ${pid} survived`);
  const runDir = runDirOf(r);
  const evs = events(runDir);
  const ends = jobEnds(evs);
  assert.equal(ends.length, 6);
  assert.ok(ends.every((e) => e.status === 'cancelled'), JSON.stringify(ends.map((e) => e.status)));
  assert.equal(evs.at(-1)?.type === 'runEnd' || evs.at(-2)?.type === 'runEnd', true);
  const s = summaryOf(runDir);
  assert.equal(s.status, 'cancelled');
  assert.match(r.stderr, /cancelling/);

  // `list` shows every run of this file with its final status.
  const list = await cli('list', outDir);
  assert.equal(list.code, 0);
  assert.match(list.stdout, new RegExp(`${path.basename(runDir)}\\s+cancelled\\s+6/6`));
  assert.match(list.stdout, /tiny-mlp\s+completed\s+4\/4/);
  assert.match(list.stdout, /diverge\s+diverged/);
});

test('report --compare: one self-contained page of two recorded runs; fewer than two is a usage error', async () => {
  const fixtures = path.join(ROOT, 'test', 'fixtures', 'webview');
  const a = path.join(tmp, 'cmp-a');
  const b = path.join(tmp, 'cmp-b');
  fs.cpSync(path.join(fixtures, 'recorded'), a, { recursive: true });
  fs.cpSync(path.join(fixtures, 'sweep'), b, { recursive: true });
  const page = path.join(tmp, 'comparison.html');
  const ok = await cli('report', '--compare', a, b, '--out', page);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), page);
  const html = fs.readFileSync(page, 'utf8');
  assert.match(html, /<script nonce=/);
  assert.doesNotMatch(html, /<script[^>]+src=/, 'self-contained: no external scripts');
  const one = await cli('report', '--compare', a, '--out', path.join(tmp, 'x.html'));
  assert.equal(one.code, 2);
  assert.match(one.stderr, /needs at least two run folders/);
  assert.ok(!fs.existsSync(path.join(tmp, 'x.html')));
});
