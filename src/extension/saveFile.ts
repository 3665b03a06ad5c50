/**
 * The host's half of the webview's "saveFile" request (pure, no vscode): the name the webview
 * proposes is untrusted text from another frame, so only a plain file name survives (no folders,
 * no leading dots, no control or reserved characters), with the extension its MIME type implies.
 */
import { SAVE_FILE_TYPES, type SaveFileArgs } from '../core/protocol';

/** A safe file name for `args.name`, ending in the MIME type's extension. */
export function safeFileName(name: string, mime: SaveFileArgs['mime']): string {
  const ext = SAVE_FILE_TYPES[mime].ext;
  const last = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  let stem = last.replace(/[\u0000-\u001f<>:"|?*]+/g, '_').replace(/^[.\s]+/, '').replace(new RegExp(`\\.${ext}$`, 'i'), '').trim();
  if (!stem) stem = 'chart';
  return `${stem.slice(0, 120)}.${ext}`;
}

/** The bytes to write: base64 for binary kinds (PNG), UTF-8 text otherwise. */
export function fileBytes(args: SaveFileArgs): Buffer {
  return SAVE_FILE_TYPES[args.mime].base64 ? Buffer.from(args.data, 'base64') : Buffer.from(args.data, 'utf8');
}
