// Runs node:test over test/unit and test/integration (TypeScript through tsx).
// Node 20's `--test` takes no globs, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['test/unit', 'test/integration', 'test/webview'];
const files = [];
const walk = (d) => {
  for (const name of readdirSync(d)) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.ts')) files.push(p);
  }
};
for (const r of roots) {
  try { statSync(r); } catch { continue; }
  if (statSync(r).isFile()) files.push(r); else walk(r);
}
if (files.length === 0) { console.error('no test files found'); process.exit(1); }
// The CLI remembers the last runs folder under $XDG_STATE_HOME: tests get their own, so they
// never overwrite the user's (test/unit/architecture/testState.test.ts checks it).
const state = mkdtempSync(join(tmpdir(), 'actlab-test-state-'));
const env = { ...process.env, XDG_STATE_HOME: state };
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit', env });
rmSync(state, { recursive: true, force: true });
process.exit(r.status ?? 1);
