import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkParamName, formatExpr, MAX_DEPTH, MAX_LENGTH, parseConstant, parseExpr, type ExprError, type ExprNode } from '../../../../src/core/expr/index';

const P = ['beta', 'sigma', 'a', 's', 'lo', 'hi'];

function tree(text: string, params = P): ExprNode {
  const r = parseExpr(text, { params });
  assert.ok(r.ok, `${text}: ${r.ok ? '' : JSON.stringify(r.errors)}`);
  return r.tree;
}

function err(text: string, params = P): ExprError {
  const r = parseExpr(text, { params });
  assert.ok(!r.ok, `${text} should not parse, got ${r.ok ? formatExpr(r.tree) : ''}`);
  return r.errors[0]!;
}

/** Fully parenthesised form: shows the structure the parser built. */
function shape(n: ExprNode): string {
  switch (n.kind) {
    case 'num': return String(n.value);
    case 'x': return 'x';
    case 'param': case 'const': return n.name;
    case 'noise': return `${n.dist}#${n.site}`;
    case 'unary': return `(-${shape(n.arg)})`;
    case 'binary': case 'compare': case 'logical': return `(${shape(n.left)} ${n.op} ${shape(n.right)})`;
    case 'cond': return `(${shape(n.test)} ? ${shape(n.then)} : ${shape(n.else)})`;
    case 'call': return `${n.fn}(${n.args.map(shape).join(', ')})`;
  }
}

test('the issue\'s five expressions parse', () => {
  assert.equal(shape(tree('x * sigmoid(beta * x)')), '(x * sigmoid((beta * x)))');
  assert.equal(shape(tree('x > 0 ? x : sigma * randn()')), '((x > 0) ? x : (sigma * randn#0))');
  assert.equal(shape(tree('max(x, a * x)')), 'max(x, (a * x))');
  assert.equal(shape(tree('x > 0 ? x : s * randn()')), '((x > 0) ? x : (s * randn#0))');
});

test('precedence and associativity', () => {
  const cases: Array<[string, string]> = [
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['1 - 2 - 3', '((1 - 2) - 3)'],
    ['8 / 4 / 2', '((8 / 4) / 2)'],
    ['2 ^ 3 ^ 2', '(2 ^ (3 ^ 2))'],
    ['2 * x ^ 2', '(2 * (x ^ 2))'],
    ['-x ^ 2', '(-(x ^ 2))'],
    ['(-x) ^ 2', '((-x) ^ 2)'],
    ['- -x ^ 2', '(-(-(x ^ 2)))'],
    ['2 ^ -x', '(2 ^ (-x))'],
    ['2 ^ -x ^ 2', '(2 ^ (-(x ^ 2)))'],
    ['-x * 2', '((-x) * 2)'],
    ['x + 1 > 2 * x', '((x + 1) > (2 * x))'],
    ['x > 0 && x < 1 || x > 2', '(((x > 0) && (x < 1)) || (x > 2))'],
    ['x > 0 || x < 1 && x > 2', '((x > 0) || ((x < 1) && (x > 2)))'],
    ['x > 0 ? 1 : x < -1 ? -1 : x', '((x > 0) ? 1 : ((x < (-1)) ? (-1) : x))'],
    ['x ? x ? 1 : 2 : 3', '(x ? (x ? 1 : 2) : 3)'],
    ['x > 0 || x < -1 ? 1 : 0', '(((x > 0) || (x < (-1))) ? 1 : 0)'],
    ['x >= 0 ? x : -x', '((x >= 0) ? x : (-x))'],
    ['x <= 1e-3', '(x <= 0.001)'],
    ['.5 * x + 2.5e+1', '((0.5 * x) + 25)'],
    ['pi * e', '(pi * e)'],
    ['clip(x, lo, hi)', 'clip(x, lo, hi)'],
    ['max(x, 0, -x, 2)', 'max(x, 0, (-x), 2)'],
    ['rand() + randn() * randn()', '(rand#0 + (randn#1 * randn#2))'],
    ['  x\t*\n2 ', '(x * 2)'],
  ];
  for (const [text, want] of cases) assert.equal(shape(tree(text)), want, text);
});

