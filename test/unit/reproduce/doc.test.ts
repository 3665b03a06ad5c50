import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleDoc, parseDoc, ranMinutes } from '../../../scripts/reproduce/doc';

const studyOfNumber = (n: string) => ({ '1': 'a', '3': 'c' } as Record<string, string | undefined>)[n];
const studyOfPreset = (f: string) => ({ 'a.actlab.json': 'a', 'c.actlab.json': 'c', 'c2.actlab.json': 'c' } as Record<string, string | undefined>)[f];

const doc = [
  '# Title', '', 'intro', '',
  '- a.actlab.json: data; 1.5 min; all completed',
  '- c.actlab.json: data; 0.5 min; all completed',
  '', '| study | verdict | why |', '|---|---|---|',
  '| 1. A study | reproduced | all |',
  '| 3. C study | not reproduced | none |',
  '', '## 1. A study', '', 'text a', '| 1 | table row in a section |', '',
  '## 3. C study', '', 'text c', '',
].join('\n');

test('parseDoc splits a previous REPRODUCTION.md into each study\'s lines, rows and sections', () => {
  const parts = parseDoc(doc, studyOfNumber, studyOfPreset);
  assert.deepEqual(parts.get('a'), { ran: ['- a.actlab.json: data; 1.5 min; all completed'], rows: ['| 1. A study | reproduced | all |'], sections: ['## 1. A study\n\ntext a\n| 1 | table row in a section |'] });
  assert.deepEqual(parts.get('c')?.sections, ['## 3. C study\n\ntext c']);
});

test('assembleDoc replaces one study\'s parts and keeps the others', () => {
  const parts = parseDoc(doc, studyOfNumber, studyOfPreset);
  parts.set('c', { ran: ['- c.actlab.json: new; 2.0 min;', '- c2.actlab.json: new; 1.0 min;'], rows: ['| 3. C new | reproduced | all |', '| 3b. C old | not reproduced | x |'], sections: ['## 3. C new\n\nnew c', '## 3b. C old\n\nold c'] });
  const out = assembleDoc(['# Title'], ['a', 'b', 'c'], parts);
  assert.match(out, /text a/);
  assert.match(out, /new c[\s\S]*old c/);
  assert.doesNotMatch(out, /text c/);
  const again = parseDoc(out, (n) => studyOfNumber(n), studyOfPreset);
  assert.equal(again.get('c')?.rows.length, 2);
  assert.equal(again.get('c')?.sections.length, 2);
  assert.equal(ranMinutes([...again.values()].flatMap((p) => p.ran)), 4.5);
});
