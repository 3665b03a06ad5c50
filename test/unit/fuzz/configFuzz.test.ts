/**
 * Property-based fuzzing of the validator (issue 17): structural mutations of the valid example
 * configs and raw text mutations of their files, with fast-check (seeded, so a run is
 * repeatable; it shrinks a failure to a minimal case). The properties: validation never throws,
 * every diagnostic lies within the text, a rejected config has at least one error, every error
 * has a place (a non-empty range), and an accepted config expands without throwing into the
 * job count the validator announced.
 *
 * A failure prints the shrunk config; keep it in test/fixtures/configs/fuzz/ (run with
 * ACTLAB_FUZZ_SAVE=1 to have it written there), where every run re-checks each one.
 * ACTLAB_FUZZ_SEED=<n> explores other cases; ACTLAB_FUZZ_RUNS=<n> scales the counts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parse } from 'jsonc-parser';
import { resolveConfig } from '../../../src/core/expand';
import { validateConfigText } from '../../../src/core/validate';
import { applyMutations, applyTextEdits, mutationArb, textEditArb, type Json } from './mutations';

const here = dirname(fileURLToPath(import.meta.url));
const examplesDir = join(here, '..', '..', '..', 'examples');
const fixturesDir = join(here, '..', '..', 'fixtures', 'configs', 'fuzz');

const SEED = Number(process.env.ACTLAB_FUZZ_SEED ?? 17);
const SCALE = Number(process.env.ACTLAB_FUZZ_RUNS ?? 1);
/** ≥ 2,000 cases per run in all (issue 17), within ~30 s on a loaded 2-core machine. */
const STRUCTURAL_RUNS = Math.round(1400 * SCALE);
const TEXT_RUNS = Math.round(1000 * SCALE);

const exampleTexts = readdirSync(examplesDir).filter((f) => f.endsWith('.actlab.json')).sort()
  .map((f) => readFileSync(join(examplesDir, f), 'utf8'));
const exampleValues = exampleTexts.map((t) => parse(t) as Json);

/** Validation options as the CLI gives them, with no file on disk. */
const options = { baseDir: '/nonexistent', fileExists: () => false };

/** The properties; throws (an assertion) on a violation. */
function checkText(text: string): void {
  const r = validateConfigText(text, options);
  for (const d of r.diagnostics) {
    assert.ok(typeof d.message === 'string' && d.message.length > 0, 'a message');
    assert.doesNotMatch(d.message, /\[object Object\]|\bundefined\b/, `message reads well: ${d.message}`);
    const { offset, length } = d.range;
    assert.ok(offset >= 0 && length >= 0 && offset + length <= text.length, `range within the text: ${offset}+${length} of ${text.length} (${d.code})`);
  }
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (r.config === undefined) {
    assert.ok(errors.length > 0, 'a rejected config says why');
    // A syntax or expression error may be a point: where the missing comma or operand goes.
    const point = (code: string): boolean => code === 'syntax-error' || code.startsWith('expr-');
    if (text.trim() !== '') for (const e of errors) assert.ok(e.range.length > 0 || point(e.code), `error located: ${e.code} ${e.message}`);
  } else {
    assert.equal(errors.length, 0);
    const resolved = resolveConfig(r.config);
    if (r.jobCount !== undefined) assert.equal(resolved.jobs.length, r.jobCount, 'the announced job count');
  }
}

function save(kind: string, text: string): string {
  const file = join(fixturesDir, `${kind}-${SEED}-${Date.now()}.actlab.json`);
  mkdirSync(fixturesDir, { recursive: true });
  writeFileSync(file, text);
  return file;
}

function fuzz(kind: string, arb: fc.Arbitrary<string>, numRuns: number): void {
  const out = fc.check(fc.property(arb, (text) => { checkText(text); }), { seed: SEED, numRuns, endOnFailure: false });
  if (out.failed) {
    const minimal = out.counterexample?.[0] ?? '';
    const where = process.env.ACTLAB_FUZZ_SAVE ? ` (saved as ${save(kind, minimal)})` : '';
    assert.fail(`${kind} fuzzing found a failure after ${out.numRuns} cases, seed ${SEED}, shrunk to${where}:\n${minimal}\n${String(out.errorInstance)}`);
  }
}

test('past fuzz failures, each a minimal config, stay fixed', () => {
  const files = readdirSync(fixturesDir).filter((f) => f.endsWith('.actlab.json'));
  assert.ok(files.length >= 1);
  for (const f of files) {
    const text = readFileSync(join(fixturesDir, f), 'utf8');
    assert.doesNotThrow(() => checkText(text), f);
  }
});

test(`structural mutations of the examples: ${STRUCTURAL_RUNS} cases, no crash, every rejection located`, () => {
  const arb = fc.tuple(fc.nat(exampleValues.length - 1), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([i, ms, pretty]) => JSON.stringify(applyMutations(exampleValues[i]!, ms), null, pretty ? 2 : undefined));
  fuzz('structural', arb, STRUCTURAL_RUNS);
});

test(`text mutations of the example files: ${TEXT_RUNS} cases, no crash, every rejection located`, () => {
  const arb = fc.tuple(fc.nat(exampleTexts.length - 1), fc.array(textEditArb, { minLength: 1, maxLength: 5 }))
    .map(([i, edits]) => applyTextEdits(exampleTexts[i]!, edits));
  fuzz('text', arb, TEXT_RUNS);
});
