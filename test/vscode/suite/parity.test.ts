/// <reference types="mocha" />
// The CLI's `actlab validate` and the editor show the same problems at the same positions: every
// config of the invalid corpus (copied to a temp folder) is opened, and its Problems are held
// against the built CLI's output for the same file.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Severity } from '../../../src/core/diagnostics';
import { toProblem, validateText, type Problem } from '../../../src/extension/problems';
import { cliProblems, editorProblem } from '../../unit/extension/cliLines';
import { api, waitFor } from './helpers';

const SEVERITY = new Map<vscode.DiagnosticSeverity, Severity>([
  [vscode.DiagnosticSeverity.Error, 'error'],
  [vscode.DiagnosticSeverity.Warning, 'warning'],
  [vscode.DiagnosticSeverity.Information, 'info'],
]);

const extensionPath = vscode.extensions.all.find((e) => (e.packageJSON as { name?: unknown } | undefined)?.name === 'activation-lab')?.extensionPath ?? '';
const corpus = path.join(extensionPath, 'test', 'fixtures', 'configs', 'invalid');
const names = fs.existsSync(corpus) ? fs.readdirSync(corpus).filter((f) => f.endsWith('.actlab.json')).sort() : [];

const rangeKey = (p: Pick<Problem, 'code' | 'start' | 'end'>): string => `${p.code} ${p.start.line}:${p.start.character}-${p.end.line}:${p.end.character}`;

function runCli(args: string[], stateHome: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // In VS Code the host's execPath is Electron; this makes it behave as Node (no-op elsewhere).
    // A state folder of its own: the CLI calibrates its estimate from the last runs folder it
    // recorded (an earlier suite's runs), the editor does not, and the job-count lines then differ.
    const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1', XDG_STATE_HOME: stateHome };
    const child = spawn(process.execPath, [path.join(extensionPath, 'dist', 'cli.js'), ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

suite('Activation Lab: the editor and `actlab validate` show the same problems', () => {
  let dir: string;
  let cliOut: string;
  const file = (name: string): string => path.join(dir, name);

  suiteSetup(async () => {
    await api();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actlab-parity-'));
    for (const n of names) fs.copyFileSync(path.join(corpus, n), file(n));
    const cli = await runCli(['validate', ...names.map(file)], fs.mkdtempSync(path.join(os.tmpdir(), 'actlab-parity-state-')));
    assert.equal(cli.code, 1, `validate exits 1 on the corpus (stderr: ${cli.stderr})`);
    cliOut = cli.stdout;
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the invalid corpus is there', () => {
    assert.ok(names.length >= 20, `the invalid corpus under ${corpus} (${names.length} files)`);
  });

  for (const name of names) {
    test(name, async () => {
      const uri = vscode.Uri.file(file(name));
      const doc = await vscode.workspace.openTextDocument(uri);
      const shown = await waitFor(`the diagnostics of ${name}`, () => {
        const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'actlab');
        return d.length ? d : undefined;
      }, 10_000);
      const fromCli = cliProblems(cliOut, file(name));
      assert.ok(fromCli.length > 0, 'the CLI reports problems for it');
      const asProblems = shown.map((d) => {
        const severity = SEVERITY.get(d.severity);
        assert.ok(severity, `severity ${d.severity}`);
        return { code: String(d.code), severity, message: d.message, start: d.range.start, end: d.range.end };
      });
      assert.deepEqual(asProblems.map(editorProblem).sort(), fromCli);
      // The CLI prints where a range starts; where it ends must be the validator's end too.
      const validated = validateText(doc.getText(), uri.fsPath).diagnostics.map(toProblem);
      assert.deepEqual(asProblems.map(rangeKey).sort(), validated.map(rangeKey).sort());
    });
  }
});
