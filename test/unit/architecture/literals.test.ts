/**
 * The registry's promise, checked: an activation's type name is written as a string literal in
 * at most MAX_FILES source files under src/ and webview/ (its core entry, and little else), so
 * code elsewhere asks the registry instead of switching on names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ACTIVATION_TYPES } from '../../../src/core/config';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const MAX_FILES = 3;

/**
 * Files where a type name's literal means something else: `linear` is also a schedule kind, a
 * tfjs fused-activation name and a Chart.js scale type; `prelu` a tfjs fused-activation name.
 */
const HOMONYMS: Record<string, Record<string, string>> = {
  linear: {
    'src/core/config.ts': 'schedule kind (SCHEDULE_KINDS)',
    'src/core/schedules.ts': 'schedule kind',
    'src/core/schema.ts': 'schedule kind',
    'src/core/validateSemantics.ts': 'schedule kind',
    'src/trainer/kernels/gemm/kernels.ts': 'tfjs fused activation',
    'webview/charts/base.ts': 'Chart.js scale type',
  },
  prelu: { 'src/trainer/kernels/gemm/kernels.ts': 'tfjs fused activation' },
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|js|mjs)$/.test(name) ? [path] : [];
  });
}

/** The code without comments (a name in a doc comment is not a literal). */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const files = ['src', 'webview'].flatMap((d) => sourceFiles(join(ROOT, d)))
  .map((path) => ({ rel: relative(ROOT, path).split('\\').join('/'), code: stripComments(readFileSync(path, 'utf8')) }));

test(`every activation type name is a quoted literal in at most ${MAX_FILES} source files`, () => {
  assert.ok(files.length > 50, 'found the source files');
  const over: string[] = [];
  for (const type of ACTIVATION_TYPES) {
    const literal = new RegExp(`['"\`]${type}['"\`]`);
    const where = files.filter((f) => literal.test(f.code) && !(f.rel in (HOMONYMS[type] ?? {}))).map((f) => f.rel);
    if (where.length > MAX_FILES) over.push(`${type}: ${where.length} files (${where.join(', ')})`);
  }
  assert.deepEqual(over, [], `type names written out in too many files:\n${over.join('\n')}`);
});

test('the counter sees a literal (it would not pass by finding nothing)', () => {
  const own = files.filter((f) => f.rel.startsWith('src/core/activations/') && /['"]nrelu['"]/.test(f.code));
  assert.ok(own.length >= 1);
});
