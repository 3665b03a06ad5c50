/**
 * Help text, built from one description per command so that `actlab --help` (one line per
 * command) and `actlab <command> --help` (usage, options, examples) never disagree, and
 * wrapped to the terminal (at most 80 columns, so it reads the same in a wide window).
 */
import { terminalWidth, wrap, type OutStream } from './terminal';

export interface OptionHelp { flags: string; text: string }

export interface CommandHelp {
  name: string;
  /** One line for `actlab --help`. */
  summary: string;
  /** After "actlab ": `run <config> [options]`. */
  usage: string;
  description: string;
  options: OptionHelp[];
  examples: string[];
  /** Paragraphs after the examples (exit codes, signals). */
  notes?: string[];
}

export const HELP_OPTION: OptionHelp = { flags: '-h, --help', text: 'this help' };

export const helpWidth = (stream: OutStream): number => Math.min(terminalWidth(stream), 80);

function optionLines(options: OptionHelp[], width: number): string[] {
  const col = Math.min(2 + Math.max(...options.map((o) => o.flags.length)) + 2, 24);
  const lines: string[] = [];
  for (const o of options) {
    const head = `  ${o.flags}`;
    const textWidth = Math.max(width - col, 20);
    const text = wrap(o.text, textWidth, '');
    if (head.length + 2 > col) {
      lines.push(head);
      for (const t of text) lines.push(' '.repeat(col) + t);
    } else {
      text.forEach((t, i) => lines.push((i === 0 ? head.padEnd(col) : ' '.repeat(col)) + t));
    }
  }
  return lines;
}

export function formatCommandHelp(h: CommandHelp, width: number): string {
  const out: string[] = [...wrap(`Usage: actlab ${h.usage}`, width, '         '), '', ...wrap(h.description, width)];
  if (h.options.length) out.push('', 'Options:', ...optionLines(h.options, width));
  if (h.examples.length) out.push('', 'Examples:', ...h.examples.flatMap((e) => wrap(`  ${e}`, width, '    ')));
  for (const n of h.notes ?? []) out.push('', ...wrap(n, width));
  return `${out.join('\n')}\n`;
}

export function formatMainHelp(version: string, commands: CommandHelp[], width: number): string {
  const nameCol = 2 + Math.max(...commands.map((c) => c.name.length)) + 2;
  const out: string[] = [
    `actlab ${version} — Activation Lab experiments from the command line`,
    '',
    'Usage: actlab <command> [options]',
    '',
    'Commands:',
    ...commands.flatMap((c) => wrap(c.summary, width - nameCol).map((l, i) => (i === 0 ? `  ${c.name}`.padEnd(nameCol) : ' '.repeat(nameCol)) + l)),
    '',
    'Options:',
    ...optionLines([
      { flags: '-h, --help', text: 'this help; `actlab <command> --help` for a command' },
      { flags: '-v, --version', text: 'print the version' },
    ], width),
    '',
    'Get started:',
    '  actlab run examples/quickstart.actlab.json',
    '  actlab list examples',
  ];
  return `${out.join('\n')}\n`;
}
