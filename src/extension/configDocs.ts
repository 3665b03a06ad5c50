/**
 * Config documents: which documents are ours, their validation (cached per document version, so
 * diagnostics, CodeLens and quick fixes share one parse), and choosing a config to run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RawConfig } from '../core/config';
import type { Diagnostic } from '../core/diagnostics';
import { validateConfigText } from '../core/validate';
import { COMMANDS, CONFIG_GLOB, CONFIG_SUFFIX } from './ids';

/** Every language id: files are registered as jsonc, but a user association may say json. */
export const CONFIG_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', pattern: CONFIG_GLOB },
  { scheme: 'untitled', pattern: CONFIG_GLOB },
];

export function isConfigUri(uri: vscode.Uri): boolean {
  return uri.path.toLowerCase().endsWith(CONFIG_SUFFIX);
}

export function isConfigDocument(doc: vscode.TextDocument): boolean {
  return isConfigUri(doc.uri) && (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled');
}

export interface Validation {
  version: number;
  config?: RawConfig;
  diagnostics: Diagnostic[];
  jobCount?: number;
  errorCount: number;
}

export function validateText(text: string, fsPath: string | undefined): Omit<Validation, 'version'> {
  const r = validateConfigText(text, fsPath ? { baseDir: path.dirname(fsPath), fileExists: (p: string) => fs.existsSync(p) } : {});
  return { ...r, errorCount: r.diagnostics.filter((d) => d.severity === 'error').length };
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
