/** Random strings and random trees at the parser: never a throw, never a hang, always located. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { evaluate, formatExpr, MAX_LENGTH, parseExpr } from '../../../../src/core/expr/index';
import { strip, treeArb } from './arbitraries';

const SEED = 20261203;
const GRAMMAR_CHARS = [...'x ab()+-*/^<>=&|?:,.0123456789e', 'pi', 'sigmoid', 'max', 'randn()', 'this', '.constructor', '[', '"', '`', '\\', ';', '!', '$'];

function assertWellFormed(text: string): void {
  const t0 = performance.now();
  const r = parseExpr(text, { params: ['a', 'b'] });
  assert.ok(performance.now() - t0 < 200, `slow on ${JSON.stringify(text)}`);
  if (r.ok) {
    // whatever parses prints and parses back to the same tree
    const again = parseExpr(formatExpr(r.tree), { params: ['a', 'b'] });
    assert.ok(again.ok, formatExpr(r.tree));
    assert.deepEqual(strip(again.tree), strip(r.tree));
    return;
  }
  assert.ok(r.errors.length > 0);
  for (const e of r.errors) {
    assert.ok(Number.isInteger(e.start) && Number.isInteger(e.end) && e.start >= 0 && e.start <= e.end && e.end <= text.length, `${JSON.stringify(text)}: ${JSON.stringify(e)}`);
    assert.equal(typeof e.message, 'string');
  }
}

test('random strings from grammar-like pieces: a tree or located errors, never a throw', () => {
  fc.assert(fc.property(fc.array(fc.constantFrom(...GRAMMAR_CHARS), { maxLength: 40 }).map((a) => a.join('')), assertWellFormed), { seed: SEED, numRuns: 2000 });
});

test('random unicode strings: never a throw', () => {
  fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), assertWellFormed), { seed: SEED, numRuns: 1000 });
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), assertWellFormed), { seed: SEED + 1, numRuns: 500 });
});

test('random long and deep strings end quickly', () => {
  const piece = fc.constantFrom('(', ')', '-', 'x', '?', ':', '+', '^', '1', ' ', ',', 'max(');
  fc.assert(fc.property(fc.array(piece, { minLength: 500, maxLength: MAX_LENGTH + 50 }).map((a) => a.join('')), assertWellFormed), { seed: SEED, numRuns: 100 });
});

test('random trees: printed, parsed back to the same tree, evaluated without a throw', () => {
  fc.assert(fc.property(treeArb({ noise: true }), fc.double({ min: -5, max: 5, noNaN: true }), (t, x) => {
    const text = formatExpr(t);
    fc.pre(text.length <= MAX_LENGTH);
    const r = parseExpr(text, { params: ['a', 'b'] });
    assert.ok(r.ok, `${text}: ${r.ok ? '' : JSON.stringify(r.errors)}`);
    assert.deepEqual(strip(r.tree), strip(t), text);
    const v = evaluate(r.tree, x, { params: { a: 0.5, b: -2 } });
    assert.equal(typeof v.v, 'number');
    assert.equal(typeof v.d, 'number');
  }), { seed: SEED, numRuns: 2000 });
});
