/** `actlab run-job`'s log lines show control characters as escapes and cut long fields. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventLine } from '../../../src/cli/commands/runJob';
import { PROTOCOL_VERSION } from '../../../src/core/protocol';

test('job ids and messages from a config or a trainer cannot drive the terminal', () => {
  const base = { v: PROTOCOL_VERSION, t: 0, jobId: 'evil\x1b]0;title\x07\u202e#1' };
  const end = eventLine(3, { ...base, type: 'jobEnd', status: 'failed', epoch: 1, step: 2, seconds: 1, message: `bad\n\x1b[2J${'x'.repeat(5000)}` })!;
  assert.equal(end.err, false);
  assert.doesNotMatch(end.text, /[\x00-\x1f\u202e]/);
  assert.match(end.text, /evil\\x1b\]0;title\\x07\\u202e#1 failed/);
  assert.match(end.text, /bad\\n\\x1b\[2J/);
  assert.ok(end.text.length < 2200, String(end.text.length));
  const log = eventLine(3, { ...base, type: 'log', level: 'warn', message: '\x1b[31mred' })!;
  assert.deepEqual(log, { err: true, text: '[3] warn: \\x1b[31mred' });
});
