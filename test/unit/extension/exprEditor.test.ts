/** Hover and completion inside an expression string, escapes before the cursor included. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverAt } from '../../../src/extension/hoverModel';
import { completionsAt } from '../../../src/extension/completionModel';

const doc = `{
  "name": "t", "data": { "dataset": "mnist" }, "model": { "type": "mlp" },
  "activations": [
    { "id": "swish", "type": "expr", "expr": "\\u0078 * sigmoid(beta * x)", "params": { "beta": 1.5, "gain": { "init": 1, "learnable": true } } }
  ],
  "training": { "epochs": 1 }
}`;

test('hover over an expression shows the parsed formula and its parameters', () => {
  const h = hoverAt(doc, doc.indexOf('sigmoid') + 2);
  assert.ok(h, 'a hover');
  assert.match(h.markdown, /f\(x\) = x \* sigmoid\(beta \* x\)/);
  assert.match(h.markdown, /parameters: beta/);
  assert.match(h.markdown, /unused parameters: gain/);
});

test('completion inside the string: functions by prefix and the entry\'s parameter names, replacing the word', () => {
  const at = doc.indexOf('sigmoid') + 3; // "sig|moid"
  const items = completionsAt(doc, at);
  const sig = items.find((i) => i.label === 'sigmoid');
  assert.ok(sig, items.map((i) => i.label).join());
  assert.equal(doc.slice(sig.range.offset, sig.range.offset + sig.range.length), 'sigmoid');
  assert.ok(!items.some((i) => i.label === 'tanh'), 'filtered by the prefix');
  const inBeta = completionsAt(doc, doc.indexOf('beta *') + 1).map((i) => i.label);
  assert.ok(inBeta.includes('beta'), inBeta.join());
  const atGain = completionsAt(doc, doc.indexOf('beta *') + 'beta * '.length).map((i) => i.label);
  assert.ok(atGain.includes('gain') && atGain.includes('x') && atGain.includes('randn()'), atGain.join());
});
