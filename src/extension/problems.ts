/**
 * What the editor shows for a config, as plain data (no `vscode` here): the core validator's
 * diagnostics with their 0-based, UTF-16 positions. The CLI's `actlab validate` prints the same
 * diagnostics from the same validator, and the parity tests hold the two side by side.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RawConfig } from '../core/config';
import type { Diagnostic, Position, Severity } from '../core/diagnostics';
import { validateConfigText } from '../core/validate';

export interface TextValidation {
  config?: RawConfig;
  diagnostics: Diagnostic[];
  jobCount?: number;
  errorCount: number;
}

/** Validates a config's text; relative paths in it (idx folders) resolve against `fsPath`'s folder. */
export function validateText(text: string, fsPath: string | undefined): TextValidation {
  const r = validateConfigText(text, fsPath ? { baseDir: path.dirname(fsPath), fileExists: (p: string) => fs.existsSync(p) } : {});
  return { ...r, errorCount: r.diagnostics.filter((d) => d.severity === 'error').length };
}

export interface Problem {
  code: string;
  severity: Severity;
  message: string;
  start: Position;
  end: Position;
}

/**
 * One diagnostic as the Problems panel shows it. The positions are the validator's own (computed
 * on the same text the document holds, since validation is cached per document version), so the
 * editor cannot drift from the CLI's line:column.
 */
export function toProblem(d: Diagnostic): Problem {
  return { code: d.code, severity: d.severity, message: d.message, start: d.range.start, end: d.range.end };
}
