/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, hoverText, scratch, waitFor } from './helpers';

const ours = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'actlab');

suite('Activation Lab: authoring (diagnostics, hovers, completion, quick fixes, CodeLens)', () => {
  let dir: string;
  suiteSetup(async () => {
    await api();
    dir = scratch();
  });

  test('a config opens as jsonc and a broken one gets an error at the exact range', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'broken.actlab.json'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'jsonc');
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
    const fix = actions.find((a) => a.edit && /nrelu/.test(a.title) && a.diagnostics?.some((x) => x.code === 'unknown-activation'));
    assert.ok(fix?.edit, `a fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), /"type": "nrelu"/);
    await waitFor('the error to clear', () => !ours(uri).some((x) => x.code === 'unknown-activation'), 5_000);
  });

  test('hover over an activation type shows its formula and paper', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'tiny.actlab.json'));
    const doc = await vscode.workspace.openTextDocument(uri);
    const pos = doc.positionAt(doc.getText().indexOf('"nrelu", "sigma"') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
    const text = hovers.map(hoverText).join('\n---\n');
    assert.match(text, /N-ReLU/);
    assert.match(text, /arXiv 2511\.07559/);
    assert.match(text, /f\(x\) =/);
  });

  test('hover over a parameter gives the recommended range', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'tiny.actlab.json'));
    const doc = await vscode.workspace.openTextDocument(uri);
    const pos = doc.positionAt(doc.getText().indexOf('"sigma"') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
    assert.match(hovers.map(hoverText).join('\n'), /Recommended: 0\.05–0\.1/);
  });

  test('completion inside "type" offers every activation with documentation', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'tiny.actlab.json'));
    const doc = await vscode.workspace.openTextDocument(uri);
    const pos = doc.positionAt(doc.getText().indexOf('"relu" }') + 2);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, pos);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const t of ['nrelu', 'smoothRelu', 'leakyRelu', 'gelu']) assert.ok(labels.includes(t), `${t} offered`);
    const nrelu = list.items.find((i) => i.label === 'nrelu' && i.documentation);
    assert.ok(nrelu, 'our item carries documentation');
  });

  test('completion of keys offers only the entry type\'s parameters', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'tiny.actlab.json'));
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf('"sigma": 0.05') + '"sigma": 0.05'.length;
    await editor.edit((b) => b.insert(doc.positionAt(at), ', '));
    const pos = doc.positionAt(at + 2);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, pos);
    const ourProps = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Property && typeof i.detail === 'string' && i.detail.includes('N-ReLU'));
    assert.deepEqual(ourProps.map((i) => i.label).sort(), ['inference']);
    await vscode.commands.executeCommand('undo');
    await doc.save();
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
