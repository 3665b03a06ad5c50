/**
 * Reads a growing events.jsonl written by another process (a CLI run shown in the panel): each
 * read returns the events of the complete lines appended since the previous one; a partial last
 * line stays in the file until its '\n' arrives. The first read returns the whole file, so
 * "everything so far" and "what came after" never overlap or miss a line. Pure Node (no vscode).
 */
import * as fs from 'node:fs';
import { decodeEventLine, type ActlabEvent } from '../core/protocol';

const NEWLINE = 0x0a;

export class EventsTail {
  private offset = 0;
  /** Lines that did not decode (a corrupt line is skipped, not retried). */
  skipped = 0;

  constructor(readonly file: string) {}

  read(): ActlabEvent[] {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return [];
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= this.offset) return [];
      const buf = Buffer.alloc(size - this.offset);
      const n = fs.readSync(fd, buf, 0, buf.length, this.offset);
      // Cut at the last newline in bytes, so a multi-byte character is never split.
      const end = buf.subarray(0, n).lastIndexOf(NEWLINE);
      if (end < 0) return [];
      this.offset += end + 1;
      const out: ActlabEvent[] = [];
      for (const line of buf.subarray(0, end).toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        const e = decodeEventLine(line);
        if (typeof e === 'string') this.skipped++;
        else out.push(e);
      }
      return out;
    } finally {
      fs.closeSync(fd);
    }
  }
}
