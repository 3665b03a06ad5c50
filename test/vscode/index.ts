/**
 * Extension-host test entry (extensionTestsPath): runs every compiled suite in ./suite with
 * mocha (tdd ui). Built by test/vscode/build.mjs into dist-test/vscode/index.js; mocha is bundled
 * in, so it loads the same way in VS Code (test-electron) and in code-server.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: true, timeout: 120_000, slow: 10_000 });
  const grep = process.env.ACTLAB_TEST_GREP;
  if (grep) mocha.grep(grep);
  const dir = path.join(__dirname, 'suite');
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, f));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
