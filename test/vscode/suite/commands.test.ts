/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS, LANGUAGE_ID, VIEW_RUNS } from '../../../src/extension/ids';
import { api } from './helpers';

suite('Activation Lab: activation and commands', () => {
  test('activates and registers every command', async () => {
    await api();
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of Object.values(COMMANDS)) assert.ok(all.has(id), `${id} is registered`);
  });

  test('contributes the Runs view and the actlab language for *.actlab.json', async () => {
    const ext = vscode.extensions.all.find((e) => (e.packageJSON as { name?: unknown }).name === 'activation-lab');
    assert.ok(ext);
    const pkg = ext.packageJSON as { contributes: { views: Record<string, { id: string }[]>; languages: { id: string; filenamePatterns: string[] }[] } };
    assert.ok(Object.values(pkg.contributes.views).flat().some((v) => v.id === VIEW_RUNS));
    assert.ok(pkg.contributes.languages.some((l) => l.id === LANGUAGE_ID && l.filenamePatterns.includes('*.actlab.json')));
    // The view can be focused (its container exists and the provider is registered).
    await vscode.commands.executeCommand(`${VIEW_RUNS}.focus`);
  });
});
