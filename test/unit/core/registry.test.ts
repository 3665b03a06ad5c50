/**
 * Every registry entry, enumerated: a new activation gets these checks without writing them.
 * Formula (core) against implementation (trainer, cpu backend) on a grid, autodiff against
 * finite differences, the schema fragment, docs, the README row, and the generated lists.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  ACTIVATIONS, activationPoint, defaultSpec as registryDefault, drivingSchedule, drivingScheduleKey, paramsOf, trainsStochastically, type ActivationSpec,
} from '../../../src/core/activations';
import { activationMarkdown, activationTable, activationTableRow, paramMarkdown } from '../../../src/core/catalog';
import type { RawConfig } from '../../../src/core/config';
import { resolveConfig } from '../../../src/core/expand';
import { buildSchema, schemaText, type JsonSchema } from '../../../src/core/schema';
import { schemaValidator } from '../../../src/core/validateStructure';
import { createActivationFactory } from '../../../src/trainer/activations/index';
import {
  CORE_DIR, GENERATED, README_BEGIN, README_END, ROOT, TRAINER_DIR, coreListText, entryModules, trainerListText,
} from '../../../scripts/registry';

before(async () => {
  tf.env().set('PROD', true);
  assert.ok(await tf.setBackend('cpu'));
});

/** Points at least 0.2 from the kink at 0, so central differences with h = 1e-3 are clean. */
const XS = [-3.1, -1.7, -0.9, -0.45, -0.2, 0.2, 0.35, 0.8, 1.6, 3.2];
const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

const config = (entry: Record<string, unknown>): RawConfig => ({
  name: 'registry', data: { dataset: 'teacher' }, model: { type: 'mlp', hidden: [4] },
  activations: [entry as RawConfig['activations'][number]], training: { epochs: 1 },
});

/** The spec an entry with only id and type resolves to: every default filled by expansion. */
function defaultSpec(type: string): ActivationSpec {
  return resolveConfig(config({ id: 'a', type })).jobs[0]!.activation;
}

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

test('entries: one file each, named after the type, unique positions, complete docs', () => {
  assert.deepEqual(entryModules(CORE_DIR, 'definition'), ACTIVATIONS.map((d) => d.type).sort());
  assert.deepEqual(entryModules(TRAINER_DIR, 'implementation'), ACTIVATIONS.map((d) => d.type).sort());
  assert.equal(new Set(ACTIVATIONS.map((d) => d.position)).size, ACTIVATIONS.length, 'positions are unique');
  for (const d of ACTIVATIONS) {
    assert.ok(d.name && d.summary.length > 10 && d.formula, d.type);
    const md = activationMarkdown(d.type);
    assert.ok(md.includes(d.name) && md.includes(d.formula), `${d.type}: hover text`);
    if (d.reference) assert.ok(md.includes(d.reference), `${d.type}: hover cites the paper`);
    if (d.stochastic) assert.ok(md.includes('Stochastic'), `${d.type}: hover says stochastic`);
    for (const p of paramsOf(d.type)) {
      assert.ok(p.description.length > 10, `${d.type}.${p.name}: description`);
      assert.ok(paramMarkdown(p).includes(JSON.stringify(p.default)), `${d.type}.${p.name}: default in its hover`);
      if (p.kind === 'enum') assert.ok(p.values?.includes(String(p.default)));
      if (typeof p.default === 'number') {
        if (p.min !== undefined) assert.ok(p.exclusiveMin ? p.default > p.min : p.default >= p.min, `${d.type}.${p.name}: default ≥ min`);
        if (p.max !== undefined) assert.ok(p.exclusiveMax ? p.default < p.max : p.default <= p.max, `${d.type}.${p.name}: default ≤ max`);
      }
      if (p.kind === 'boolean' || p.kind === 'enum') assert.equal(p.sweepable, false, `${d.type}.${p.name}: only numbers sweep`);
    }
    for (const sn of d.snippets ?? []) assert.equal(sn.body.type, d.type, `${d.type}: snippet ${sn.label}`);
  }
});

test('schema: each entry has its branch with every parameter; defaults validate, a foreign key does not', () => {
  const activation = (buildSchema().definitions?.activation ?? {}) as JsonSchema;
  const validate = schemaValidator();
  for (const d of ACTIVATIONS) {
    const branch = activation.allOf?.find((b) => (b.if?.properties?.type as JsonSchema | undefined)?.const === d.type);
    assert.ok(branch?.then?.properties, `${d.type}: schema branch`);
    for (const key of Object.keys(d.params)) assert.ok(branch.then.properties[key], `${d.type}.${key}: in the schema`);
    const defaults = Object.fromEntries(paramsOf(d.type).map((p) => [p.name, p.default]));
    assert.equal(validate(config({ id: 'a', type: d.type, ...defaults })), true, `${d.type}: defaults validate`);
    assert.equal(validate(config({ id: 'a', type: d.type, notAParameter: 1 })), false, `${d.type}: unknown key rejected`);
  }
});

