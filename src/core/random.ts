/**
 * Seeded randomness for everything outside tensors (shuffles, splits, derived seeds).
 * mulberry32: tiny, fast, well-distributed 32-bit generator; no library offers a seedable
 * PRNG we could share between the trainer (Node) and the webview (browser) with zero deps.
 */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A derived seed for a named stream (e.g. "init", "noise", "data") of a job seed: FNV-1a over the
 * seed's low 32 bits, then (only for seeds outside [0, 2³²), so every existing stream of a
 * non-negative seed is unchanged) its high bits, then the stream name. Each step is a bijection
 * of the state, so two safe-integer seeds that agree modulo 2³² (1 and 4294967297, −1 and
 * 4294967295) still get different streams. [0, 2³²) must stay unmixed whole: derived seeds,
 * uint32 values up to 2³² − 1, are fed back in (the per-step noise seeds of src/trainer/loop.ts).
 */
export function deriveSeed(seed: number, stream: string): number {
  let h = 2166136261 ^ seed;
  if (seed < 0 || seed >= 4294967296) h = Math.imul(h ^ Math.floor(seed / 4294967296), 16777619);
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 16777619);
  return (h ^ (h >>> 13)) >>> 0;
}

/** Fisher–Yates shuffle of 0..n−1. */
export function permutation(n: number, rng: Rng): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i]!; p[i] = p[j]!; p[j] = t;
  }
  return p;
}

/** Standard normal by Box–Muller. */
export function gaussian(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}
