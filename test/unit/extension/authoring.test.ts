import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completionsAt } from '../../../src/extension/completionModel';
import { hoverAt } from '../../../src/extension/hoverModel';
import { ACTIVATION_TYPES } from '../../../src/core/config';
import { NRELU } from '../../../src/core/papers';

/** Splits a document written with one `|` marking the cursor. */
function at(doc: string): [string, number] {
  const i = doc.indexOf('|');
  assert.ok(i >= 0, 'cursor marker missing');
  return [doc.slice(0, i) + doc.slice(i + 1), i];
}

const apply = (text: string, range: { offset: number; length: number }, insert: string): string =>
  text.slice(0, range.offset) + insert + text.slice(range.offset + range.length);

test('completion: activation types inside "type" replace the whole string', () => {
  const [text, off] = at('{ "activations": [ { "id": "a", "type": "nr|" } ] }');
  const items = completionsAt(text, off);
  assert.deepEqual(items.map((i) => i.label), [...ACTIVATION_TYPES]);
  const nrelu = items.find((i) => i.label === 'nrelu');
  assert.ok(nrelu);
  assert.match(nrelu.documentation ?? '', /N-ReLU/);
  assert.match(nrelu.documentation ?? '', new RegExp(NRELU.ref));
  assert.equal(nrelu.filterText, '"nrelu"');
  assert.equal(apply(text, nrelu.range, nrelu.insertText), '{ "activations": [ { "id": "a", "type": "nrelu" } ] }');
});

test('completion: only the parameters of the entry\'s type, with catalog defaults, minus present keys', () => {
  const [text, off] = at('{ "activations": [ { "id": "a", "type": "nrelu", | } ] }');
  const items = completionsAt(text, off);
  const labels = items.map((i) => i.label);
  assert.deepEqual(labels, ['sigma', 'inference', 'label']);
  const sigma = items[0];
  assert.equal(sigma.insertText, `"sigma": \${1:${NRELU.recommendedSigmaDefault}}`);
  const [text2, off2] = at('{ "activations": [ { "id": "a", "type": "rrelu", "|" } ] }');
  assert.deepEqual(completionsAt(text2, off2).map((i) => i.label), ['lower', 'upper', 'label']);
});

test('completion: a new key before another property gets a trailing comma; a key with a colon gets only the name', () => {
  const [text, off] = at('{ "activations": [ { | "id": "a", "type": "leakyRelu" } ] }');
  const alpha = completionsAt(text, off).find((i) => i.label === 'alpha');
  assert.ok(alpha);
  assert.ok(alpha.insertText.endsWith(','), alpha.insertText);
  const [text2, off2] = at('{ "activations": [ { "id": "a", "type": "leakyRelu", "al|": 0.1 } ] }');
  const alpha2 = completionsAt(text2, off2).find((i) => i.label === 'alpha');
  assert.ok(alpha2);
  assert.equal(apply(text2, alpha2.range, alpha2.insertText), '{ "activations": [ { "id": "a", "type": "leakyRelu", "alpha": 0.1 } ] }');
});

test('completion: σ values offer the default, a cosine schedule and a sweep', () => {
  const [text, off] = at('{ "activations": [ { "id": "a", "type": "nrelu", "sigma": | } ] }');
  const items = completionsAt(text, off);
  assert.deepEqual(items.map((i) => i.kind), ['value', 'snippet', 'snippet']);
  assert.ok(items.some((i) => i.insertText.includes('"schedule": "cosine"')));
  assert.ok(items.some((i) => i.insertText.includes('"sweep"')));
});

test('completion: schedule kinds and datasets', () => {
  const [text, off] = at('{ "activations": [ { "id": "a", "type": "nrelu", "sigma": { "schedule": "|" } } ] }');
  assert.deepEqual(completionsAt(text, off).map((i) => i.label), ['constant', 'linear', 'cosine', 'exponential', 'step']);
  const [text2, off2] = at('{ "data": { "dataset": | } }');
  const ds = completionsAt(text2, off2);
  assert.deepEqual(ds.map((i) => i.label), ['mnist', 'idx', 'cifar10', 'teacher']);
  assert.equal(ds[0].insertText, '"mnist"');
});

test('completion: nothing outside the places it knows', () => {
  const [text, off] = at('{ "training": { "epochs": | } }');
  assert.deepEqual(completionsAt(text, off), []);
});

test('hover: activation type shows formula and reference over the exact string', () => {
  const text = '{ "activations": [ { "id": "a", "type": "nrelu" } ] }';
  const off = text.indexOf('nrelu') + 2;
  const h = hoverAt(text, off);
  assert.ok(h);
  assert.equal(text.slice(h.range.offset, h.range.offset + h.range.length), '"nrelu"');
  assert.match(h.markdown, /f\(x\) =/);
  assert.match(h.markdown, new RegExp(NRELU.ref));
});

test('hover: a parameter key gives its description and recommended range; a foreign one says who takes it', () => {
  const text = '{ "activations": [ { "id": "a", "type": "nrelu", "sigma": 0.05 }, { "id": "b", "type": "relu", "sigma": 1 } ] }';
  const h = hoverAt(text, text.indexOf('"sigma"') + 2);
  assert.ok(h);
  assert.match(h.markdown, /Recommended: 0\.05–0\.1/);
  const h2 = hoverAt(text, text.lastIndexOf('"sigma"') + 2);
  assert.ok(h2);
  assert.match(h2.markdown, /not a parameter of ReLU/);
  assert.match(h2.markdown, /`nrelu`/);
});

test('hover: schedule kind shows the formula; datasets explain themselves; plain values give nothing', () => {
  const text = '{ "data": { "dataset": "teacher" }, "activations": [ { "id": "a", "type": "nrelu", "sigma": { "schedule": "cosine", "start": 0.2 } } ] }';
  assert.match(hoverAt(text, text.indexOf('cosine') + 1)?.markdown ?? '', /cos\(π·t\/T\)/);
  assert.match(hoverAt(text, text.indexOf('teacher') + 1)?.markdown ?? '', /teacher network/);
  assert.equal(hoverAt(text, text.indexOf('0.2')), undefined);
});

test('with the JSON service serving the schema: no duplicate enum values or keys, defaults and snippets stay', () => {
  const opts = { schemaServed: true };
  const [t1, o1] = at('{ "activations": [ { "id": "a", "type": "nr|" } ] }');
  assert.deepEqual(completionsAt(t1, o1, opts), []);
  const [t2, o2] = at('{ "activations": [ { "id": "a", "type": "nrelu", | } ] }');
  assert.deepEqual(completionsAt(t2, o2, opts), []);
  const [t3, o3] = at('{ "activations": [ { "id": "a", "type": "nrelu", "sigma": | } ] }');
  assert.deepEqual(completionsAt(t3, o3, opts).map((i) => i.kind), ['value', 'snippet', 'snippet']);
  const text = '{ "activations": [ { "id": "a", "type": "nrelu", "sigma": 0.05 } ] }';
  assert.equal(hoverAt(text, text.indexOf('"nrelu"') + 2, opts), undefined, 'the schema shows the type\'s docs');
  assert.match(hoverAt(text, text.indexOf('"sigma"') + 2, opts)?.markdown ?? '', /Recommended/, 'parameter hovers stay');
});
