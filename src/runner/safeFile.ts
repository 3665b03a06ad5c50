/**
 * How the runner writes files in a run folder, so that nothing outside the folder is ever
 * written and a failed write leaves no partial file behind:
 *   - a file is replaced through a temporary file in the same folder (created exclusively, so a
 *     planted symlink at the temporary name is not followed) and rename(), which replaces a
 *     link itself, never its target;
 *   - a symlink (or anything but a regular file) where a file is expected is refused, with a
 *     message that says so, instead of being silently replaced;
 *   - a write that fails removes its temporary file and throws a StorageError naming the file.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A write in a run folder failed: which file, doing what, and why (errno code kept). */
export class StorageError extends Error {
  constructor(readonly file: string, readonly code: string | undefined, message: string) {
    super(message);
  }
}

const REASONS: Record<string, string> = {
  ENOSPC: 'disk full', EDQUOT: 'disk quota exceeded', EROFS: 'read-only file system',
  EACCES: 'permission denied', EPERM: 'operation not permitted', EIO: 'I/O error',
};

/** "disk full writing events.jsonl at /runs/x/events.jsonl (ENOSPC)". */
export function storageError(e: unknown, verb: string, file: string): StorageError {
  if (e instanceof StorageError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code && REASONS[code]) ?? (e instanceof Error ? e.message.split('\n')[0] : String(e));
  return new StorageError(file, code, `${reason} ${verb} ${path.basename(file)} at ${file}${code && REASONS[code] ? ` (${code})` : ''}`);
}

/** Throws unless `file` is absent or a regular file (not a symlink, FIFO, device or folder). */
export function refuseNonRegular(file: string): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw storageError(e, 'checking', file);
  }
  if (st.isSymbolicLink()) {
    throw new StorageError(file, 'ELOOP', `${path.basename(file)} at ${file} is a symbolic link; refusing to write through it (remove the link, then retry)`);
  }
  if (!st.isFile()) throw new StorageError(file, 'EINVAL', `${path.basename(file)} at ${file} is not a regular file; refusing to replace it`);
}

/** Writes all of `data` at the fd's position; write(2) may write less than asked. */
export function writeAll(fd: number, data: Buffer): void {
  for (let off = 0; off < data.length;) off += fs.writeSync(fd, data, off, data.length - off);
}

/**
 * Replaces `file` with `content`: readers see the old or the new content, never a partial one.
 * A symlink at `file` is refused; on failure the temporary file is removed.
 */
export function writeFileAtomic(file: string, content: string): void {
  refuseNonRegular(file);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o644);
    writeAll(fd, Buffer.from(content));
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) try { fs.closeSync(fd); } catch { /* already failing */ }
    try { fs.unlinkSync(tmp); } catch { /* never created */ }
    throw storageError(e, 'writing', file);
  }
}

/**
 * Rewrites a small existing file in place (no new blocks are needed for a file that keeps
 * within its first block), for run.json when the disk is too full for a temporary file.
 * O_NOFOLLOW: never through a symlink.
 */
export function overwriteInPlace(file: string, content: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NOFOLLOW);
    const data = Buffer.from(content);
    fs.writeSync(fd, data, 0, data.length, 0);
    fs.ftruncateSync(fd, data.length);
  } catch (e) {
    throw storageError(e, 'writing', file);
  } finally {
    if (fd !== undefined) try { fs.closeSync(fd); } catch { /* nothing more to do */ }
  }
}

/** Creates a new file exclusively (never an existing one, never through a link) for appending. */
export function createAppendOnly(file: string): number {
  try {
    return fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o644);
  } catch (e) {
    throw storageError(e, 'creating', file);
  }
}

/**
 * The start time of a process (Linux: field 22 of /proc/<pid>/stat, in clock ticks since boot),
 * so that a pid reused by another process is not taken for the writer. Undefined elsewhere.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19]; // field 22 overall: 3 is fields[0]
  } catch {
    return undefined;
  }
}