test('every node carries the range of its text', () => {
  const t = tree('x * sigmoid(beta * x)');
  assert.equal(t.kind, 'binary');
  if (t.kind !== 'binary') return;
  assert.deepEqual([t.start, t.end], [0, 21]);
  assert.deepEqual([t.right.start, t.right.end], [4, 21]);
  const c = tree('  (x + 1)  ');
  assert.deepEqual([c.start, c.end], [2, 9]);
});

test('errors are located at their characters, with suggestions', () => {
  const cases: Array<[string, number, number, string, string?]> = [
    ['x * sigmod(x)', 4, 10, 'unknown-function', 'sigmoid'],
    ['x * bta', 4, 7, 'unknown-name', 'beta'],
    ['phy(x)', 0, 3, 'unknown-function', 'phi'],
    ['PHI(x)', 0, 3, 'unknown-function', 'Phi'],
    ['x * sigma(x)', 4, 9, 'not-a-function'],
    ['x(2)', 0, 1, 'not-a-function'],
    ['x * exp', 4, 7, 'not-a-value'],
    ['(x + 1', 0, 1, 'unbalanced'],
    ['x + 1)', 5, 6, 'unbalanced'],
    ['max(x)', 0, 6, 'arity'],
    ['tanh(x, 1)', 0, 10, 'arity'],
    ['randn(2)', 0, 8, 'arity'],
    ['x < 1 < 2', 0, 9, 'chained-compare'],
    ['2 x', 2, 3, 'syntax'],
    ['x +', 2, 3, 'syntax'],
    ['x = 1', 2, 3, 'unsupported'],
    ['x == 1', 2, 3, 'unsupported'],
    ['x & 1', 2, 3, 'syntax'],
    ['x % 2', 2, 3, 'bad-char'],
    ['max(x,, 1)', 6, 7, 'syntax'],
    ['max(x, )', 7, 8, 'syntax'],
    ['x, 1', 1, 2, 'syntax'],
    ['', 0, 0, 'empty'],
    ['   ', 0, 3, 'empty'],
  ];
  for (const [text, start, end, code, suggestion] of cases) {
    const e = err(text);
    assert.deepEqual([e.start, e.end, e.code], [start, end, code], `${text}: ${JSON.stringify(e)}`);
    if (suggestion) assert.equal(e.suggestion, suggestion, text);
    assert.ok(e.message.length > 5);
  }
});

test('hostile input is a located error, never run', () => {
  const hostile = [
    'this', 'constructor', 'x.constructor', 'x["constructor"]', 'x.__proto__', '__proto__', 'prototype',
    'process.exit(1)', 'require("fs")', 'eval("1")', 'Function("return 1")()', 'globalThis', 'window',
    '`${x}`', '"x"', "'x'", 'x = 1', 'x += 1', 'x++', 'x--', '!x', '~x', 'x => x', '() => 1', 'new Date()',
    'import("fs")', '[1, 2]', '{}', 'x; 1', 'x ?? 1', 'x?.y', 'x ** 2', 'x | 1', 'x << 1', 'x >>> 1',
    'true', 'null', 'undefined', 'NaN', 'Infinity', 'Math.PI', 'valueOf()', 'toString()', 'hasOwnProperty',
    '$', 'x$', 'é', 'x\u0000', 'x\u2028', '\uD83D\uDE00', 'sin.call(1)', '(sin)(x)', 'sin(x)(x)', '1e999',
  ];
  for (const text of hostile) {
    const r = parseExpr(text);
    assert.ok(!r.ok, `${JSON.stringify(text)} parsed`);
    for (const e of r.errors) {
      assert.ok(e.start >= 0 && e.end >= e.start && e.end <= Math.max(1, text.length), `${JSON.stringify(text)}: ${JSON.stringify(e)}`);
    }
  }
  // prototype names are unknown names, not lookups into an object
  assert.equal(err('constructor(x)').code, 'unknown-function');
  assert.equal(err('toString').code, 'unknown-name');
});

