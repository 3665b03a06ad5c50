/**
 * Problems for config documents: validated ~250 ms after the last edit (per document), on open
 * and on save; cleared on close. Ranges come from core offsets through document.positionAt.
 */
import * as vscode from 'vscode';
import type { Diagnostic } from '../core/diagnostics';
import { isConfigDocument, type ValidationCache } from './configDocs';
import { KeyedDebouncer } from './debounce';
import { DIAGNOSTIC_SOURCE } from './ids';

export const VALIDATE_DELAY_MS = 250;

const SEVERITY: Record<Diagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toRange(doc: vscode.TextDocument, offset: number, length: number): vscode.Range {
  return new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + length));
}

export function toVsDiagnostic(doc: vscode.TextDocument, d: Diagnostic): vscode.Diagnostic {
  const out = new vscode.Diagnostic(toRange(doc, d.range.offset, d.range.length), d.message, SEVERITY[d.severity]);
  out.code = d.code;
  out.source = DIAGNOSTIC_SOURCE;
  return out;
}

export function registerDiagnostics(cache: ValidationCache, onValidated: () => void): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('activationLab');
  const debouncer = new KeyedDebouncer<string>(VALIDATE_DELAY_MS);

  const validateNow = (doc: vscode.TextDocument): void => {
    if (doc.isClosed) return;
    const v = cache.get(doc);
    collection.set(doc.uri, v.diagnostics.map((d) => toVsDiagnostic(doc, d)));
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
