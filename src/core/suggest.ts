/**
 * "Did you mean" for keys and enum values. Hand-rolled: a Levenshtein distance is a dozen
 * lines and the candidates are short lists, not worth a dependency.
 */

/** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours ("gleu" → "gelu" is 1). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
    }
  }
  return rows[a.length][b.length];
}

/** Case, '-', '_' and spaces do not count: "leaky_relu", "LeakyReLU" and "leakyRelu" are one name. */
function normalize(s: string): string {
  return s.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * The candidate closest to `input`, or undefined when none is close enough (distance at most
 * a third of the longer name, at least 1; a candidate that contains the input, or is contained
 * in it, also counts: "nrelu2" → "nrelu").
 */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const n = normalize(input);
  if (!n) return undefined;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const m = normalize(c);
    if (m === n) return c;
    let d = editDistance(n, m);
    if (m.length >= 3 && (n.startsWith(m) || m.startsWith(n))) d = Math.min(d, 1.5);
    const limit = Math.max(1, Math.floor(Math.max(n.length, m.length) / 3));
    if (d <= limit && d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  return best;
}
