/// <reference types="mocha" />
// Runs first (suites load in name order): nothing may have activated the extension yet.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { JSON_FEATURES_EXTENSION, LANGUAGE_ID } from '../../../src/extension/ids';
import { scratch, waitFor } from './helpers';

const extension = (): vscode.Extension<unknown> => {
  const ext = vscode.extensions.all.find((e) => (e.packageJSON as { name?: unknown } | undefined)?.name === 'activation-lab');
  if (!ext) throw new Error('the Activation Lab extension is not loaded');
  return ext;
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

suite('Activation Lab: lazy activation and the actlab language', () => {
  let dir: string;
  suiteSetup(() => { dir = scratch(); });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('settings.json and other JSON files do not activate the extension', async () => {
    assert.equal(extension().isActive, false, 'already active before any experiment was opened');
    await vscode.commands.executeCommand('workbench.action.openSettingsJson');
    const settings = await waitFor('the settings editor', () => vscode.window.activeTextEditor?.document);
    assert.equal(settings.languageId, 'jsonc');
    const plain = path.join(dir, 'plain.json');
    fs.writeFileSync(plain, '{ "a": 1 }\n');
    const doc = await vscode.workspace.openTextDocument(plain);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'json');
    // The JSON support activating shows that onLanguage:json(c) has been dispatched by now.
    const json = vscode.extensions.getExtension(JSON_FEATURES_EXTENSION);
    if (json) await waitFor('the JSON language features to activate', () => json.isActive, 15_000);
    await sleep(500);
    assert.equal(extension().isActive, false, 'a JSON document activated Activation Lab');
  });

  test('opening an *.actlab.json gives it the actlab language and activates the extension', async () => {
    const doc = await vscode.workspace.openTextDocument(path.join(dir, 'tiny.actlab.json'));
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, LANGUAGE_ID);
    await waitFor('activation on onLanguage:actlab', () => extension().isActive, 15_000);
    assert.ok((await vscode.languages.getLanguages()).includes(LANGUAGE_ID));
  });

  test('VS Code\'s JSON support validates against the schema and allows comments and trailing commas', async () => {
    const file = path.join(dir, 'commented.actlab.json');
    const text = fs.readFileSync(path.join(dir, 'tiny.actlab.json'), 'utf8')
      .replace('"name": "tiny",', '/* block comment */ "name": "tiny", // line comment\n  "colour": "red",')
      .replace('"backend": "cpu"', '"backend": "cpu",');
    fs.writeFileSync(file, text);
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    // The schema (jsonValidation) forbids unknown top-level keys: the JSON server's own problem.
    const fromJson = await waitFor('a problem from the JSON language server', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source !== 'actlab');
      return d.some((x) => /colour/.test(x.message)) ? d : undefined;
    });
    assert.deepEqual(fromJson.filter((d) => /comment|trailing/i.test(d.message)).map((d) => d.message), []);
    const ours = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'actlab');
    assert.ok(!ours.some((d) => d.code === 'syntax-error'), ours.map((d) => d.message).join('; '));
  });

  test('a config that names the schema itself ("$schema", as the examples do) gets no JSON errors for comments', async () => {
    // The JSON server then uses the file's $schema instead of the contributed association, so the
    // generated schema itself must allow comments and trailing commas. The quick-start example and
    // the schema are copied with their relative layout; an unknown key shows the server has run.
    const root = extension().extensionPath;
    fs.mkdirSync(path.join(dir, 'examples'));
    fs.mkdirSync(path.join(dir, 'schemas'));
    fs.copyFileSync(path.join(root, 'schemas', 'actlab.schema.json'), path.join(dir, 'schemas', 'actlab.schema.json'));
    const text = fs.readFileSync(path.join(root, 'examples', 'quickstart.actlab.json'), 'utf8');
    assert.match(text, /^\/\/.*\n\{\n {2}"\$schema": "\.\.\/schemas\/actlab\.schema\.json",\n/m);
    const file = path.join(dir, 'examples', 'quickstart.actlab.json');
    fs.writeFileSync(file, text.replace('"$schema": "../schemas/actlab.schema.json",', '"$schema": "../schemas/actlab.schema.json", "colour": "red",'));
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    const fromJson = await waitFor('a problem from the JSON language server', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source !== 'actlab');
      return d.some((x) => /colour/.test(x.message)) ? d : undefined;
    });
    assert.deepEqual(fromJson.filter((d) => /comment|trailing/i.test(d.message)).map((d) => d.message), [],
      'schemas/actlab.schema.json must say "allowComments": true and "allowTrailingCommas": true at its root (src/core/schema.ts)');
  });

  test('the language configuration: Toggle Line Comment writes // and brackets auto-close', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: '{\n  "name": "x"\n}\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 4, 1, 4);
    await vscode.commands.executeCommand('editor.action.commentLine');
    assert.equal(doc.lineAt(1).text, '  // "name": "x"');
    editor.selection = new vscode.Selection(2, 1, 2, 1);
    await vscode.commands.executeCommand('type', { text: '[' });
    assert.equal(doc.lineAt(2).text, '}[]');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
