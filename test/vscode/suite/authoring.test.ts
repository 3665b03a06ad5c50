/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../../../src/extension/ids';
import { api, hoverText, scratch, waitFor } from './helpers';

const ours = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'actlab');

suite('Activation Lab: authoring (diagnostics, hovers, completion, quick fixes, CodeLens)', () => {
  let dir: string;
  suiteSetup(async () => {
    await api();
    dir = scratch();
  });
  suiteTeardown(async () => {
    await (await api()).runs.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a config opens as actlab and a broken one gets an error at the exact range', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'broken.actlab.json'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, LANGUAGE_ID);
    const diags = await waitFor('diagnostics', () => { const d = ours(uri); return d.length ? d : undefined; });
    const d = diags.find((x) => x.code === 'unknown-activation');
    assert.ok(d, `unknown-activation among ${diags.map((x) => String(x.code)).join(', ')}`);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    const start = doc.getText().indexOf('"nrelu2"');
    assert.ok(d.range.isEqual(new vscode.Range(doc.positionAt(start), doc.positionAt(start + '"nrelu2"'.length))), `range ${JSON.stringify(d.range)}`);
  });

  test('the quick fix replaces the unknown type and the error goes away', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'broken.actlab.json'));
    const doc = await vscode.workspace.openTextDocument(uri);
    const start = doc.getText().indexOf('"nrelu2"');
    const range = new vscode.Range(doc.positionAt(start + 1), doc.positionAt(start + 1));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => /nrelu/.test(a.title));
    assert.ok(fix, `a fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.ok(fix.edit, `"${fix.title}" carries its edit (diagnostics: ${JSON.stringify(fix.diagnostics?.map((x) => x.code))})`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), /"type": "nrelu"/);
    await waitFor('the error to clear', () => !ours(uri).some((x) => x.code === 'unknown-activation'), 5_000);
    await doc.save();
  });

  test('the quick fixes for a missing id, a negative σ and swapped RReLU bounds all apply', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'fixable.actlab.json'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const codes = ['missing-id', 'sigma-negative', 'rrelu-bounds'];
    await waitFor('the three errors', () => codes.every((c) => ours(uri).some((d) => d.code === c)));
    for (const code of codes) {
      const d = ours(uri).find((x) => x.code === code);
      assert.ok(d, `${code} present`);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
      const fix = actions.find((a) => a.edit && a.isPreferred) ?? actions.find((a) => a.edit);
      assert.ok(fix?.edit, `a fix for ${code} among ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      await waitFor(`${code} to clear`, () => !ours(uri).some((x) => x.code === code), 5_000);
    }
    assert.deepEqual(ours(uri).filter((x) => x.severity === vscode.DiagnosticSeverity.Error).map((x) => x.code), []);
    await doc.save();
  });

  const label = (i: vscode.CompletionItem): string => (typeof i.label === 'string' ? i.label : i.label.label).replace(/^"|"$/g, '');

  test('hover over an activation type shows its formula and paper, once', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'tiny.actlab.json'));
    const doc = await vscode.workspace.openTextDocument(uri);
    const pos = doc.positionAt(doc.getText().indexOf('"nrelu", "sigma"') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
    const texts = hovers.map(hoverText).filter((t) => /arXiv 2511\.07559/.test(t));
    assert.equal(texts.length, 1, 'the schema and the extension do not both show it');
    assert.match(texts[0], /N-ReLU/);
    assert.match(texts[0], /f\(x\) =/);
  });

  test('hover over a parameter gives the recommended range', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'tiny.actlab.json'));
    const doc = await vscode.workspace.openTextDocument(uri);
    const pos = doc.positionAt(doc.getText().indexOf('"sigma"') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
    assert.match(hovers.map(hoverText).join('\n'), /Recommended: 0\.05–0\.1/);
  });

  test('completion inside "type" offers every activation once, documented', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'tiny.actlab.json'));
    const doc = await vscode.workspace.openTextDocument(uri);
    const pos = doc.positionAt(doc.getText().indexOf('"relu" }') + 2);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, pos);
    for (const t of ['nrelu', 'smoothRelu', 'leakyRelu', 'gelu']) {
      const items = list.items.filter((i) => label(i) === t);
      assert.equal(items.length, 1, `${t} offered exactly once (got ${items.length})`);
    }
    const nrelu = list.items.find((i) => label(i) === 'nrelu');
    const doc2 = nrelu?.documentation;
    assert.match(typeof doc2 === 'string' ? doc2 : doc2?.value ?? '', /N-ReLU/);
  });

  test('completion of keys offers only the entry type\'s parameters, once', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'tiny.actlab.json'));
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf('"sigma": 0.05') + '"sigma": 0.05'.length;
    await editor.edit((b) => b.insert(doc.positionAt(at), ', '));
    try {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, doc.positionAt(at + 2));
      const props = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Property).map(label);
      assert.equal(props.filter((p) => p === 'inference').length, 1);
      for (const other of ['sigma', 'alpha', 'lower', 'proxy']) assert.ok(!props.includes(other), `${other} not offered for nrelu`);
    } finally {
      await vscode.commands.executeCommand('undo');
      await doc.save();
    }
  });

  test('snippets: a σ value offers a sweep and a cosine schedule', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'tiny.actlab.json'));
    const doc = await vscode.workspace.openTextDocument(uri);
    const pos = doc.positionAt(doc.getText().indexOf('"sigma": ') + '"sigma": '.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, pos);
    const snippets = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map(label);
    assert.ok(snippets.includes('sweep') && snippets.includes('schedule-cosine'), snippets.join(', '));
  });

  test('the CodeLens offers to run the config with its job count', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'tiny.actlab.json'));
    await vscode.window.showTextDocument(uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.some((t) => t.startsWith('$(play) Run 2 jobs')), titles.join(' | '));
    assert.ok(titles.includes('$(graph-line) Preview activations'));
  });
});
