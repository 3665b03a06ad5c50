/**
 * What the terminal can show: its width, whether it takes hyperlinks, and text made safe to
 * print. Everything a user, a config or a trainer wrote (labels, ids, messages) passes through
 * `clean` before it reaches a human: an escape sequence in a label must not recolour, retitle
 * or rewrite the terminal, and a 200,000-character label must not flood it. `--json` output
 * never comes through here; it stays exact.
 */
import { pathToFileURL } from 'node:url';

export interface OutStream { isTTY?: boolean; columns?: number; write(s: string): unknown }

/** Columns for human output: the TTY's width, else $COLUMNS, else 80 (pipes, CI logs). */
export function terminalWidth(stream: OutStream, env: NodeJS.ProcessEnv = process.env): number {
  if (stream.isTTY && stream.columns && stream.columns > 0) return Math.max(stream.columns, 20);
  const cols = Number(env.COLUMNS);
  if (Number.isInteger(cols) && cols > 0) return Math.max(cols, 20);
  return 80;
}

/** OSC 8 links: only where a person is looking at a real terminal (not a dumb one, not CI logs,
 * which would show the escape bytes). */
export function linksSupported(stream: OutStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb' && !env.CI;
}

/** `text` linked to a local file (OSC 8), or `text` alone where links are not supported. */
export function fileLink(file: string, stream: OutStream, text = file, env: NodeJS.ProcessEnv = process.env): string {
  if (!linksSupported(stream, env)) return text;
  return `\x1b]8;;${pathToFileURL(file).href}\x1b\\${text}\x1b]8;;\x1b\\`;
}

// C0 controls (newline, ESC, BEL, …), DEL, C1 controls (CSI 0x9b, OSC 0x9d, …), and the
// bidirectional overrides/isolates that can make text read differently from what it is.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

const visible = (ch: string): string => {
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return ' ';
  const code = ch.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** The longest field printed as-is; longer ones are cut with a note of how much was left out. */
export const MAX_FIELD = 300;

/**
 * Text safe for a terminal: control characters shown as escapes (`\x1b`, `\n`), so they are
 * visible and inert, and cut to `max` characters (code points, never half a surrogate pair).
 */
export function clean(text: string, max = MAX_FIELD): string {
  let s = text;
  let cut = 0;
  if (s.length > max) {
    const points = Array.from(s);
    if (points.length > max) {
      cut = points.length - max;
      s = points.slice(0, max).join('');
    }
  }
  s = s.replace(UNSAFE, visible);
  return cut > 0 ? `${s}… (+${cut.toLocaleString('en-US')} chars)` : s;
}

/** Terminal columns a string takes (code points; wide CJK glyphs are not special-cased). */
export const textWidth = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** `s` cut to `width` columns with an ellipsis. */
export function truncate(s: string, width: number): string {
  if (textWidth(s) <= width) return s;
  if (width <= 1) return '…'.slice(0, width);
  return `${Array.from(s).slice(0, width - 1).join('')}…`;
}

/**
 * Word-wraps `text` to `width` columns; continuation lines start with `indent`. Words longer
 * than a line are broken (a path is better split than run past the edge). Runs of spaces
 * inside the text become one.
 */
export function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  // Leading spaces are part of the first line (an indented "  why: …"), not empty words.
  const lead = /^ */.exec(text)?.[0] ?? '';
  let line = lead;
  const room = (): number => width - (lines.length === 0 ? 0 : textWidth(indent));
  // A `quoted command` is one word: a command broken over two lines cannot be pasted.
  const words = text.slice(lead.length).match(/(?:`[^`]*`|[^ ])+/g) ?? [];
  for (const word of words) {
    let w = word;
    const sep = line.trim() === '' ? '' : ' ';
    if (textWidth(line) + sep.length + textWidth(w) <= room()) {
      line += sep + w;
      continue;
    }
    if (line.trim() !== '') {
      lines.push(line);
      line = '';
    }
    for (let r = room(); textWidth(w) > r && r > 0; r = room()) {
      const points = Array.from(w);
      lines.push(points.slice(0, r).join(''));
      w = points.slice(r).join('');
    }
    line = w;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : indent + l));
}