test('expansion: every parameter resolved, schedules explicit, the driving schedule found', () => {
  for (const d of ACTIVATIONS) {
    const spec = defaultSpec(d.type) as unknown as Record<string, unknown>;
    assert.deepEqual(Object.keys(spec), ['type', ...Object.keys(d.params)], d.type);
    assert.deepEqual(registryDefault(d.type), defaultSpec(d.type), `${d.type}: defaultSpec = what expansion gives`);
    for (const p of paramsOf(d.type)) {
      if (p.kind === 'schedule') assert.equal((spec[p.name] as { start: number }).start, p.default, `${d.type}.${p.name}`);
      else assert.deepEqual(spec[p.name], p.default, `${d.type}.${p.name}`);
    }
    const key = drivingScheduleKey(d.type);
    if (key) assert.equal(d.params[key]?.kind, 'schedule', `${d.type}: σ comes from a schedule parameter`);
    assert.equal(drivingSchedule(spec as unknown as ActivationSpec) !== undefined, key !== undefined);
  }
});

test('implementation agrees with the formula on a grid (cpu): value, derivative(), autodiff vs finite differences', () => {
  const h = 1e-3;
  for (const d of ACTIVATIONS) {
    const spec = defaultSpec(d.type);
    const sigma = drivingSchedule(spec)?.start ?? 0;
    const act = createActivationFactory(spec)(XS.length, `registry_${d.type}`);
    const ctx = { training: false, sigma, seed: 5 };
    const x = tf.tensor2d([XS]);
    const f = values(act.apply(x, ctx));
    const df = values(act.derivative(x));
    const g = values(tf.grad((t: tf.Tensor) => tf.sum(act.apply(t, ctx)))(x));
    XS.forEach((xi, i) => {
      const p = activationPoint(spec, xi);
      close(f[i]!, p.f, 2e-6 * (1 + Math.abs(p.f)), `${d.type} f(${xi})`);
      close(df[i]!, p.df, 2e-6 * (1 + Math.abs(p.df)), `${d.type} derivative(${xi})`);
      const fd = (activationPoint(spec, xi + h).f - activationPoint(spec, xi - h).f) / (2 * h);
      close(p.df, fd, 1e-5 * (1 + Math.abs(fd)), `${d.type} formula f′ vs central difference at ${xi}`);
      close(g[i]!, fd, 5e-4 * (1 + Math.abs(fd)), `${d.type} autodiff vs central difference at ${xi}`);
    });
    x.dispose();
    act.variables.forEach((v) => v.dispose());
  }
});

test('capabilities: an entry that does not train stochastically gives the same training pass for any seed', () => {
  for (const d of ACTIVATIONS) {
    const spec = defaultSpec(d.type);
    if (trainsStochastically(spec)) continue;
    const sigma = drivingSchedule(spec)?.start ?? 0;
    const act = createActivationFactory(spec)(XS.length, `registry_seed_${d.type}`);
    const x = tf.tensor2d([XS]);
    assert.deepEqual(values(act.apply(x, { training: true, sigma, seed: 1 })), values(act.apply(x, { training: true, sigma, seed: 2 })), d.type);
    x.dispose();
    act.variables.forEach((v) => v.dispose());
  }
});

test('generated files are up to date (npm run schema): lists, schema, README table', () => {
  assert.equal(readFileSync(join(CORE_DIR, GENERATED), 'utf8'), coreListText(), 'src/core/activations/all.generated.ts');
  assert.equal(readFileSync(join(TRAINER_DIR, GENERATED), 'utf8'), trainerListText(), 'src/trainer/activations/all.generated.ts');
  assert.equal(readFileSync(join(ROOT, 'schemas', 'actlab.schema.json'), 'utf8'), schemaText(), 'schemas/actlab.schema.json');
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf(README_BEGIN) + README_BEGIN.length + 1, readme.indexOf(README_END));
  assert.equal(table, activationTable());
  for (const d of ACTIVATIONS) assert.ok(readme.includes(activationTableRow(d.type)), `README row for ${d.type}`);
});
