/**
 * Saving a file the panel made (a chart image, the sweep table). In VS Code the host writes it
 * (the typed 'saveFile' request: a save dialog, then the file); a static report.html has no
 * host, so the browser downloads it. The app sets the host and the run's name once per init.
 */
import { SAVE_FILE_TYPES, type SaveFileMime } from '../../src/core/protocol';
import type { Host } from '../host';
import { el } from './dom';

let host: Host | undefined;
let stem = 'run';

export function configureSaving(h: Host, runName: string): void {
  host = h;
  stem = runName.replace(/[^\w.+-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'run';
}

/** `<run name>-<what>.<ext>`: files saved from one run sort together. */
export function fileName(what: string, mime: SaveFileMime): string {
  return `${stem}-${what}.${SAVE_FILE_TYPES[mime].ext}`;
}

/** Saves `data` (base64 for PNG, text otherwise); resolves with the path written, '' when cancelled. */
export async function saveFile(name: string, mime: SaveFileMime, data: string): Promise<string> {
  if (host?.mode === 'vscode') return (await host.request('saveFile', { name, mime, data })).path;
  download(name, mime, data);
  return name;
}

/** The static report's way: a Blob URL clicked as a download link. */
export function download(name: string, mime: SaveFileMime, data: string): void {
  const body = SAVE_FILE_TYPES[mime].base64 ? Uint8Array.from(atob(data), (c) => c.charCodeAt(0)) : data;
  const a = el('a');
  a.href = URL.createObjectURL(new Blob([body], { type: mime }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
