/**
 * The Boundaries table of docs/ARCHITECTURE.md, enforced: every .ts under src/ and webview/ is
 * parsed and each import, export-from, import() and require() is checked against the row of
 * the folder it is in. The table is read from the document, so changing a rule means changing
 * the document (and the pinned rules below say which rules may not be loosened).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { boundaryTable, folderKey, parseBoundaryTable, type BoundaryRow } from './boundaryTable';
import { classify, folderOf, targetText, targetWords } from './classify';
import { parse, references, ROOT, sourceFiles, SOURCE_FOLDERS, type Reference } from './sources';

interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const RUNTIME_PACKAGES = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]);
const DEV_PACKAGES = new Set(Object.keys(pkg.devDependencies ?? {}));
/** Provided by the process that loads us, not installed: the extension host's API. */
const HOST_PROVIDED = new Set(['vscode']);

/**
 * Known violations being fixed elsewhere, `file → specifier`. Each entry must still be needed
 * (the test fails on a stale one): delete it once the fix is merged.
 */
const KNOWN_VIOLATIONS: ReadonlyArray<{ file: string; specifier: string; why: string }> = [
];

interface Violation { file: string; specifier: string; line: number; problem: string }

/** Every reference that breaks the table or the packaging rules. */
function violations(refs: readonly Reference[], rows: readonly BoundaryRow[]): Violation[] {
  const out: Violation[] = [];
  for (const ref of refs) {
    const bad = (problem: string): void => { out.push({ file: ref.file, specifier: ref.specifier, line: ref.line, problem }); };
    if (/(^|\/)node_modules\//.test(ref.specifier)) {
      bad('imports through a node_modules/ path (use the package name)');
      continue;
    }
    const folder = folderOf(ref.file, rows);
    const row = rows.find((r) => folder !== undefined && r.folders.includes(folder));
    if (!row) {
      bad('is in no folder of the Boundaries table');
      continue;
    }
    const target = classify(ref.file, ref.specifier, rows);
    if (target.kind === 'outside') bad(`reaches ${target.path}, outside every folder of the table`);
    if (target.kind === 'package' && !RUNTIME_PACKAGES.has(target.name) && !HOST_PROVIDED.has(target.name)) {
      bad(DEV_PACKAGES.has(target.name) ? `needs ${target.name}, a dev dependency, at run time` : `needs ${target.name}, which package.json does not declare`);
    }
    if (row.allowed.length > 0 && target.kind !== 'outside' && !targetWords(target).some((w) => row.allowed.includes(w))) {
      bad(`${folder} may not import ${targetText(target)} (${'docs/ARCHITECTURE.md'} allows: ${row.allowed.join(', ')})`);
    }
  }
  return out;
}

const format = (v: Violation): string => `${v.file}:${v.line}: '${v.specifier}' ${v.problem}`;
const isKnown = (v: Violation): boolean => KNOWN_VIOLATIONS.some((k) => k.file === v.file && k.specifier === v.specifier);

const rows = boundaryTable();
const checkedRow = (key: string): BoundaryRow => {
  const row = rows.find((r) => r.folders.some((f) => folderKey(f) === key));
  assert.ok(row, `the Boundaries table has a row for ${key}`);
  return row;
};

test('the Boundaries table covers every runtime folder, and names only things that exist', () => {
  const tops = new Set(sourceFiles().map((f) => {
    const parts = f.split('/');
    return parts[0] === 'src' && parts.length > 2 ? `src/${parts[1]}` : parts[0]!;
  }));
  for (const top of tops) {
    const row = rows.find((r) => r.folders.includes(top));
    assert.ok(row, `${top} has a row in the Boundaries table`);
    assert.ok(row.allowed.length > 0, `${top}'s row says what it may import`);
  }
  const keys = new Set(rows.flatMap((r) => r.folders.map(folderKey)));
  const scopes = new Set([...RUNTIME_PACKAGES].filter((p) => p.startsWith('@')).map((p) => `${p.split('/')[0]}/*`));
  for (const word of rows.flatMap((r) => r.allowed)) {
    const known = keys.has(word) || word === 'node' || word === 'tfjs' || HOST_PROVIDED.has(word) || RUNTIME_PACKAGES.has(word) || scopes.has(word);
    assert.ok(known, `'${word}' in the Boundaries table is a folder of it, node, tfjs, vscode or a runtime dependency`);
  }
});

