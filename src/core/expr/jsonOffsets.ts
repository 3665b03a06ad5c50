/**
 * Offsets in a decoded JSON string ↔ offsets in its source literal, so an error at character k
 * of an expression can be shown at file:line:col. jsonc-parser gives the literal's offset and
 * length; its text (quotes included) goes in here.
 */

/**
 * For a raw JSON string literal (with its quotes), the source offset (relative to the opening
 * quote) of every decoded UTF-16 unit, plus one entry for the end. Escapes (\" \\ \/ \b \f \n \r
 * \t \uXXXX) map their decoded unit to the backslash.
 */
export function literalOffsets(raw: string): number[] {
  const out: number[] = [];
  const body0 = raw.startsWith('"') ? 1 : 0;
  const bodyEnd = raw.length > body0 && raw.endsWith('"') ? raw.length - 1 : raw.length;
  let i = body0;
  while (i < bodyEnd) {
    out.push(i);
    if (raw[i] === '\\') i += raw[i + 1] === 'u' ? 6 : 2;
    else i += 1;
  }
  out.push(Math.min(i, bodyEnd));
  return out;
}

/** Source offset (relative to the literal's opening quote) of decoded offset k. */
export function rawOffset(raw: string, k: number): number {
  const map = literalOffsets(raw);
  return map[Math.max(0, Math.min(k, map.length - 1))]!;
}

/** A decoded [start, end) as a source [start, end), relative to the opening quote. */
export function rawRange(raw: string, start: number, end: number): { start: number; end: number } {
  const map = literalOffsets(raw);
  const at = (k: number) => map[Math.max(0, Math.min(k, map.length - 1))]!;
  return { start: at(start), end: Math.max(at(start), at(end)) };
}
