// One esbuild script, one entry per runtime. `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
// `--trainer-to FILE`: only the trainer, into FILE (tests bundle fresh sources with these options).
const trainerTo = process.argv.includes('--trainer-to') ? process.argv[process.argv.indexOf('--trainer-to') + 1] : undefined;
const production = process.argv.includes('--production');

/**
 * tfjs-core's gradient registrations (src/trainer/kernels/gradients.ts) are ESM with
 * extensionless imports that Node cannot load at run time: bundle that one module although
 * `@tensorflow/*` is external. A plugin's resolution comes before the external list.
 */
const GRADIENTS = '@tensorflow/tfjs-core/dist/register_all_gradients';
const bundleGradients = {
  name: 'bundle-tfjs-gradients',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs-core\/dist\/register_all_gradients(\.js)?$/ }, () => ({
      path: createRequire(import.meta.url).resolve(`${GRADIENTS}.js`),
    }));
  },
};

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
  // tfjs stays in node_modules, resolved at run time: the optional native backend (tfjs-node)
  // registers itself into the tfjs-core instance it finds there, so ours must be that same one.
  external: ['@tensorflow/*', 'vscode'],
  // jsonc-parser's default (UMD) build loads its parts with a dynamic require esbuild cannot
  // follow; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  plugins: [bundleGradients],
};

const entries = [
  { ...node, entryPoints: [join(root, 'src/trainer/main.ts')], outfile: join(root, 'dist/trainer.js') },
  { ...node, entryPoints: [join(root, 'src/cli/main.ts')], outfile: join(root, 'dist/cli.js') },
  { ...node, entryPoints: [join(root, 'src/extension/extension.ts')], outfile: join(root, 'dist/extension.js') },
  {
    bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: true, minify: production,
    logLevel: 'warning', entryPoints: [join(root, 'webview/main.ts')], outfile: join(root, 'dist/webview.js'),
    loader: { '.css': 'text' },
  },
].filter((e) => existsSync(e.entryPoints[0]));
if (trainerTo) entries.splice(0, entries.length, { ...entries[0], outfile: trainerTo });


if (watch) {
  const ctxs = await Promise.all(entries.map((e) => esbuild.context(e)));
  await Promise.all(ctxs.map((c) => c.watch()));
  console.log(`watching ${entries.length} entries`);
} else {
  await Promise.all(entries.map((e) => esbuild.build(e)));
}
