/** src/core runs in the browser too: it may import nothing but itself, jsonc-parser and ajv. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ALLOWED = new Set(['jsonc-parser', 'ajv']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : []));
}

test('src/core imports only relative modules, jsonc-parser and ajv', () => {
  const bad: string[] = [];
  for (const f of files(join(ROOT, 'src', 'core'))) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (spec.startsWith('.')) {
        const target = join(f, '..', spec);
        if (!target.startsWith(join(ROOT, 'src', 'core'))) bad.push(`${relative(ROOT, f)}: ${spec}`);
      } else if (!ALLOWED.has(spec)) bad.push(`${relative(ROOT, f)}: ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
});