test('limits: length and nesting are checked before the parser recurses', () => {
  const long = 'x' + ' + x'.repeat(MAX_LENGTH);
  assert.equal(err(long).code, 'too-long');
  assert.deepEqual([err(long).start], [MAX_LENGTH]);
  const deep = '('.repeat(MAX_DEPTH + 1) + 'x' + ')'.repeat(MAX_DEPTH + 1);
  const e = err(deep);
  assert.deepEqual([e.code, e.start], ['too-deep', MAX_DEPTH]);
  assert.ok(parseExpr('('.repeat(MAX_DEPTH - 1) + 'x' + ')'.repeat(MAX_DEPTH - 1)).ok);
  assert.equal(err('-'.repeat(1000) + 'x').code, 'too-deep');
  assert.equal(err('x ? '.repeat(200) + '1' + ' : 2'.repeat(200)).code, 'too-deep');
  // a long left-deep chain is a deep tree too
  assert.equal(err(Array(100).fill('x').join(' + ')).code, 'too-deep');
  assert.ok(parseExpr(Array(40).fill('x').join(' + ')).ok);
  // huge unbalanced input ends quickly
  const t0 = Date.now();
  for (let i = 0; i < 50; i++) parseExpr('('.repeat(1999));
  assert.ok(Date.now() - t0 < 1000);
});

test('info: stochastic, parameters used and unused', () => {
  const r = parseExpr('x > 0 ? x : sigma * randn()', { params: ['sigma', 'unused'] });
  assert.ok(r.ok);
  assert.deepEqual(r.info, { usesX: true, stochastic: true, noiseSites: 1, params: ['sigma'], unusedParams: ['unused'] });
  const d = parseExpr('2 * pi');
  assert.ok(d.ok && !d.info.stochastic && !d.info.usesX);
});

test('parameter names and parameter values', () => {
  assert.equal(checkParamName('beta'), undefined);
  assert.equal(checkParamName('x')?.code, 'bad-param-name');
  assert.equal(checkParamName('exp')?.code, 'bad-param-name');
  assert.equal(checkParamName('2a')?.code, 'bad-param-name');
  assert.equal(checkParamName('a.b')?.code, 'bad-param-name');
  // a reserved name in params is ignored: "x" stays the variable
  assert.equal(shape(tree('x', ['x'])), 'x');
  const v = parseConstant('2 * pi');
  assert.ok(v.ok && Math.abs(v.value - 2 * Math.PI) < 1e-15);
  const n = parseConstant('0.1 * randn()');
  assert.ok(!n.ok && n.errors[0]!.code === 'noise-in-param' && n.errors[0]!.start === 6);
  const xv = parseConstant('x + 1');
  assert.ok(!xv.ok && xv.errors[0]!.code === 'x-in-param');
  const nf = parseConstant('1 / 0');
  assert.ok(!nf.ok);
});

test('several independent errors are all reported', () => {
  const r = parseExpr('foo(x) + bar * x');
  assert.ok(!r.ok);
  assert.deepEqual(r.errors.map((e) => [e.start, e.end, e.code]), [[0, 3, 'unknown-function'], [9, 12, 'unknown-name']]);
});

test('the grammar holds even if another importer reconfigures the shared jsep', async () => {
  const jsep = (await import('jsep')).default;
  jsep.addBinaryOp('==', 6);
  jsep.addBinaryOp('^', 4);
  jsep.addLiteral('true', true);
  jsep.addUnaryOp('!');
  try {
    assert.equal(err('x == 1').code, 'unsupported');
    assert.equal(err('true').code, 'unknown-name');
    assert.equal(shape(tree('2 * x ^ 2')), '(2 * (x ^ 2))');
  } finally {
    jsep.removeBinaryOp('==');
  }
});
