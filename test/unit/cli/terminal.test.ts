import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clean, fileLink, linksSupported, terminalWidth, wrap } from '../../../src/cli/terminal';
import { closest } from '../../../src/cli/suggest';
import { fitTable } from '../../../src/cli/table';
import { formatCommandHelp, formatMainHelp } from '../../../src/cli/help';
import { RUN_HELP } from '../../../src/cli/commands/run';
import { LIST_HELP } from '../../../src/cli/commands/list';
import { describeTally, tallyJobs } from '../../../src/cli/jobTally';
import type { ActlabEvent } from '../../../src/core/protocol';

test('clean: control characters, OSC/CSI escapes and bidi overrides become visible and inert', () => {
  const nasty = 'a\x1b[31mred\x1b]0;title\x07\nnext\u202Eevil\u009b';
  const out = clean(nasty);
  assert.doesNotMatch(out, /[\u0000-\u001f\u007f-\u009f\u202e]/);
  assert.equal(out, 'a\\x1b[31mred\\x1b]0;title\\x07\\nnext\\u202eevil\\x9b');
  assert.equal(clean('plain label σ=0.1'), 'plain label σ=0.1');
});

test('clean: a 200,000-character field is cut, saying how much was left out', () => {
  const out = clean('x'.repeat(200_000), 100);
  assert.equal(out, `${'x'.repeat(100)}… (+199,900 chars)`);
  // Never half a surrogate pair.
  assert.equal(clean('😀'.repeat(5), 2), '😀😀… (+3 chars)');
});

test('terminal width: TTY columns, else $COLUMNS, else 80; links only on a real TTY', () => {
  assert.equal(terminalWidth({ isTTY: true, columns: 120, write: () => true }, {}), 120);
  assert.equal(terminalWidth({ write: () => true }, { COLUMNS: '100' }), 100);
  assert.equal(terminalWidth({ write: () => true }, {}), 80);
  const tty = { isTTY: true, write: () => true };
  assert.equal(linksSupported(tty, { TERM: 'xterm' }), true);
  assert.equal(linksSupported(tty, { TERM: 'dumb' }), false);
  assert.equal(linksSupported(tty, { CI: 'true' }), false);
  assert.equal(linksSupported({ write: () => true }, {}), false);
  assert.match(fileLink('/tmp/a b/report.html', tty, 'r', { TERM: 'xterm' }), /^\x1b\]8;;file:\/\/\/tmp\/a%20b\/report\.html\x1b\\r\x1b\]8;;\x1b\\$/);
});

test('wrap: words to the width, hanging indent, leading spaces kept, long words broken', () => {
  assert.deepEqual(wrap('  why: one two three', 12, '       '), ['  why: one', '       two', '       three']);
  assert.deepEqual(wrap('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
  assert.deepEqual(wrap('fix: run `actlab list ex` now', 20), ['fix: run', '`actlab list ex` now']);
  assert.deepEqual(wrap('an `unclosed quote here', 80), ['an `unclosed quote here']);
  for (const l of wrap('a '.repeat(100) + 'x'.repeat(300), 80, '    ')) assert.ok(l.length <= 80);
});

test('did you mean: close commands and options, nothing for unrelated words', () => {
  assert.equal(closest('runn', ['run', 'validate', 'list', 'report']), 'run');
  assert.equal(closest('lst', ['run', 'validate', 'list', 'report']), 'list');
  assert.equal(closest('valdiate', ['run', 'validate', 'list', 'report']), 'validate');
  assert.equal(closest('paralel', ['out', 'parallel', 'threads']), 'parallel');
  assert.equal(closest('frobnicate', ['run', 'validate', 'list', 'report']), undefined);
});

test('fitTable: drops columns least needed first, wraps names, never exceeds the width', () => {
  const t = fitTable([
    { header: 'arm', cells: ['a very long arm label that needs wrapping [alpha=-1]'], wrap: true, minWidth: 20, indent: '  ' },
    { header: 'acc', cells: ['97.12% ± 0.31'] },
    { header: 'extra', cells: ['x'.repeat(30)], dropOrder: 1 },
  ], 40);
  assert.deepEqual(t.dropped, ['extra']);
  assert.ok(t.lines.every((l) => l.length <= 40), t.lines.join('\n'));
  assert.ok(t.lines.length > 3, 'the arm label wrapped');
});

test('tallyJobs: cancelled before jobStart counts as not started', () => {
  const base = { v: 1, t: 0 } as const;
  const end = (jobId: string, status: 'completed' | 'cancelled'): ActlabEvent => ({ ...base, type: 'jobEnd', jobId, status, epoch: 0, step: 0, seconds: 0 });
  const start = (jobId: string): ActlabEvent => ({
    ...base, type: 'jobStart', jobId, backend: { name: 'cpu', notes: [] }, parameters: 1, stepsPerEpoch: 1, epochs: 1, trainSize: 1, testSize: 1,
  });
  const ids = Array.from({ length: 12 }, (_, i) => `j${i}`);
  const evs = [start('j0'), start('j1'), end('j0', 'completed'), end('j1', 'completed'), ...ids.slice(2).map((id) => end(id, 'cancelled'))];
  const t = tallyJobs(ids, evs);
  assert.equal(describeTally(t), '2 completed, 10 not started');
  assert.equal(t.ended, 12);
  assert.equal(t.notStarted.size, 10);
  assert.equal(describeTally(tallyJobs(['a', 'b'], [start('a')])), '1 running, 1 queued');
});

test('fitTable: a column dropped too eagerly is put back when it fits', () => {
  const t = fitTable([
    { header: 'a', cells: ['x'.repeat(30)] },
    { header: 'narrow', cells: ['n'], dropOrder: 1 },
    { header: 'mid', cells: ['w'.repeat(45)], dropOrder: 2 },
    { header: 'keep', cells: ['v'.repeat(40)], dropOrder: 3 },
  ], 80);
  // narrow goes, then mid; with mid gone, narrow fits again (30 + 6 + 40 + 2 gaps = 80).
  assert.ok(t.lines.every((l) => l.length <= 80));
  assert.match(t.lines[0], /^a +narrow +keep$/);
  assert.deepEqual(t.dropped, ['mid']);
});

test('help: fits the width it is given, at most 80, and lists every command on one line', () => {
  for (const width of [80, 60, 40]) {
    for (const h of [RUN_HELP, LIST_HELP]) {
      for (const l of formatCommandHelp(h, width).split('\n')) assert.ok(l.length <= width, `${width}: ${l}`);
    }
  }
  const main = formatMainHelp('1.0.0', [RUN_HELP, LIST_HELP], 80).split('\n');
  assert.ok(main.some((l) => /^ {2}run {2,}train every job/.test(l)));
  assert.ok(main.every((l) => l.length <= 80));
});
