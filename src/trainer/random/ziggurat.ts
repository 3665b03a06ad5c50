/**
 * The seeded Gaussian and uniform generator of the stochastic activations, in JS (cpu and native
 * backends) and, bit for bit the same, in native/noise.c (wasm). Hand-rolled because tf.randomNormal (seedrandom's alea + Marsaglia's polar method) costs
 * ~30 ns a sample, which dominated N-ReLU's training step on a CNN (~2.4 M normals a batch),
 * and no dependency we ship offers a seeded bulk normal fill. Here: xoshiro128** (128-bit
 * state, seeded through splitmix32, so different seeds give unrelated streams) feeding the
 * ziggurat method of Marsaglia & Tsang (2000, J. Stat. Softw. 5(8)) with the layer index
 * taken from bits the value does not use (Doornik 2005).
 * The same seed gives the same numbers on every backend.
 */

export const LAYERS = 128;
/** Right edge of the base layer and the area of each layer (Marsaglia & Tsang, 128 layers). */
const R = 3.442619855899;
const V = 9.91256303526217e-3;
/** The value part of a draw is its top 25 bits (signed), the layer index its low 7 bits. */
const M1 = 16777216;

/** The ziggurat's tables (noise.c reads copies of them): layer bounds, widths, densities. */
export const kn = new Int32Array(LAYERS);
export const wn = new Float64Array(LAYERS);
export const fn = new Float64Array(LAYERS);
{
  let dn = R;
  let tn = dn;
  const q = V / Math.exp(-0.5 * dn * dn);
  kn[0] = Math.floor((dn / q) * M1);
  kn[1] = 0;
  wn[0] = q / M1;
  wn[LAYERS - 1] = dn / M1;
  fn[0] = 1;
  fn[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = Math.floor((dn / tn) * M1);
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / M1;
  }
}

/** splitmix32 expansion of a 32-bit seed into xoshiro128**'s 128-bit state (never all zero). */
export function seedState(seed: number): Int32Array {
  const s = new Int32Array(4);
  let z = seed | 0;
  for (let i = 0; i < 4; i++) {
    z = (z + 0x9e3779b9) | 0;
    let t = z ^ (z >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    s[i] = t ^ (t >>> 15);
  }
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1;
  return s;
}

const BLOCK = 4096;

/** Refills `bits` with xoshiro128** output (signed int32), advancing `state` in place. */
function refill(state: Int32Array, bits: Int32Array): void {
  // locals, not the array: V8 keeps them in registers through the loop
  let s0 = state[0]!;
  let s1 = state[1]!;
  let s2 = state[2]!;
  let s3 = state[3]!;
  for (let i = 0; i < bits.length; i++) {
    const m = Math.imul(s1, 5);
    bits[i] = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

/** A stream of random bits drawn from blocks of generator output. */
class Bits {
  private readonly state: Int32Array;
  private readonly block = new Int32Array(BLOCK);
  private pos = BLOCK;

  constructor(seed: number) {
    this.state = seedState(seed);
  }

  /** 32 random bits as a signed int32. */
  int(): number {
    if (this.pos === BLOCK) {
      refill(this.state, this.block);
      this.pos = 0;
    }
    return this.block[this.pos++]!;
  }

  /** Uniform in (0, 1), never 0 or 1. */
  unit(): number {
    return ((this.int() >>> 0) + 0.5) / 4294967296;
  }
}

/** The ziggurat's rare branches: the wedge of layer iz, or the tail beyond R for layer 0. */
function slowNormal(bits: Bits, u: number, iz: number): number {
  for (;;) {
    if (iz === 0) {
      // the tail, by Marsaglia's exponential method
      let x: number;
      let y: number;
      do {
        x = -Math.log(bits.unit()) / R;
        y = -Math.log(bits.unit());
      } while (y + y < x * x);
      return u > 0 ? R + x : -R - x;
    }
    const x = u * wn[iz]!;
    if (fn[iz]! + bits.unit() * (fn[iz - 1]! - fn[iz]!) < Math.exp(-0.5 * x * x)) return x;
    const hz = bits.int();
    u = hz >> 7;
    iz = hz & (LAYERS - 1);
    if (Math.abs(u) < kn[iz]!) return u * wn[iz]!;
  }
}

/** A seeded stream of standard normals. */
class NormalSource {
  private readonly bits: Bits;

  constructor(seed: number) {
    this.bits = new Bits(seed);
  }

  next(): number {
    // Layer index and value from disjoint bits of one draw (Doornik 2005: sharing bits
    // correlates them); 25 value bits exceed float32's 24-bit mantissa.
    const hz = this.bits.int();
    const u = hz >> 7;
    const iz = hz & (LAYERS - 1);
    return Math.abs(u) < kn[iz]! ? u * wn[iz]! : slowNormal(this.bits, u, iz);
  }
}

/** Fills `out` with N(0, σ²) draws. */
export function fillNormal(out: Float32Array, sigma: number, seed: number): Float32Array {
  const source = new NormalSource(seed);
  for (let i = 0; i < out.length; i++) out[i] = sigma * source.next();
  return out;
}

/** Fills `out` with U(lo, hi) draws. */
export function fillUniform(out: Float32Array, lo: number, hi: number, seed: number): Float32Array {
  const bits = new Bits(seed);
  const span = hi - lo;
  for (let i = 0; i < out.length; i++) out[i] = lo + span * bits.unit();
  return out;
}
