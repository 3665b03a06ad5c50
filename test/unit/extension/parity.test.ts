/**
 * One implementation behind `actlab validate` and the editor: for every config of the invalid
 * corpus, the CLI command's printed problems equal what the extension's diagnostic mapping (the
 * pure part of diagnostics.ts) puts in the Problems panel. The extension-host suite
 * test/vscode/suite/parity.test.ts checks the same against the real Problems data and the built CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateCommand } from '../../../src/cli/commands/validate';
import { toProblem, validateText } from '../../../src/extension/problems';
import { cliProblems, editorProblem } from './cliLines';

const invalidDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'configs', 'invalid');
const files = readdirSync(invalidDir).filter((f) => f.endsWith('.actlab.json')).sort().map((f) => join(invalidDir, f));

/** Runs the CLI's validate command in this process and returns what it printed. */
function runValidate(args: string[]): { code: number; stdout: string } {
  const chunks: string[] = [];
  const write = process.stdout.write;
  // The command is synchronous, so nothing else writes while stdout is borrowed.
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  try {
    return { code: validateCommand(args), stdout: chunks.join('') };
  } finally {
    process.stdout.write = write;
  }
}

test('parity: actlab validate and the editor report the same problems at the same positions', () => {
  assert.ok(files.length >= 20, `corpus of ${files.length} files`);
  const cli = runValidate(files);
  assert.equal(cli.code, 1, 'the corpus has errors, so validate exits 1');
  let compared = 0;
  for (const file of files) {
    const fromCli = cliProblems(cli.stdout, file);
    const shown = validateText(readFileSync(file, 'utf8'), file).diagnostics.map(toProblem);
    assert.ok(fromCli.length > 0, `${file}: the CLI reports a problem`);
    assert.deepEqual(shown.map(editorProblem).sort(), fromCli, file);
    for (const p of shown) {
      assert.ok(p.end.line > p.start.line || (p.end.line === p.start.line && p.end.character >= p.start.character), `${file} ${p.code}: the range ends after it starts`);
    }
    compared += fromCli.length;
  }
  assert.ok(compared >= files.length);
});

test('parity: a line of the CLI that does not parse is an error, not a silent skip', () => {
  assert.throws(() => cliProblems('/a.actlab.json:3: error: no column [x]\n', '/a.actlab.json'), /unparsable/);
  assert.deepEqual(cliProblems('/a.actlab.json:3:9: warning: w: x [c-1]\n/b.actlab.json:1:1: error: e [d]\n/a.actlab.json: ok (2 jobs)\n', '/a.actlab.json'), ['3:9 warning [c-1] w: x']);
});
