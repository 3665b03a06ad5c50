/** Shared helpers for building a Dataset from per-sample arrays. */

/** Copies samples `order[from..from+count)` of `src` (each `size` floats) into a new array. */
export function gatherRows(src: Float32Array, size: number, order: ArrayLike<number>, from: number, count: number): Float32Array {
  const out = new Float32Array(count * size);
  for (let i = 0; i < count; i++) {
    const j = order[from + i]!;
    out.set(src.subarray(j * size, (j + 1) * size), i * size);
  }
  return out;
}

export function gatherLabels(src: Int32Array | Uint8Array, order: ArrayLike<number>, from: number, count: number): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = src[order[from + i]!]!;
  return out;
}

/**
 * `defaultValue`: what the size is when the config leaves it out, so the message does not quote
 * a number the user never wrote as if they had (the idx trainSize default is 60000).
 */
export function checkSize(name: string, value: number, max: number, what: string, defaultValue?: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer (got ${value})`);
  if (value <= max) return;
  const which = value === defaultValue ? ` (the default when data.${name} is left out)` : '';
  throw new Error(`${name} ${value}${which} exceeds the ${max} ${what}; set "data.${name}" to at most ${max}`);
}
