/** model.freeze, model.parameterization, model.outputInit: validation and expansion. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../../../src/core/expand';
import { validateConfigText } from '../../../src/core/validate';

function text(model: string, data = '{ "dataset": "teacher" }'): string {
  return `{ "name": "t", "data": ${data}, "model": ${model}, "activations": [{ "id": "r", "type": "relu" }], "training": { "epochs": 1 } }`;
}

const problems = (t: string): string[][] =>
  validateConfigText(t).diagnostics.filter((d) => d.code !== 'job-count').map((d) => [d.severity, d.code, d.path.join('.')]);

test('a model with freeze, ntk and sign output validates and resolves with those fields', () => {
  const t = text('{ "type": "mlp", "hidden": [8, 8], "bias": false, "freeze": ["input", "output", 2], "parameterization": "ntk", "outputInit": "sign" }');
  assert.deepEqual(problems(t), []);
  const r = validateConfigText(t);
  const job = resolveConfig(r.config!).jobs[0]!;
  assert.deepEqual(job.model, { type: 'mlp', hidden: [8, 8], init: 'he', bias: false, freeze: ['input', 'output', 2], parameterization: 'ntk', outputInit: 'sign' });
});

test('without the new keys the resolved model has none of them (older config.json files mean the same)', () => {
  const r = validateConfigText(text('{ "type": "mlp", "hidden": [8] }'));
  assert.deepEqual(Object.keys(resolveConfig(r.config!).jobs[0]!.model).sort(), ['bias', 'hidden', 'init', 'type']);
});

test('freeze: an unknown name, a 0 and a repeated entry are structural errors', () => {
  assert.deepEqual(problems(text('{ "type": "mlp", "freeze": ["inptu"] }')), [['error', 'invalid-value', 'model.freeze.0']]);
  assert.deepEqual(problems(text('{ "type": "mlp", "freeze": [0] }')), [['error', 'out-of-range', 'model.freeze.0']]);
  assert.deepEqual(problems(text('{ "type": "mlp", "freeze": ["output", "output"] }')), [['error', 'duplicate-value', 'model.freeze.1']]);
});

test('freeze: a hidden layer the model lacks is an error, also for the shallowest swept depth', () => {
  assert.deepEqual(problems(text('{ "type": "mlp", "hidden": [8, 8], "freeze": [3] }')), [['error', 'freeze-no-layer', 'model.freeze.0']]);
  assert.deepEqual(problems(text('{ "type": "mlp", "freeze": [2] }')), [], 'the default model has 2 hidden layers');
  assert.deepEqual(problems(text('{ "type": "mlp", "hidden": { "sweep": [[8], [8, 8]] }, "freeze": [2] }')), [['error', 'freeze-no-layer', 'model.freeze.0']]);
});

test('ntk with an explicit init warns that init is unused; sign output without freezing it says it will train', () => {
  assert.deepEqual(problems(text('{ "type": "mlp", "parameterization": "ntk", "init": "he" }')), [['warning', 'init-unused', 'model.init']]);
  assert.deepEqual(problems(text('{ "type": "mlp", "outputInit": "sign" }')), [['info', 'sign-output-trained', 'model.outputInit']]);
  assert.deepEqual(problems(text('{ "type": "mlp", "parameterization": "sdt" }')), [['error', 'invalid-value', 'model.parameterization']]);
});
