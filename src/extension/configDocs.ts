/**
 * Config documents: which documents are ours, their validation (cached per document version, so
 * diagnostics, CodeLens and quick fixes share one parse), and choosing a config to run.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, CONFIG_GLOB, CONFIG_SUFFIX, LANGUAGE_ID } from './ids';
import { validateText, type TextValidation } from './problems';

/**
 * Configs are documents of the "actlab" language (*.actlab.json, or any file the user switched to
 * it) that live on disk or are untitled; other schemes (git, diff views) are left alone.
 */
export const CONFIG_SELECTOR: vscode.DocumentSelector = [
  { language: LANGUAGE_ID, scheme: 'file' },
  { language: LANGUAGE_ID, scheme: 'untitled' },
];

/** For command arguments (explorer, Runs view): a URI has no language, so its name decides. */
export function isConfigUri(uri: vscode.Uri): boolean {
  return uri.path.toLowerCase().endsWith(CONFIG_SUFFIX);
}

export function isConfigDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === LANGUAGE_ID && (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled');
}

export interface Validation extends TextValidation {
  version: number;
}

export class ValidationCache {
  private readonly cache = new Map<string, Validation>();

  get(doc: vscode.TextDocument): Validation {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit;
    const v = { version: doc.version, ...validateText(doc.getText(), doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined) };
    this.cache.set(key, v);
    return v;
  }

  forget(uri: vscode.Uri): void {
    this.cache.delete(uri.toString());
  }
}

/** The config a command should act on: its argument, else the active editor, else a pick. */
export async function chooseConfig(arg: unknown, placeHolder: string): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri && isConfigUri(arg)) return arg;
  const active = vscode.window.activeTextEditor?.document;
  if (active && isConfigDocument(active)) return active.uri;
  const files = await vscode.workspace.findFiles(CONFIG_GLOB, '**/{node_modules,.git}/**', 200);
  if (files.length === 0) {
    const create = 'New Experiment from Preset';
    const choice = await vscode.window.showInformationMessage('No *.actlab.json config in this workspace.', create);
    if (choice === create) await vscode.commands.executeCommand(COMMANDS.newFromPreset);
    return undefined;
  }
  if (files.length === 1) return files[0];
  const items = files
    .map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)), uri }))
    .sort((a, b) => a.description.localeCompare(b.description) || a.label.localeCompare(b.label));
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.uri;
}
