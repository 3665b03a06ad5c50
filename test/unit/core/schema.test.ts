import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { ACTIVATION_TYPES } from '../../../src/core/config';
import { CATALOG } from '../../../src/core/catalog';
import { EDITOR_KEYWORDS, buildSchema, schemaText, type JsonSchema } from '../../../src/core/schema';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

test('schemas/actlab.schema.json is up to date (regenerate: node --import tsx scripts/gen-schema.ts)', () => {
  assert.equal(readFileSync(join(root, 'schemas', 'actlab.schema.json'), 'utf8'), schemaText());
});

test('the schema compiles as draft-07 in strict ajv', () => {
  const ajv = new Ajv({ strictTypes: false, allowUnionTypes: true });
  ajv.addVocabulary([...EDITOR_KEYWORDS]);
  const validate = ajv.compile(buildSchema());
  assert.equal(buildSchema().$schema, 'http://json-schema.org/draft-07/schema#');
  assert.equal(validate({ name: 'x', data: { dataset: 'mnist' }, model: { type: 'mlp' }, activations: [{ id: 'r', type: 'relu' }], training: { epochs: 1 } }), true);
  assert.equal(validate({ name: 'x', data: { dataset: 'mnist' }, model: { type: 'mlp' }, activations: [{ id: 'r', type: 'relu', sigma: 1 }], training: { epochs: 1 } }), false);
});

/** Every property schema reachable from the root, with its path. */
function walk(s: JsonSchema | boolean | undefined, path: string, visit: (s: JsonSchema, path: string) => void): void {
  if (typeof s !== 'object') return;
  visit(s, path);
  for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, `${path}.${k}`, visit);
  for (const [k, v] of Object.entries(s.definitions ?? {})) walk(v, `#${k}`, visit);
  for (const [i, v] of (s.allOf ?? []).entries()) walk(v, `${path}/allOf${i}`, visit);
  walk(s.then, `${path}/then`, visit);
  walk(s.else, `${path}/else`, visit);
  walk(s.items, `${path}[]`, visit);
}

test('every object forbids unknown keys (directly or in each type branch) and every documented property has a markdownDescription', () => {
  const schema = buildSchema();
  walk(schema, '', (s, path) => {
    if (s.description) assert.ok(s.markdownDescription, `${path} lacks markdownDescription`);
    if (s.type === 'object' && s.properties && !path.endsWith('/then') && !path.includes('/if')) {
      const closed = s.additionalProperties === false || (s.allOf ?? []).every((b) => b.then?.additionalProperties === false);
      assert.ok(closed, `${path} accepts unknown keys`);
    }
  });
  for (const key of Object.keys(schema.properties ?? {})) {
    const p = schema.properties?.[key];
    assert.ok(typeof p === 'object' && (p.$ref || p.description), `root.${key} undocumented`);
  }
});

test('each activation type branch lists exactly its catalog parameters, with defaults', () => {
  const activation = buildSchema().definitions?.activation;
  assert.ok(activation?.allOf);
  assert.equal(activation.allOf.length, ACTIVATION_TYPES.length);
  for (const [i, t] of ACTIVATION_TYPES.entries()) {
    const branch: JsonSchema = activation.allOf[i];
    assert.deepEqual(branch.if?.properties?.type, { const: t });
    const keys = Object.keys(branch.then?.properties ?? {});
    assert.deepEqual(keys, ['id', 'type', 'label', ...CATALOG[t].params.map((p) => p.name)]);
    for (const p of CATALOG[t].params) {
      const ps = branch.then?.properties?.[p.name];
      assert.ok(typeof ps === 'object');
      assert.deepEqual(ps.default, p.default);
      assert.ok(ps.markdownDescription?.includes(p.description));
    }
  }
  const type = activation.properties?.type;
  assert.ok(typeof type === 'object' && type.markdownEnumDescriptions?.length === ACTIVATION_TYPES.length);
});
