// Bundles the extension-host suites for a real VS Code / code-server: test/vscode/index.ts and
// every test/vscode/suite/*.test.ts → dist-test/vscode/ (CommonJS, `vscode` external, mocha
// bundled so no ESM loading is needed inside the extension host). The fixtures are copied along.
import * as esbuild from 'esbuild';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const out = join(root, 'dist-test', 'vscode');
rmSync(out, { recursive: true, force: true });
const suites = readdirSync(join(here, 'suite')).filter((f) => f.endsWith('.test.ts')).map((f) => join(here, 'suite', f));
await esbuild.build({
  entryPoints: [join(here, 'index.ts'), ...suites],
  outbase: here,
  outdir: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // mocha's parallel mode (worker files found by require.resolve) is never used here.
  logOverride: { 'require-resolve-not-external': 'silent' },
  external: ['vscode', '@tensorflow/*'],
  // Suites that import the validator pull in jsonc-parser, whose UMD build loads its parts with a
  // dynamic require esbuild cannot follow; its ESM build bundles (as in scripts/build.mjs).
  mainFields: ['module', 'main'],
});
cpSync(join(here, 'fixtures'), join(out, 'fixtures'), { recursive: true });
console.log(`built ${suites.length} suite(s) into ${out}`);
