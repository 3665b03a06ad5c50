import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'jsonc-parser';
import { CATALOG, isActivationType } from '../../../src/core/catalog';
import { validateConfigText } from '../../../src/core/validate';
import { completionsAt } from '../../../src/extension/completionModel';
import { SNIPPETS, parseSnippets } from '../../../src/extension/snippetModel';

/** Every expansion of a snippet body: each choice in turn (placeholders take their default). */
function expansions(body: string): string[] {
  const choice = /\$\{\d+\|([^|]*)\|\}/.exec(body);
  if (choice) {
    return choice[1].split(',').flatMap((opt) => expansions(body.slice(0, choice.index) + opt + body.slice(choice.index + choice[0].length)));
  }
  return [body.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '')];
}

const base = (activations: string, training = '{ "epochs": 2 }'): string =>
  `{ "name": "t", "data": { "dataset": "mnist", "trainSize": 200, "testSize": 100 }, "model": { "type": "mlp", "hidden": [16] }, "activations": [${activations}], "training": ${training} }`;

const errors = (text: string): string[] =>
  validateConfigText(text).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);

test('the snippet file parses completely and covers every context', () => {
  const raw = JSON.parse(readFileSync(new URL('../../../snippets/actlab.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  assert.equal(SNIPPETS.length, Object.keys(raw).length, 'no entry is dropped as malformed');
  assert.deepEqual(parseSnippets({ bad: { prefix: 'x', body: ['y'] }, worse: 3 }), [], 'entries without a context are rejected');
  const contexts = new Set(SNIPPETS.map((s) => s.context));
  assert.deepEqual([...contexts].sort(), ['activation', 'document', 'scheduleValue', 'sweepValue']);
  assert.ok(SNIPPETS.filter((s) => s.context === 'activation').length >= 8);
});

test('every activation snippet (every choice) makes a valid config, with the catalog\'s numbers', () => {
  for (const s of SNIPPETS.filter((x) => x.context === 'activation')) {
    for (const entry of expansions(s.body)) {
      assert.deepEqual(errors(base(entry)), [], `${s.name}: ${entry}`);
      const value = parse(entry) as Record<string, unknown>;
      assert.ok(isActivationType(value.type), s.name);
      if (!isActivationType(value.type)) continue;
      for (const p of CATALOG[value.type].params) {
        if (typeof value[p.name] === 'number') assert.equal(value[p.name], p.default, `${s.name}: ${p.name} default drifted from the catalog`);
      }
    }
  }
});

test('the sweep and cosine snippets are valid where they are offered', () => {
  const sweep = SNIPPETS.find((s) => s.context === 'sweepValue');
  const cosine = SNIPPETS.find((s) => s.context === 'scheduleValue');
  assert.ok(sweep && cosine);
  const [sw] = expansions(sweep.body);
  const [co] = expansions(cosine.body);
  assert.deepEqual(errors(base(`{ "id": "n", "type": "nrelu", "sigma": ${sw} }`)), []);
  assert.deepEqual(errors(base(`{ "id": "n", "type": "nrelu", "sigma": ${co} }`)), []);
  assert.deepEqual(errors(base('{ "id": "r", "type": "relu" }', `{ "epochs": 2, "learningRate": ${sw} }`)), []);
});

test('the experiment snippet is a valid config for each dataset choice', () => {
  const doc = SNIPPETS.find((s) => s.context === 'document');
  assert.ok(doc);
  for (const text of expansions(doc.body)) assert.deepEqual(errors(text), [], text);
});

test('snippets are offered only where they fit, with commas for array neighbours', () => {
  const inArray = '{ "activations": [ { "id": "a", "type": "relu" } | ] }';
  const at = inArray.indexOf('|');
  const text = inArray.replace('|', '');
  const items = completionsAt(text, at).filter((i) => i.kind === 'snippet');
  assert.ok(items.some((i) => i.label === 'nrelu'));
  assert.ok(items.every((i) => i.insertText.startsWith(',')), 'a comma after the previous entry');
  assert.ok(!items.some((i) => i.label === 'sweep'));

  const val = '{ "activations": [ { "id": "a", "type": "nrelu", "sigma": | } ] }';
  const labels = completionsAt(val.replace('|', ''), val.indexOf('|')).map((i) => i.label);
  assert.ok(labels.includes('sweep') && labels.includes('schedule-cosine'));
  assert.ok(!labels.includes('nrelu'));

  const lr = '{ "training": { "learningRate": | } }';
  assert.deepEqual(completionsAt(lr.replace('|', ''), lr.indexOf('|')).map((i) => i.label), ['sweep']);

  const key = '{ "activations": [ { "id": "a", "type": "nrelu", | } ] }';
  assert.ok(!completionsAt(key.replace('|', ''), key.indexOf('|')).some((i) => i.kind === 'snippet'));

  assert.deepEqual(completionsAt('', 0).map((i) => i.label), ['experiment']);
});
