import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventsTail } from '../../../src/extension/eventsTail';
import { encodeEvent } from '../../../src/core/protocol';
import { events } from './fixtures';

test('EventsTail returns each complete line once, waits for partial lines, survives a missing file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actlab-tail-'));
  try {
    const file = path.join(dir, 'events.jsonl');
    const tail = new EventsTail(file);
    assert.deepEqual(tail.read(), [], 'no file yet');
    fs.writeFileSync(file, `${encodeEvent(events[0])}\n${encodeEvent(events[1])}\n`);
    assert.deepEqual(tail.read().map((e) => e.type), ['runStart', 'jobStart']);
    assert.deepEqual(tail.read(), []);
    const line = encodeEvent(events[9]); // an epoch with NaN/Infinity (written as null)
    fs.appendFileSync(file, line.slice(0, 20));
    assert.deepEqual(tail.read(), [], 'a partial line is not delivered');
    fs.appendFileSync(file, `${line.slice(20)}\nnot json\n`);
    const got = tail.read();
    assert.equal(got.length, 1);
    assert.equal(got[0].type, 'epoch');
    assert.ok(got[0].type === 'epoch' && Number.isNaN(got[0].trainLoss));
    assert.equal(tail.skipped, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
