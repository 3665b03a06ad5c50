import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeXml, lineChart, logTicks, niceTicks } from '../../../scripts/reproduce/svg';

test('niceTicks covers the range with round steps', () => {
  assert.deepEqual(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(96.3, 98.1), [96.5, 97, 97.5, 98]);
  assert.deepEqual(niceTicks(2, 2), [2]);
});

test('logTicks gives decades, and 2/5 steps when the range spans few decades', () => {
  assert.deepEqual(logTicks(0.01, 100), [0.01, 0.1, 1, 10, 100]);
  const narrow = logTicks(0.8, 90);
  assert.ok(narrow.includes(1) && narrow.includes(10) && narrow.includes(50), narrow.join(','));
  assert.deepEqual([...narrow].sort((a, b) => a - b), narrow);
});

test('escapeXml escapes markup characters', () => {
  assert.equal(escapeXml('a<b & "c">'), 'a&lt;b &amp; &quot;c&quot;&gt;');
});

function pathPoints(svg: string): [number, number][][] {
  return [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1]!.split(/[ML]/).filter(Boolean).map((p) => p.split(',').map(Number) as [number, number]));
}

test('lineChart maps larger y higher on the page and skips non-finite points', () => {
  const svg = lineChart([{ label: 'a<b', x: [1, 2, 3, 4], y: [1, 2, Number.NaN, 4] }], { title: 'T', xLabel: 'x', yLabel: 'y' });
  assert.ok(svg.startsWith('<svg'));
  assert.ok(svg.includes('a&lt;b'), 'legend label escaped');
  const [pts] = pathPoints(svg);
  assert.equal(pts!.length, 3, 'the NaN point is dropped');
  // x increases to the right, y increases upwards (smaller page y).
  assert.ok(pts![0]![0] < pts![1]![0] && pts![1]![0] < pts![2]![0]);
  assert.ok(pts![0]![1] > pts![1]![1] && pts![1]![1] > pts![2]![1]);
});

test('lineChart on a log axis spaces decades equally and drops non-positive values', () => {
  const svg = lineChart([{ label: 's', x: [1, 2, 3, 4], y: [1, 10, 100, 0] }], { title: 'T', xLabel: 'x', yLabel: 'y', logY: true });
  const [pts] = pathPoints(svg);
  assert.equal(pts!.length, 3);
  const d1 = pts![0]![1] - pts![1]![1];
  const d2 = pts![1]![1] - pts![2]![1];
  assert.ok(Math.abs(d1 - d2) < 0.2, `${d1} vs ${d2}`);
});

test('point series draw one marker per point and whiskers for the error', () => {
  const svg = lineChart([{ label: 'p', x: [0, 1, 2], y: [5, 6, 7], err: [1, 0, 1], points: true }], { title: 'T', xLabel: '', yLabel: 'y', categories: ['a', 'b', 'c'] });
  // 3 markers + 1 legend marker.
  assert.equal((svg.match(/<circle /g) ?? []).length, 4);
  // two points with err > 0: a vertical line and two caps each.
  assert.equal((svg.match(/<line x1="[^"]+" y1="[^"]+" x2="[^"]+" y2="[^"]+" stroke="#1f77b4" stroke-width="1.5"\/>/g) ?? []).length, 6);
  for (const c of ['a', 'b', 'c']) assert.ok(svg.includes(`>${c}</text>`));
});
