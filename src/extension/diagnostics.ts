/**
 * Problems for config documents: validated ~250 ms after the last edit (per document), on open
 * and on save; cleared on close. Positions are the validator's (see problems.ts), the same the
 * CLI prints.
 */
import * as vscode from 'vscode';
import type { Diagnostic } from '../core/diagnostics';
import { isConfigDocument, type ValidationCache } from './configDocs';
import { KeyedDebouncer } from './debounce';
import { DIAGNOSTIC_SOURCE } from './ids';
import { toProblem } from './problems';

export const VALIDATE_DELAY_MS = 250;

const SEVERITY: Record<Diagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toRange(doc: vscode.TextDocument, offset: number, length: number): vscode.Range {
  return new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + length));
}

export function toVsDiagnostic(d: Diagnostic): vscode.Diagnostic {
  const p = toProblem(d);
  const range = new vscode.Range(p.start.line, p.start.character, p.end.line, p.end.character);
  const out = new vscode.Diagnostic(range, p.message, SEVERITY[p.severity]);
  out.code = p.code;
  out.source = DIAGNOSTIC_SOURCE;
  return out;
}

export function registerDiagnostics(cache: ValidationCache, onValidated: () => void): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('activationLab');
  const debouncer = new KeyedDebouncer<string>(VALIDATE_DELAY_MS);

  const validateNow = (doc: vscode.TextDocument): void => {
    if (doc.isClosed) return;
    const v = cache.get(doc);
    collection.set(doc.uri, v.diagnostics.map((d) => toVsDiagnostic(d)));
    onValidated();
  };
  const later = (doc: vscode.TextDocument): void => {
    if (isConfigDocument(doc)) debouncer.schedule(doc.uri.toString(), () => validateNow(doc));
  };

  for (const doc of vscode.workspace.textDocuments) if (isConfigDocument(doc)) validateNow(doc);
  return vscode.Disposable.from(
    collection,
    { dispose: () => debouncer.dispose() },
    vscode.workspace.onDidOpenTextDocument((doc) => { if (isConfigDocument(doc)) validateNow(doc); }),
    vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length) later(e.document); }),
    vscode.workspace.onDidSaveTextDocument((doc) => { if (isConfigDocument(doc)) { debouncer.cancel(doc.uri.toString()); validateNow(doc); } }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      debouncer.cancel(doc.uri.toString());
      cache.forget(doc.uri);
      collection.delete(doc.uri);
    }),
  );
}
