// The CLI as a newcomer meets it (issue 19): bin/actlab.js run as a user would, from a project
// folder, in a pipe (COLUMNS=80) and on a terminal (a pseudo-TTY of 80 columns via util-linux
// `script`). Checks the messages, not the numbers: every line fits 80 columns, errors are three
// lines (what, why, what to do), mistyped commands get a suggestion, `list` finds the runs just
// made and says where it looked, a finished run names its report and the next commands, and a
// Ctrl-C summarises what never started. Tiny teacher configs: each job trains in well under 1 s.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'actlab.js');
// A short temp path: run folders are printed whole (they must stay pasteable), so their
// length decides whether those lines fit 80 columns.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'an-'));
const project = path.join(tmp, 'p');
const elsewhere = path.join(tmp, 'q');
const state = path.join(tmp, 'state');

interface Result { code: number | null; stdout: string; stderr: string; all: string }

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, COLUMNS: '80', XDG_STATE_HOME: state, TERM: 'xterm', ...extra };
  delete e.CI;
  delete e.ACTLAB_DEBUG;
  return e;
}

function start(args: string[], cwd = project): { child: ReturnType<typeof spawn>; result: Promise<Result> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let all = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => { stdout += d; all += d; });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d; all += d; });
  return { child, result: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, all }))) };
}
const cli = (args: string[], cwd = project): Promise<Result> => start(args, cwd).result;

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** The CLI on an 80×40 pseudo-terminal; output with \r\n made \n. */
function tty(args: string[], extra: Record<string, string> = {}, cwd = project): { code: number | null; out: string } {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const cmd = `stty cols 80 rows 40; ${[process.execPath, BIN, ...args].map(quote).join(' ')}`;
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd, env: env(extra), encoding: 'utf8', input: '' });
  return { code: r.status, out: (r.stdout ?? '').replace(/\r\n/g, '\n') };
}

// What a terminal shows of a line: the text after the last carriage return (a redrawn progress
// line), without escape sequences (CSI, and OSC 8 links whose target is not shown).
const shownText = (line: string): string => (line.split('\r').pop() ?? '')
  // eslint-disable-next-line no-control-regex
  .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
const columns = (s: string): number => Array.from(s).length;

function assertFits(out: string, what: string): void {
  for (const line of out.split('\n')) {
    const text = shownText(line);
    assert.ok(columns(text) <= 80, `${what}: a line of ${columns(text)} columns:\n${text}`);
  }
}

/** Three lines: "actlab …: what", "  why: …", "  fix: …" (each may wrap, indented). */
function assertThreeLines(stderr: string, what: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  assert.match(lines[0], what);
  const why = lines.findIndex((l) => l.startsWith('  why: '));
  const fix = lines.findIndex((l) => l.startsWith('  fix: '));
  assert.ok(why > 0 && fix > why, `not what/why/fix:\n${stderr}`);
  assert.ok(lines.every((l, i) => i === 0 || i === why || i === fix || /^ {4,}\S/.test(l)), `stray lines:\n${stderr}`);
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
  assertFits(stderr, 'error');
}

const teacher = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name,
  data: { dataset: 'teacher', n: 60, d: 4, width: 8, noise: 0 },
  model: { type: 'mlp', hidden: [8] },
  activations: [
    { id: 'leaky', type: 'leakyRelu', label: 'Leaky ReLU with a fairly long label', alpha: { sweep: [-0.5, 0, 0.5] } },
    { id: 'relu', type: 'relu' },
  ],
  training: { epochs: 2, batchSize: 'full', optimizer: 'sgd', learningRate: 0.01, loss: 'mse', seeds: [1, 2] },
  ...extra,
});

