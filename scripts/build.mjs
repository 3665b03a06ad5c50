// One esbuild script, one entry per runtime. `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
  // Optional native backends are resolved at run time when installed; never bundled.
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'vscode'],
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

// The wasm backend loads its binaries from a folder at run time: ship them beside the bundle.
mkdirSync(join(root, 'dist/wasm'), { recursive: true });
const wasmDist = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  if (existsSync(join(wasmDist, f))) cpSync(join(wasmDist, f), join(root, 'dist/wasm', f));
}

if (watch) {
  const ctxs = await Promise.all(entries.map((e) => esbuild.context(e)));
  await Promise.all(ctxs.map((c) => c.watch()));
  console.log(`watching ${entries.length} entries`);
} else {
  await Promise.all(entries.map((e) => esbuild.build(e)));
}
