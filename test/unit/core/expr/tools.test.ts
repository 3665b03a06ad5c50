import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseJsonc, findNodeAtLocation } from 'jsonc-parser';
import { completeExpr, formatExpr, literalOffsets, parseExpr, rawOffset, rawRange } from '../../../../src/core/expr/index';

test('formatExpr prints the fewest parentheses that keep the structure', () => {
  const cases: Array<[string, string]> = [
    ['x*sigmoid(beta*x)', 'x * sigmoid(beta * x)'],
    ['((x))', 'x'],
    ['(1 + 2) * 3', '(1 + 2) * 3'],
    ['1 - (2 - 3)', '1 - (2 - 3)'],
    ['(1 - 2) - 3', '1 - 2 - 3'],
    ['(2^3)^2', '(2^3)^2'],
    ['2^(3^2)', '2^3^2'],
    ['-x^2', '-x^2'],
    ['(-x)^2', '(-x)^2'],
    ['-(x*2)', '-(x * 2)'],
    ['- -x', '-(-x)'],
    ['(x > 0) > 1', '(x > 0) > 1'],
    ['x > (0 > 1)', 'x > (0 > 1)'],
    ['(x ? 1 : 2) ? 3 : 4', '(x ? 1 : 2) ? 3 : 4'],
    ['x ? (x ? 1 : 2) : 3', 'x ? (x ? 1 : 2) : 3'],
    ['x ? 1 : (x ? 2 : 3)', 'x ? 1 : x ? 2 : 3'],
    ['(x || x) && x', '(x || x) && x'],
    ['x > 0 ? x : sigma*randn()', 'x > 0 ? x : sigma * randn()'],
    ['1e-7 * x', '1e-7 * x'],
  ];
  for (const [text, want] of cases) {
    const r = parseExpr(text, { params: ['beta', 'sigma'] });
    assert.ok(r.ok, text);
    assert.equal(formatExpr(r.tree), want, text);
  }
});

test('completion: functions, constants, parameters and noise at an offset', () => {
  const c = completeExpr('x * sig', 7, ['sigma']);
  assert.deepEqual([c.from, c.to], [4, 7]);
  assert.deepEqual(c.items.map((i) => i.label), ['sigma', 'sigmoid', 'sign']);
  assert.equal(c.items.find((i) => i.label === 'sigmoid')!.insertText, 'sigmoid(');
  const all = completeExpr('', 0, ['beta']);
  for (const want of ['x', 'beta', 'pi', 'e', 'Phi', 'phi', 'clip', 'randn()', 'rand()']) {
    assert.ok(all.items.some((i) => i.label === want), want);
  }
  // in the middle of a word the whole word is replaced; before "(" no second "(" is inserted
  const mid = completeExpr('tanh(x)', 2);
  assert.deepEqual([mid.from, mid.to], [0, 4]);
  assert.equal(mid.items.find((i) => i.label === 'tanh')!.insertText, 'tanh');
  assert.deepEqual(completeExpr('2x', 2).items, []);
});

test('decoded offsets map to the JSON literal, escapes included', () => {
  // decoded: x > 0 ? "a" : \ é   (é written as \u00e9)
  const raw = String.raw`"x\t> \"a\" \\ \u00e9"`;
  const decoded = JSON.parse(raw) as string;
  const map = literalOffsets(raw);
  assert.equal(map.length, decoded.length + 1);
  for (let k = 0; k < decoded.length; k++) {
    const at = map[k]!;
    const piece = raw.slice(at, map[k + 1]);
    assert.equal(JSON.parse(`"${piece}"`), decoded[k], `unit ${k}`);
  }
  assert.equal(rawOffset(raw, 0), 1);
  assert.deepEqual(rawRange(raw, decoded.length - 1, decoded.length), { start: raw.length - 7, end: raw.length - 1 });
});

test('an expression error lands on its character in the JSON file', () => {
  const src = '{\n  "activations": [\n    { "id": "a", "type": "expr", "expr": "x *\\tsigmod(x)" }\n  ]\n}\n';
  const root = parseJsonc(src) as { activations: Array<{ expr: string }> };
  const text = root.activations[0]!.expr;
  const r = parseExpr(text);
  assert.ok(!r.ok);
  // the string token's offset (jsonc-parser's node.offset points at its opening quote)
  const tokenAt = src.indexOf('"x *');
  const raw = src.slice(tokenAt, src.indexOf('" }', tokenAt) + 1);
  assert.ok(findNodeAtLocation !== undefined);
  const e = r.errors[0]!;
  const fileStart = tokenAt + rawOffset(raw, e.start);
  const fileEnd = tokenAt + rawOffset(raw, e.end);
  assert.equal(src.slice(fileStart, fileEnd), 'sigmod');
});

test('hover: the parsed formula and what it implies', async () => {
  const { hoverExpr } = await import('../../../../src/core/expr/index');
  assert.deepEqual(hoverExpr('x>0?x:sigma*randn()', ['sigma', 'k']), {
    formula: 'x > 0 ? x : sigma * randn()',
    notes: ['parameters: sigma', 'noise: 1 call, fresh per element per training step', 'inference: each noise call is its mean (randn() 0, rand() 0.5)', 'unused parameters: k'],
  });
  assert.equal(hoverExpr('x *'), undefined);
  assert.deepEqual(hoverExpr('2 * pi')!.notes, ['does not depend on x: a constant activation']);
});