function writeConfig(rel: string, config: unknown): string {
  const file = path.join(project, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

const runDirOf = (out: string): string => {
  const m = /(?:^|\n)(?:completed|failed|diverged|cancelled): (.+)\n/.exec(out);
  assert.ok(m, `no run folder in:\n${out}`);
  return m[1];
};

before(() => {
  for (const d of [project, elsewhere, state]) fs.mkdirSync(d, { recursive: true });
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js')) || !fs.existsSync(path.join(ROOT, 'dist', 'trainer.js'))) {
    const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
});

test('--help: one line per command with a description, the quickstart example, and help per command', async () => {
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  assertFits(help.stdout, '--help');
  for (const cmd of ['run', 'validate', 'list', 'report']) assert.match(help.stdout, new RegExp(`^  ${cmd} {2,}\\S.{10,}$`, 'm'), `${cmd} has a one-line description`);
  assert.match(help.stdout, /actlab run examples\/quickstart\.actlab\.json/);
  const none = await cli([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /Commands:/);
  for (const cmd of ['run', 'validate', 'list', 'report']) {
    const r = await cli([cmd, '--help']);
    assert.equal(r.code, 0, `${cmd} --help`);
    assert.match(r.stdout, new RegExp(`^Usage: actlab ${cmd}`));
    assert.match(r.stdout, /Examples:\n {2}actlab /);
    assertFits(r.stdout, `${cmd} --help`);
    assert.equal((await cli(['help', cmd])).stdout, r.stdout);
  }
  assert.match((await cli(['run', '--help'])).stdout, /actlab run examples\/quickstart\.actlab\.json/);
});

test('errors: three lines (what, why, what to do), a suggestion for typos, exit 2', async () => {
  const runn = await cli(['runn', 'x.actlab.json']);
  assert.equal(runn.code, 2);
  assertThreeLines(runn.stderr, /^actlab: unknown command 'runn'$/);
  assert.match(runn.stderr, /did you mean `actlab run`\?/);

  const bogus = await cli(['run', '--bogus', 'x.actlab.json']);
  assert.equal(bogus.code, 2);
  assertThreeLines(bogus.stderr, /^actlab run: unknown option --bogus$/);
  assert.doesNotMatch(bogus.stderr, /To specify a positional|-- "/, "not node's parser message");
  assert.match(bogus.stderr, /--parallel/, 'names the options it takes');

  const typo = await cli(['run', '--paralel', '2', 'x.actlab.json']);
  assertThreeLines(typo.stderr, /unknown option --paralel/);
  assert.match(typo.stderr, /did you mean --parallel\?/);

  const missingValue = await cli(['run', 'x.actlab.json', '--out']);
  assert.equal(missingValue.code, 2);
  assertThreeLines(missingValue.stderr, /--out needs a value/);

  const noArg = await cli(['run']);
  assert.equal(noArg.code, 2);
  assertThreeLines(noArg.stderr, /^actlab run: no config to run$/);
  assert.match(noArg.stderr, /actlab run examples\/quickstart\.actlab\.json/);

  const noFile = await cli(['run', 'nope.actlab.json']);
  assert.equal(noFile.code, 2);
  assertThreeLines(noFile.stderr, /cannot read the config nope\.actlab\.json/);
  assert.match(noFile.stderr, /it does not exist/);
  assert.doesNotMatch(noFile.stderr, /ENOENT: no such file/, 'not the raw Node message');

  const count = await cli(['run', 'x.actlab.json', '--parallel', 'two']);
  assert.equal(count.code, 2);
  assertThreeLines(count.stderr, /--parallel two is not a count/);

  const noDir = await cli(['list', path.join(tmp, 'nonexistent')]);
  assert.equal(noDir.code, 2);
  assertThreeLines(noDir.stderr, /^actlab list: no folder /);

  const noRun = await cli(['report', 'nowhere']);
  assert.equal(noRun.code, 2);
  assertThreeLines(noRun.stderr, /no run folder at nowhere/);
  writeConfig('plain.actlab.json', teacher('plain'));
  const aFile = await cli(['report', 'plain.actlab.json']);
  assert.equal(aFile.code, 2);
  assertThreeLines(aFile.stderr, /plain\.actlab\.json is not a run folder/);
  assert.doesNotMatch(aFile.stderr, /EISDIR|ENOTDIR: /);
});

test('run → list: the report and next commands; list finds the runs from the project, the folder, or anywhere', async () => {
  writeConfig(path.join('ex', 'x.actlab.json'), teacher('t'));
  const r = await cli(['run', path.join('ex', 'x.actlab.json'), '--parallel', '2']);
  assert.equal(r.code, 0, r.all);
  assertFits(r.all, 'run (pipe)');
  // No escapes at all in a pipe: no redraws, no links.
  assert.doesNotMatch(r.all, /\x1b/);
  const runDir = runDirOf(r.stdout);
  assert.ok(runDir.startsWith(path.join(project, 'ex', '.actlab', 'runs')), runDir);
  const report = /^report: (.+)$/m.exec(r.stdout);
  assert.ok(report, r.stdout);
  assert.ok(fs.existsSync(path.resolve(project, report[1])), `report ${report[1]} exists`);
  assert.match(r.stdout, /^next: actlab list ex\b/m);
  assert.match(r.stdout, /^ +actlab report ex\/\.actlab\/runs\//m);
  // The table fits: arm names wrap, columns that cannot fit are named.
  assert.match(r.stdout, /^arm +jobs/m);
  // (the three dead-unit counts, one wide column since the signed rule joined, give way first)
  assert.match(r.stdout, /not shown at 80 columns: dead \|mean\|\/mean\/grad/);
  const id = path.basename(runDir);

  for (const [args, cwd, where] of [
    [['list'], project, 'ex/.actlab/runs'],
    [['list', 'ex'], project, 'ex/.actlab/runs'],
    [['list'], path.join(project, 'ex'), '.actlab/runs'],
    [['list'], elsewhere, "the last run's folder"],
  ] as const) {
    const l = await cli([...args], cwd);
    assert.equal(l.code, 0, l.all);
    assert.match(l.stdout, new RegExp(`^${id} +completed +8/8`, 'm'), `${args.join(' ')} in ${cwd}:\n${l.stdout}`);
    assert.match(l.stdout, /^looked in: /m);
    assert.ok(l.stdout.replace(/\s+/g, ' ').includes(where), `says where: ${where}\n${l.stdout}`);
    assertFits(l.stdout, 'list');
  }

  const empty = await cli(['list', elsewhere]);
  assert.equal(empty.code, 0);
  assert.match(empty.stdout, /^no runs found$/m);
  assert.match(empty.stdout, /^looked in: [\s\S]*\(missing\)/m);
  assert.match(empty.stdout, /actlab run examples\/quickstart\.actlab\.json/);

  // A run folder whose config.json is corrupt: three lines, no stack trace.
  const broken = path.join(project, 'broken-run');
  fs.cpSync(runDir, broken, { recursive: true });
  fs.writeFileSync(path.join(broken, 'config.json'), '{"jobs": [');
  const rep = await cli(['report', 'broken-run']);
  assert.equal(rep.code, 2);
  assertThreeLines(rep.stderr, /cannot write the report of broken-run/);
  assert.match(rep.stderr, /not valid JSON/);
  // A folder of configs points at its newest run.
  const folder = await cli(['report', 'ex']);
  assertThreeLines(folder.stderr, /ex is not a run folder/);
  assert.match(folder.stderr.replace(/\s+/g, ' '), new RegExp(`actlab report ex/\\.actlab/runs/${id}`));
});

test('on a terminal (80 columns): every line fits, the report is a link; no link for TERM=dumb', { skip: !hasScript && 'util-linux `script` not installed' }, () => {
  writeConfig(path.join('tty', 'y.actlab.json'), teacher('y'));
  const r = tty(['run', path.join('tty', 'y.actlab.json'), '--parallel', '2']);
  assert.equal(r.code, 0, r.out);
  assertFits(r.out, 'run (tty)');
  const line = r.out.split('\n').find((l) => l.startsWith('report: '));
  assert.ok(line, r.out);
  assert.match(line, /^report: \x1b\]8;;file:\/\/\/.+report\.html\x1b\\tty\/\.actlab\/runs\/.+\/report\.html\x1b\]8;;\x1b\\$/);
  // Help and errors are the same on a terminal.
  const help = tty(['list', '--help']);
  assert.equal(help.code, 0);
  assertFits(help.out, 'list --help (tty)');
  const dumb = tty(['run', path.join('tty', 'y.actlab.json'), '--parallel', '2'], { TERM: 'dumb' });
  assert.equal(dumb.code, 0, dumb.out);
  assert.doesNotMatch(dumb.out, /\x1b\]8;;/);
  const listed = tty(['list', 'tty']);
  assertFits(listed.out, 'list (tty)');
  assert.match(listed.out, /2 runs/);
});

test('control characters and huge labels: inert and cut in human output, exact in --json', async () => {
  const evil = 'red\x1b[31m\x1b]0;pwned\x07\nline\u202eRTL';
  const huge = 'L'.repeat(200_000);
  writeConfig(path.join('evil', 'e.actlab.json'), {
    ...teacher('evil'),
    activations: [{ id: 'relu', type: 'relu', label: evil }, { id: 'gelu', type: 'gelu', label: huge }],
    training: { epochs: 1, batchSize: 'full', optimizer: 'sgd', learningRate: 0.01, loss: 'mse', seeds: [1] },
  });
  const r = await cli(['run', path.join('evil', 'e.actlab.json')]);
  assert.equal(r.code, 0, r.all.slice(0, 2000));
  assert.doesNotMatch(r.all, /\x1b|\u202e|\x07/);
  assert.match(r.stdout, /red\\x1b\[31m\\x1b\]0;pwned\\x07\\nline\\u202eRTL/);
  assert.ok(r.all.length < 10_000, `output cut (${r.all.length} chars)`);
  assert.match(r.stdout, /\(\+199,9\d\d chars\)/);
  assertFits(r.all, 'evil run');
  const listed = await cli(['list', 'evil']);
  assert.doesNotMatch(listed.all, /\x1b|\u202e/);
  assertFits(listed.stdout, 'evil list');

  // --json: the events on stdout are the events on disk, byte for byte.
  const j = await cli(['run', path.join('evil', 'e.actlab.json'), '--json']);
  assert.equal(j.code, 0);
  const runDir = runDirOf(j.stderr);
  assert.equal(j.stdout, fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8'));
  const summary = JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as { arms: { label: string }[] };
  assert.deepEqual(summary.arms.map((a) => a.label), [evil, huge]);
});

test('Ctrl-C on a sweep with more jobs than --parallel: "N jobs not started", and list counts jobs by status', async () => {
  writeConfig(path.join('sweep', 's.actlab.json'), {
    name: 's',
    data: { dataset: 'teacher', n: 400, d: 20, width: 50, noise: 0 },
    model: { type: 'mlp', hidden: [200] },
    activations: [{ id: 'leaky', type: 'leakyRelu', alpha: { sweep: [-0.5, 0, 0.5] } }],
    training: { epochs: 5000, batchSize: 'full', optimizer: 'sgd', learningRate: 0.001, loss: 'mse', seeds: [1, 2] },
  });
  const { child, result } = start(['run', path.join('sweep', 's.actlab.json'), '--parallel', '1']);
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no epoch within 30 s:\n${seen}`)), 30_000);
    child.stdout?.on('data', (d: string) => {
      seen += d;
      if (/ epoch 1\/5000:/.test(seen)) { clearTimeout(timer); resolve(); }
    });
  });
  child.kill('SIGINT');
  const r = await result;
  assert.equal(r.code, 1, r.all);
  assertFits(r.all, 'cancelled run');
  assert.doesNotMatch(r.all, /cancelled before it started/);
  // The job that ran is numbered among those that ran, not after the five that never started.
  assert.match(r.stdout, /^\[1\/6\] leaky\[alpha=-0\.5\]#1 cancelled/m);
  assert.match(r.stdout, /^jobs: 1 cancelled, 5 not started$/m);
  assert.match(r.stdout, /^2 arms not started \(4 jobs\): /m);
  // The table has only the arm that ran: no rows of "—".
  assert.doesNotMatch(r.stdout, /^ {2}leaky \[alpha=0\] /m);
  assert.match(r.stdout, /^next: .*\n +actlab run sweep\/s\.actlab\.json/m);
  const id = path.basename(runDirOf(r.stdout));
  const l = await cli(['list', 'sweep']);
  assert.match(l.stdout, new RegExp(`^${id} +cancelled +6/6 \\(1 cancelled,\\s+5 not started\\)`, 'm'), l.stdout);
});
