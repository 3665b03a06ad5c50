/**
 * Reads events.jsonl as a stream of lines, in 1 MiB chunks: a file of any size is read (a
 * whole-file string stops at V8's ~512 MB limit, and that failure used to read as "missing"),
 * and a line no event comes near in size is skipped rather than held. Only a regular file is
 * read: a symlink, FIFO or device there is refused, so /dev/zero cannot fill memory and a
 * FIFO cannot hang the reader.
 */
import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { decodeEventLine, type ActlabEvent } from '../core/protocol';

const CHUNK_BYTES = 1 << 20;
/** No event is near this (a probe of a wide layer is ~100 kB); longer lines are skipped. */
export const MAX_EVENT_LINE_CHARS = 64 << 20;
/** Warnings kept one by one; beyond, one line counts the rest. */
export const MAX_LINE_WARNINGS = 20;

/** Collects events and the warnings of skipped lines (a count past MAX_LINE_WARNINGS). */
class LineSink {
  readonly events: ActlabEvent[] = [];
  private more = 0;

  constructor(private readonly name: string, private readonly warnings: string[], private readonly firstWarning: number) {}

  warn(text: string): void {
    if (this.warnings.length - this.firstWarning < MAX_LINE_WARNINGS) this.warnings.push(`${this.name}:${text}`);
    else this.more++;
  }

  /** One line; `last` when it is the file's unterminated last line. */
  line(text: string, lineNo: number, last: boolean): void {
    if (text.trim() === '') return;
    const e = decodeEventLine(text);
    if (typeof e !== 'string') this.events.push(e);
    else if (last) this.warn(`${lineNo}: truncated last line ignored (the run stopped mid-write)`);
    else this.warn(`${lineNo}: skipped: ${e}`);
  }

  close(): void {
    if (this.more > 0) this.warnings.push(`${this.name}: ${this.more} more line${this.more === 1 ? '' : 's'} skipped (only the first ${MAX_LINE_WARNINGS} are listed)`);
  }
}

/** Splits chunks into lines; an over-long line is dropped as it arrives, not accumulated. */
class LineSplitter {
  private pending = '';
  private lineNo = 0;
  private tooLong = false;

  constructor(private readonly sink: LineSink) {}

  push(text: string): void {
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      this.lineNo++;
      if (this.tooLong) this.sink.warn(`${this.lineNo}: skipped: a line over ${MAX_EVENT_LINE_CHARS} characters`);
      else this.sink.line(this.pending + text.slice(from, nl), this.lineNo, false);
      this.pending = '';
      this.tooLong = false;
      from = nl + 1;
    }
    if (this.tooLong) return;
    this.pending += text.slice(from);
    if (this.pending.length > MAX_EVENT_LINE_CHARS) {
      this.pending = '';
      this.tooLong = true;
    }
  }

  end(): void {
    if (this.tooLong) this.sink.warn(`${this.lineNo + 1}: skipped: a line over ${MAX_EVENT_LINE_CHARS} characters`);
    else if (this.pending !== '') this.sink.line(this.pending, this.lineNo + 1, true);
  }
}

function openRegular(file: string): number | undefined {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new Error(`${file} is a symbolic link; a run folder's events.jsonl must be a regular file`);
    throw new Error(`${file} cannot be read: ${(e as Error).message}`);
  }
  if (!fs.fstatSync(fd).isFile()) {
    fs.closeSync(fd);
    throw new Error(`${file} is not a regular file (a FIFO, device or folder); refusing to read it`);
  }
  return fd;
}

/**
 * The events of an events.jsonl file, or undefined when there is none. Invalid lines are
 * skipped with a warning (`events.jsonl:<line>: …`); an unreadable file throws.
 */
export function readEventsFile(file: string, warnings: string[], name = 'events.jsonl'): ActlabEvent[] | undefined {
  const fd = openRegular(file);
  if (fd === undefined) return undefined;
  const sink = new LineSink(name, warnings, warnings.length);
  const lines = new LineSplitter(sink);
  const decoder = new StringDecoder('utf8');
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    for (let n = fs.readSync(fd, buf, 0, CHUNK_BYTES, null); n > 0; n = fs.readSync(fd, buf, 0, CHUNK_BYTES, null)) {
      lines.push(decoder.write(buf.subarray(0, n)));
    }
    lines.push(decoder.end());
  } catch (e) {
    throw new Error(`${file} cannot be read: ${(e as Error).message}`);
  } finally {
    fs.closeSync(fd);
  }
  lines.end();
  sink.close();
  return sink.events;
}

/** Parses events.jsonl text (the same rules as readEventsFile). */
export function parseEventsText(text: string, warnings: string[], name = 'events.jsonl'): ActlabEvent[] {
  const sink = new LineSink(name, warnings, warnings.length);
  const lines = new LineSplitter(sink);
  lines.push(text);
  lines.end();
  sink.close();
  return sink.events;
}
