/**
 * Diagnostic types shared by the CLI (`actlab validate`) and the editor: positions are 0-based
 * like LSP / VS Code; offsets index the UTF-16 text like JavaScript strings.
 */
import type { RawConfig } from './config';
import type { SpeedCalibrations } from './estimate';

export type Severity = 'error' | 'warning' | 'info';
export interface Position { line: number; character: number }
export interface Range { offset: number; length: number; start: Position; end: Position }
export interface TextEdit { offset: number; length: number; newText: string }
export interface QuickFix { title: string; edits: TextEdit[]; preferred?: boolean }
export interface Diagnostic { severity: Severity; code: string; message: string; range: Range; path: (string | number)[]; fixes?: QuickFix[] }

/** `file:line:col: severity: message [code]`, line and column 1-based. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}

/** Maps offsets to line/character positions of one text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // \r\n, \n and a lone \r all end a line (as in VS Code).
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid; else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  range(offset: number, length: number): Range {
    return { offset, length, start: this.position(offset), end: this.position(offset + length) };
  }
}

/** Applies non-overlapping edits (any order) to a text. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
  return out;
}

export interface ValidateOptions {
  baseDir?: string;
  fileExists?: (absPath: string) => boolean;
  /** Scales the run-time estimate to this machine, per model type (the CLI measures it from recent runs). */
  speed?: SpeedCalibrations;
}
/** `config` is present iff there are no errors. */
export interface ValidationResult { config?: RawConfig; diagnostics: Diagnostic[]; jobCount?: number }
