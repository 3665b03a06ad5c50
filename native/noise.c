/*
 * Seeded noise for the stochastic activations, on tfjs's wasm heap: the generator of
 * src/trainer/random/ziggurat.ts (xoshiro128** bits, Marsaglia & Tsang's 128-layer ziggurat
 * with Doornik's disjoint bits), bit for bit, so a seed draws the same numbers on every
 * backend. In JS the draws cost ~7 ns each and, uploaded as a tensor and mixed in by four
 * elementwise ops, made N-ReLU's CNN step ~1.7x ReLU's.
 *
 * Bit-identical by construction: the same integer steps; every double expression as the JS
 * one, in the same order; the ziggurat tables are the JS tables (the caller copies them to
 * `tables`); the rare wedge/tail branch calls the JS engine's own Math.log and Math.exp,
 * imported, since a libm of our own could round differently.
 *
 * Like gemm.c: no libc, no data segments, no shadow stack (the generator state lives in locals).
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

__attribute__((import_module("env"), import_name("log"))) double js_log(double);
__attribute__((import_module("env"), import_name("exp"))) double js_exp(double);

#define LAYERS 128
/* Right edge of the base layer (ziggurat.ts: R). */
#define ZIG_R 3.442619855899

/* `tables`: kn int32[LAYERS], then wn double[LAYERS], then fn double[LAYERS] (8-byte aligned). */
#define KN(t) ((const int *)(t))
#define WN(t) ((const double *)((const char *)(t) + 4 * LAYERS))
#define FN(t) ((const double *)((const char *)(t) + 12 * LAYERS))

typedef struct { unsigned s0, s1, s2, s3; } xoshiro;

/* xoshiro128**: the next 32 bits, as ziggurat.ts's refill computes them. Always inlined, so the
 * state stays in wasm locals (no shadow stack). */
static inline __attribute__((always_inline)) int next_bits(xoshiro *s) {
  unsigned m = s->s1 * 5u;
  unsigned r = ((m << 7) | (m >> 25)) * 9u;
  unsigned t = s->s1 << 9;
  s->s2 ^= s->s0;
  s->s3 ^= s->s1;
  s->s1 ^= s->s2;
  s->s0 ^= s->s3;
  s->s2 ^= t;
  s->s3 = (s->s3 << 11) | (s->s3 >> 21);
  return (int)r;
}

/* Uniform in (0, 1): ((bits >>> 0) + 0.5) / 2^32. */
static inline __attribute__((always_inline)) double next_unit(xoshiro *s) {
  return ((double)(unsigned)next_bits(s) + 0.5) / 4294967296.0;
}

/* The wedge of layer iz, or the tail beyond R for layer 0 (ziggurat.ts: slowNormal). */
static inline __attribute__((always_inline)) double slow_normal(xoshiro *s, int u, int iz, const void *tables) {
  const int *kn = KN(tables);
  const double *wn = WN(tables);
  const double *fn = FN(tables);
  for (;;) {
    if (iz == 0) {
      double x, y;
      do {
        x = -js_log(next_unit(s)) / ZIG_R;
        y = -js_log(next_unit(s));
      } while (y + y < x * x);
      return u > 0 ? ZIG_R + x : -ZIG_R - x;
    }
    double x = u * wn[iz];
    if (fn[iz] + next_unit(s) * (fn[iz - 1] - fn[iz]) < js_exp(-0.5 * x * x)) return x;
    int hz = next_bits(s);
    u = hz >> 7;
    iz = hz & (LAYERS - 1);
    if ((u < 0 ? -u : u) < kn[iz]) return u * wn[iz];
  }
}

/* One standard normal; the fast path (~99 % of draws) is one table compare and multiply. */
static inline __attribute__((always_inline)) double next_normal(xoshiro *s, const void *tables) {
  int hz = next_bits(s);
  int u = hz >> 7;
  int iz = hz & (LAYERS - 1);
  if ((u < 0 ? -u : u) < KN(tables)[iz]) return u * WN(tables)[iz];
  return slow_normal(s, u, iz, tables);
}

/* out[i] = sigma * z_i, z ~ N(0, 1): fillNormal. */
EXPORT("normal_f32")
void normal_f32(float *out, int n, double sigma, int s0, int s1, int s2, int s3, const void *tables) {
  xoshiro s = { (unsigned)s0, (unsigned)s1, (unsigned)s2, (unsigned)s3 };
  for (int i = 0; i < n; i++) out[i] = (float)(sigma * next_normal(&s, tables));
}

/* out[i] = lo + (hi - lo) * u_i, u ~ U(0, 1): fillUniform. */
EXPORT("uniform_f32")
void uniform_f32(float *out, int n, double lo, double hi, int s0, int s1, int s2, int s3) {
  xoshiro s = { (unsigned)s0, (unsigned)s1, (unsigned)s2, (unsigned)s3 };
  double span = hi - lo;
  for (int i = 0; i < n; i++) out[i] = (float)(lo + span * next_unit(&s));
}

/* N-ReLU in training, fused: y = x where x > 0, else sigma * z (one draw per element, as
 * fillNormal over x's shape), and mask = 1[x > 0] for the backward pass. NaN and -inf give NaN,
 * as the composite m*x + (1 - m)*noise does (0 * -inf is NaN); a NaN x gives a NaN mask, as
 * tfjs's Step does. Per block: the draws into y, then a branch-free SIMD select (x's sign is a
 * coin flip, so a branch per element mispredicted half the time: 10 ns an element, not 4). */
#define NRELU_BLOCK 1024

EXPORT("nrelu_train_f32")
void nrelu_train_f32(const float *x, float *y, float *mask, int n, double sigma,
                     int s0, int s1, int s2, int s3, const void *tables) {
  xoshiro s = { (unsigned)s0, (unsigned)s1, (unsigned)s2, (unsigned)s3 };
  const v128_t one = wasm_f32x4_splat(1.0f), zero = wasm_f32x4_splat(0.0f);
  for (int b = 0; b < n; b += NRELU_BLOCK) {
    int end = n - b < NRELU_BLOCK ? n : b + NRELU_BLOCK;
    for (int i = b; i < end; i++) y[i] = (float)(sigma * next_normal(&s, tables));
    int i = b;
    for (; i + 4 <= end; i += 4) {
      v128_t v = wasm_v128_load(x + i);
      v128_t pos = wasm_f32x4_gt(v, zero);
      /* v - v: 0 for finite v, NaN for -inf and NaN; added, it keeps the noise otherwise. */
      v128_t neg = wasm_f32x4_add(wasm_f32x4_sub(v, v), wasm_v128_load(y + i));
      wasm_v128_store(y + i, wasm_v128_bitselect(v, neg, pos));
      v128_t m = wasm_v128_bitselect(one, zero, pos);
      wasm_v128_store(mask + i, wasm_v128_bitselect(m, v, wasm_f32x4_eq(v, v)));
    }
    for (; i < end; i++) {
      float v = x[i];
      y[i] = v > 0.0f ? v : v - v + y[i];
      mask[i] = v != v ? v : v > 0.0f ? 1.0f : 0.0f;
    }
  }
}
