// `actlab validate` output and the editor's problems in one comparable form, shared by the unit
// parity test and the extension-host parity suite.
import type { Problem } from '../../../src/extension/problems';

/** `file:line:col: severity: message [code]` (1-based), as the CLI prints each problem. */
const LINE = /^(\d+):(\d+): (error|warning|info): (.*) \[([a-z0-9-]+)\]$/;

/**
 * The problems the CLI printed for `file` (the name exactly as it was passed), each as
 * `line:col severity [code] message`. Lines for other files and "ok" lines are skipped; a line
 * for this file that does not parse throws, so a format change cannot pass unnoticed.
 */
export function cliProblems(stdout: string, file: string): string[] {
  const out: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    if (!line.startsWith(`${file}:`) || line.startsWith(`${file}: ok`)) continue;
    const m = LINE.exec(line.slice(file.length + 1));
    if (!m) throw new Error(`unparsable actlab validate line: ${line}`);
    out.push(`${m[1]}:${m[2]} ${m[3]} [${m[5]}] ${m[4]}`);
  }
  return out.sort();
}

/** The editor's problem in the same form (its positions are 0-based, the CLI's 1-based). */
export function editorProblem(p: Pick<Problem, 'start' | 'severity' | 'code' | 'message'>): string {
  return `${p.start.line + 1}:${p.start.character + 1} ${p.severity} [${p.code}] ${p.message}`;
}
