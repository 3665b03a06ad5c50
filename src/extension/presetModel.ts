/** Turning a shipped example into a new config file (pure). */
import { applyEdits, modify, parseTree, findNodeAtLocation } from 'jsonc-parser';

/**
 * The example's text for a new file elsewhere: a relative `$schema` (which pointed into the
 * extension's folder) is removed — the extension contributes the schema for *.actlab.json anyway.
 */
export function presetText(text: string): string {
  const root = parseTree(text, [], { allowTrailingComma: true });
  const schema = root ? findNodeAtLocation(root, ['$schema'])?.value : undefined;
  if (typeof schema !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(schema)) return text;
  return applyEdits(text, modify(text, ['$schema'], undefined, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
}

/** `name.actlab.json`, else `name-2.actlab.json`, `name-3...` — the first that does not exist. */
export function uniqueConfigName(fileName: string, exists: (name: string) => boolean): string {
  if (!exists(fileName)) return fileName;
  const stem = fileName.replace(/\.actlab\.json$/i, '');
  for (let i = 2; ; i++) {
    const candidate = `${stem}-${i}.actlab.json`;
    if (!exists(candidate)) return candidate;
  }
}