test('the table keeps the rules the runtimes need (core and webview run in a browser; no cycles through the runner)', () => {
  const forbids = (key: string, words: string[]): void => {
    const row = checkedRow(key);
    for (const w of words) assert.ok(!row.allowed.includes(w), `${key} may not import ${w}`);
  };
  assert.deepEqual(checkedRow('core').allowed.filter((w) => w !== 'core').sort(), ['ajv', 'jsep', 'jsonc-parser']);
  forbids('webview', ['node', 'vscode', 'runner', 'trainer', 'extension', 'cli', 'tfjs']);
  forbids('trainer', ['vscode', 'runner', 'extension', 'cli', 'report']);
  forbids('runner', ['report', 'cli', 'extension', 'vscode', 'trainer']);
  forbids('report', ['runner', 'node', 'vscode', 'cli', 'extension', 'trainer']);
});

test('every import under src/ and webview/ is one its folder may make', () => {
  const found = violations(sourceFiles().flatMap((f) => references(parse(f))), rows);
  assert.deepEqual(found.filter((v) => !isKnown(v)).map(format), []);
  const stale = KNOWN_VIOLATIONS.filter((k) => !found.some((v) => v.file === k.file && v.specifier === k.specifier));
  assert.deepEqual(stale.map((k) => `${k.file} → ${k.specifier}`), [], 'KNOWN_VIOLATIONS entries that are fixed: delete them');
});

test('the checker sees every kind of reference and every rule', () => {
  const table = parseBoundaryTable([
    '## Boundaries', '', '| folder | runs in | may import |', '|---|---|---|',
    '| `src/core` | anywhere | `core`, `ajv` |',
    '| `src/runner` | Node | `core`, `runner`, `node` |',
    '| `webview/` | browser | `core`, `webview`, `@vscode-elements/*` |',
    '| `bench/` | tools | everything |',
    '', '## Next',
  ].join('\n'));
  assert.deepEqual(table[2], { folders: ['webview'], allowed: ['core', 'webview', '@vscode-elements/*'] });
  assert.deepEqual(table[3]!.allowed, []);
  const src = (file: string, text: string): Reference[] => references(parse(file, text));
  const refs = [
    ...src('src/core/a.ts', [
      "import type { X } from '../runner/x';",
      "export * from './b';",
      "import * as fs from 'fs';",
      "const t = import('../../webview/app');",
      "const v = require('vscode');",
      "require.resolve('tsx/cjs');",
      "import '../../node_modules/@tensorflow/tfjs-core/dist/x.js';",
      "type T = import('ajv').default;",
      "const code = `require('esbuild'); require(${JSON.stringify('x')});`;",
    ].join('\n')),
    ...src('src/runner/r.ts', "import { a } from '../core/a'; import b = require('node:path'); import { c } from '../../test/c';"),
    ...src('webview/w.ts', "import '@vscode-elements/elements/dist/x.js'; import { d } from './d';"),
    ...src('src/other/o.ts', "import { a } from '../core/a';"),
  ];
  assert.deepEqual(refs.filter((r) => r.file === 'src/core/a.ts').map((r) => r.kind),
    ['import', 'export', 'import', 'import()', 'require', 'require', 'import', 'import()', 'require in code text']);
  const found = violations(refs, table).map((v) => `${v.file} ${v.specifier}: ${v.problem}`);
  const expectations: Array<[string, RegExp]> = [
    ['../runner/x', /src\/core may not import runner/],
    ['fs', /may not import node/],
    ['../../webview/app', /may not import webview/],
    ['vscode', /may not import vscode/],
    ['tsx/cjs', /tsx, a dev dependency, at run time/],
    ['esbuild', /esbuild, a dev dependency, at run time/],
    ['node_modules', /node_modules\/ path/],
    ['../../test/c', /outside every folder/],
    ['src/other/o.ts', /in no folder of the Boundaries table/],
  ];
  for (const [what, problem] of expectations) {
    assert.ok(found.some((f) => f.includes(what) && problem.test(f)), `${what} → ${problem}\n${found.join('\n')}`);
  }
  for (const fine of ["'./b'", "'ajv'", "'../core/a'", "'node:path'", "'@vscode-elements", "'./d'"]) {
    assert.ok(!found.some((f) => f.includes(`${fine.slice(1)}:`) && !f.includes('src/other')), `${fine} is allowed`);
  }
  assert.ok(SOURCE_FOLDERS.includes('webview'));
});
