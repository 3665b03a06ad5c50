/**
 * Runs the extension-host suites in a downloaded VS Code (@vscode/test-electron). Needs network
 * for the download; offline, run the same dist-test/vscode/index.js inside code-server instead
 * (see test/vscode/README.md). Usage: node test/vscode/build.mjs && node --import tsx test/vscode/runTest.ts
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  // The suites write run folders next to their configs: give them a scratch workspace.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'actlab-vscode-'));
  fs.cpSync(path.join(root, 'test', 'vscode', 'fixtures'), workspace, { recursive: true });
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'dist-test', 'vscode', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: { ACTLAB_TEST_WORKSPACE: workspace },
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
