/*
 * Blocked single-precision GEMM for WebAssembly SIMD (simd128), one thread,
 * and the training kernels built on it.
 *
 *   C[M x N] = op(A)[M x K] . op(B)[K x N]  (+ bias[N])  then an optional activation
 *
 * op(X) is X or X^T; transposes are never materialised: both operands are
 * packed into contiguous micro-panels (GotoBLAS layout), and the packing
 * reads whichever layout the caller has.
 *
 * Built on it for tfjs's wasm backend (src/trainer/kernels/gemm): NHWC
 * convolutions and their two gradients as GEMMs over im2col rows, the
 * gradient of non-overlapping max-pools, bias-gradient sums, a fused Adam
 * update, and SIMD exp / erf.
 *
 * The module has no runtime: no libc, no data segments and no shadow stack
 * (every temporary lives in wasm locals or in the caller's workspace), so it
 * can run on a memory it imports from another module (tfjs's wasm heap)
 * without writing anywhere it was not given a pointer to.
 */
#include <wasm_simd128.h>

#define MR 4
#define NR 8
/* KC x NR floats of packed B (8 KiB) stay in L1 while the A block streams
 * from L2; MC x KC of packed A (128 KiB) and KC x NC of packed B (512 KiB)
 * fit a 1-2 MiB L2. */
#define KC 256
#define MC 128
#define NC 512

#define EXPORT(name) __attribute__((export_name(name)))

enum { ACT_LINEAR = 0, ACT_RELU = 1, ACT_RELU6 = 2, ACT_LEAKY = 3 };

/* Floats of scratch for the packed panels of one sgemm call. */
#define GEMM_FLOATS (KC * NC + MC * KC + MR * NR)
/* Floats of im2col / col2im rows the convolutions stage at a time (256 KiB: L2-resident). */
#define COLS_FLOATS (64 * 1024)

/* Bytes of scratch every entry point needs at `work` (16-byte aligned). */
EXPORT("gemm_workspace_bytes")
int gemm_workspace_bytes(void) {
  return (GEMM_FLOATS + COLS_FLOATS) * 4;
}

/* Packs op(B)[pc:pc+kc, jc:jc+nc] into NR-wide panels: panel p holds, for
 * each k, NR consecutive columns; columns past nc are zero. */
static void pack_b(int kc, int nc, const float *B, int ldb, int transB,
                   int pc, int jc, float *restrict Bp) {
  for (int j0 = 0; j0 < nc; j0 += NR) {
    int nr = nc - j0 < NR ? nc - j0 : NR;
    if (!transB) {
      const float *src = B + (long)pc * ldb + jc + j0;
      if (nr == NR) {
        for (int k = 0; k < kc; k++) {
          wasm_v128_store(Bp, wasm_v128_load(src));
          wasm_v128_store(Bp + 4, wasm_v128_load(src + 4));
          src += ldb;
          Bp += NR;
        }
      } else {
        for (int k = 0; k < kc; k++) {
          for (int j = 0; j < NR; j++) Bp[j] = j < nr ? src[j] : 0.0f;
          src += ldb;
          Bp += NR;
        }
      }
    } else {
      /* B is stored N x K: column j of op(B) is row jc+j0+j of B. */
      const float *src = B + (long)(jc + j0) * ldb + pc;
      if (nr == NR) {
        int k = 0;
        /* 4x4 register transposes: read 4 consecutive k of 4 rows. */
        for (; k + 4 <= kc; k += 4) {
          for (int h = 0; h < 2; h++) {
            const float *s = src + (long)(4 * h) * ldb + k;
            v128_t r0 = wasm_v128_load(s);
            v128_t r1 = wasm_v128_load(s + ldb);
            v128_t r2 = wasm_v128_load(s + 2 * (long)ldb);
            v128_t r3 = wasm_v128_load(s + 3 * (long)ldb);
            v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5);
            v128_t t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
            v128_t t2 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
            v128_t t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
            float *d = Bp + k * NR + 4 * h;
            wasm_v128_store(d, wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5));
            wasm_v128_store(d + NR, wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
            wasm_v128_store(d + 2 * NR, wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5));
            wasm_v128_store(d + 3 * NR, wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7));
          }
        }
        for (; k < kc; k++)
          for (int j = 0; j < NR; j++) Bp[k * NR + j] = src[(long)j * ldb + k];
      } else {
        for (int k = 0; k < kc; k++)
          for (int j = 0; j < NR; j++)
            Bp[k * NR + j] = j < nr ? src[(long)j * ldb + k] : 0.0f;
      }
      Bp += kc * NR;
    }
  }
}

/* Packs op(A)[ic:ic+mc, pc:pc+kc] into MR-tall panels: panel p holds, for
 * each k, MR consecutive rows; rows past mc are zero. */
static void pack_a(int mc, int kc, const float *A, int lda, int transA,
                   int ic, int pc, float *restrict Ap) {
  for (int i0 = 0; i0 < mc; i0 += MR) {
    int mr = mc - i0 < MR ? mc - i0 : MR;
    if (transA) {
      /* A is stored K x M: MR rows of op(A) at one k are contiguous. */
      const float *src = A + (long)pc * lda + ic + i0;
      if (mr == MR) {
        for (int k = 0; k < kc; k++) {
          wasm_v128_store(Ap, wasm_v128_load(src));
          src += lda;
          Ap += MR;
        }
      } else {
        for (int k = 0; k < kc; k++) {
          for (int i = 0; i < MR; i++) Ap[i] = i < mr ? src[i] : 0.0f;
          src += lda;
          Ap += MR;
        }
      }
    } else {
      const float *src = A + (long)(ic + i0) * lda + pc;
      if (mr == MR) {
        int k = 0;
        for (; k + 4 <= kc; k += 4) {
          v128_t r0 = wasm_v128_load(src + k);
          v128_t r1 = wasm_v128_load(src + lda + k);
          v128_t r2 = wasm_v128_load(src + 2 * (long)lda + k);
          v128_t r3 = wasm_v128_load(src + 3 * (long)lda + k);
          v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5);
          v128_t t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
          v128_t t2 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
          v128_t t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
          float *d = Ap + k * MR;
          wasm_v128_store(d, wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5));
          wasm_v128_store(d + MR, wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
          wasm_v128_store(d + 2 * MR, wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5));
          wasm_v128_store(d + 3 * MR, wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7));
        }
        for (; k < kc; k++)
          for (int i = 0; i < MR; i++) Ap[k * MR + i] = src[(long)i * lda + k];
      } else {
        for (int k = 0; k < kc; k++)
          for (int i = 0; i < MR; i++)
            Ap[k * MR + i] = i < mr ? src[(long)i * lda + k] : 0.0f;
      }
      Ap += kc * MR;
    }
  }
}

/* One MR x NR tile: acc = Ap-panel . Bp-panel over kc, then
 * C = base + acc where base is C itself (accumulate), bias, or zero.
 * Partial tiles (mr < MR or nr < NR) go through `tile`. */
static void micro(int kc, const float *restrict Ap, const float *restrict Bp,
                  float *C, int ldc, int mr, int nr, int accumulate,
                  const float *bias, float *tile) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00;
  v128_t c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (int k = 0; k < kc; k++) {
    v128_t b0 = wasm_v128_load(Bp);
    v128_t b1 = wasm_v128_load(Bp + 4);
    v128_t a;
    a = wasm_v128_load32_splat(Ap);
    c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(a, b0));
    c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(Ap + 1);
    c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(a, b0));
    c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(Ap + 2);
    c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(a, b0));
    c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(Ap + 3);
    c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(a, b0));
    c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(a, b1));
    Ap += MR;
    Bp += NR;
  }
  if (mr == MR && nr == NR) {
    if (accumulate) {
      c00 = wasm_f32x4_add(c00, wasm_v128_load(C));
      c01 = wasm_f32x4_add(c01, wasm_v128_load(C + 4));
      c10 = wasm_f32x4_add(c10, wasm_v128_load(C + ldc));
      c11 = wasm_f32x4_add(c11, wasm_v128_load(C + ldc + 4));
      c20 = wasm_f32x4_add(c20, wasm_v128_load(C + 2 * ldc));
      c21 = wasm_f32x4_add(c21, wasm_v128_load(C + 2 * ldc + 4));
      c30 = wasm_f32x4_add(c30, wasm_v128_load(C + 3 * ldc));
      c31 = wasm_f32x4_add(c31, wasm_v128_load(C + 3 * ldc + 4));
    } else if (bias) {
      v128_t bb0 = wasm_v128_load(bias), bb1 = wasm_v128_load(bias + 4);
      c00 = wasm_f32x4_add(c00, bb0); c01 = wasm_f32x4_add(c01, bb1);
      c10 = wasm_f32x4_add(c10, bb0); c11 = wasm_f32x4_add(c11, bb1);
      c20 = wasm_f32x4_add(c20, bb0); c21 = wasm_f32x4_add(c21, bb1);
      c30 = wasm_f32x4_add(c30, bb0); c31 = wasm_f32x4_add(c31, bb1);
    }
    wasm_v128_store(C, c00);
    wasm_v128_store(C + 4, c01);
    wasm_v128_store(C + ldc, c10);
    wasm_v128_store(C + ldc + 4, c11);
    wasm_v128_store(C + 2 * ldc, c20);
    wasm_v128_store(C + 2 * ldc + 4, c21);
    wasm_v128_store(C + 3 * ldc, c30);
    wasm_v128_store(C + 3 * ldc + 4, c31);
    return;
  }
  wasm_v128_store(tile, c00);
  wasm_v128_store(tile + 4, c01);
  wasm_v128_store(tile + NR, c10);
  wasm_v128_store(tile + NR + 4, c11);
  wasm_v128_store(tile + 2 * NR, c20);
  wasm_v128_store(tile + 2 * NR + 4, c21);
  wasm_v128_store(tile + 3 * NR, c30);
  wasm_v128_store(tile + 3 * NR + 4, c31);
  for (int i = 0; i < mr; i++) {
    for (int j = 0; j < nr; j++) {
      float base = accumulate ? C[(long)i * ldc + j] : (bias ? bias[j] : 0.0f);
      C[(long)i * ldc + j] = base + tile[i * NR + j];
    }
  }
}

static void activate(float *C, int M, int N, int ldc, int act, float alpha) {
  if (act == ACT_LINEAR) return;
  v128_t zero = wasm_f32x4_splat(0.0f), six = wasm_f32x4_splat(6.0f);
  v128_t va = wasm_f32x4_splat(alpha);
  for (int i = 0; i < M; i++) {
    float *row = C + (long)i * ldc;
    int j = 0;
    for (; j + 4 <= N; j += 4) {
      v128_t x = wasm_v128_load(row + j);
      if (act == ACT_RELU) x = wasm_f32x4_max(x, zero);
      else if (act == ACT_RELU6) x = wasm_f32x4_min(wasm_f32x4_max(x, zero), six);
      else x = wasm_v128_bitselect(x, wasm_f32x4_mul(x, va), wasm_f32x4_gt(x, zero));
      wasm_v128_store(row + j, x);
    }
    for (; j < N; j++) {
      float x = row[j];
      if (act == ACT_RELU) x = x > 0 ? x : 0;
      else if (act == ACT_RELU6) x = x > 0 ? (x < 6 ? x : 6) : 0;
      else x = x > 0 ? x : x * alpha;
      row[j] = x;
    }
  }
}

/*
 * C = op(A) . op(B) (+ bias) with activation `act` (ACT_*; `alpha` is the
 * leaky slope); with `accumulate`, C += op(A) . op(B) instead (no bias).
 * lda/ldb/ldc are the row strides of A, B and C as stored (A is M x K, or
 * K x M when transA). `bias` may be 0. `work` must hold
 * gemm_workspace_bytes() bytes, 16-byte aligned.
 */
static void gemm(int M, int N, int K, const float *A, int lda, int transA,
                 const float *B, int ldb, int transB, float *C, int ldc,
                 const float *bias, int act, float alpha, int accumulate,
                 float *work) {
  float *Bp = work;
  float *Ap = work + KC * NC;
  float *tile = Ap + MC * KC;
  if (accumulate) bias = 0;
  if (K == 0) {
    if (accumulate) return;
    for (int i = 0; i < M; i++)
      for (int j = 0; j < N; j++) C[(long)i * ldc + j] = bias ? bias[j] : 0.0f;
    activate(C, M, N, ldc, act, alpha);
    return;
  }
  for (int jc = 0; jc < N; jc += NC) {
    int nc = N - jc < NC ? N - jc : NC;
    for (int pc = 0; pc < K; pc += KC) {
      int kc = K - pc < KC ? K - pc : KC;
      pack_b(kc, nc, B, ldb, transB, pc, jc, Bp);
      for (int ic = 0; ic < M; ic += MC) {
        int mc = M - ic < MC ? M - ic : MC;
        pack_a(mc, kc, A, lda, transA, ic, pc, Ap);
        for (int jr = 0; jr < nc; jr += NR) {
          int nr = nc - jr < NR ? nc - jr : NR;
          const float *bp = Bp + (long)jr * kc;
          const float *bb = (bias && pc == 0) ? bias + jc + jr : 0;
          for (int ir = 0; ir < mc; ir += MR) {
            int mr = mc - ir < MR ? mc - ir : MR;
            micro(kc, Ap + (long)ir * kc, bp,
                  C + (long)(ic + ir) * ldc + jc + jr, ldc, mr, nr,
                  accumulate || pc > 0, bb, tile);
          }
        }
      }
    }
  }
  activate(C, M, N, ldc, act, alpha);
}

EXPORT("sgemm")
void sgemm(int M, int N, int K, const float *A, int lda, int transA,
           const float *B, int ldb, int transB, float *C, int ldc,
           const float *bias, int act, float alpha, float *work) {
  gemm(M, N, K, A, lda, transA, B, ldb, transB, C, ldc, bias, act, alpha, 0,
       work);
}

/* ---- Convolutions (NHWC input, HWIO filter) as GEMMs over im2col rows ----
 * Row r of the im2col matrix is output pixel r = (n, oh, ow); its KH*KW*C
 * columns are the input patch in filter order (i, j, c), so the filter
 * [KH, KW, C, O] is already the K x O right-hand matrix. Rows are staged
 * COLS_FLOATS at a time so the patch matrix never leaves L2. */

typedef struct {
  int N, H, W, C, KH, KW, O, OH, OW, sh, sw, dh, dw, pt, pl;
} conv_t;

static inline __attribute__((always_inline)) int chunk_rows(const conv_t *g) {
  int k = g->KH * g->KW * g->C;
  int rows = COLS_FLOATS / k;
  return rows < 1 ? 1 : rows;
}

static void copy_floats(float *restrict d, const float *restrict s, int n) {
  int c = 0;
  for (; c + 4 <= n; c += 4) wasm_v128_store(d + c, wasm_v128_load(s + c));
  for (; c < n; c++) d[c] = s[c];
}

static void zero_floats(float *d, long n) {
  long c = 0;
  v128_t z = wasm_f32x4_splat(0.0f);
  for (; c + 4 <= n; c += 4) wasm_v128_store(d + c, z);
  for (; c < n; c++) d[c] = 0.0f;
}

static void add_floats(float *restrict d, const float *restrict s, int n) {
  int c = 0;
  for (; c + 4 <= n; c += 4)
    wasm_v128_store(d + c, wasm_f32x4_add(wasm_v128_load(d + c), wasm_v128_load(s + c)));
  for (; c < n; c++) d[c] += s[c];
}

/* Gathers im2col rows [r0, r0 + rows) of x into cols (rows x KH*KW*C). */
static inline __attribute__((always_inline)) void im2col(const conv_t *g, const float *x, int r0, int rows, float *cols) {
  int C = g->C;
  for (int r = 0; r < rows; r++) {
    int p = r0 + r;
    int ow = p % g->OW, t = p / g->OW, oh = t % g->OH, n = t / g->OH;
    float *d = cols + (long)r * g->KH * g->KW * C;
    for (int i = 0; i < g->KH; i++) {
      int ih = oh * g->sh + i * g->dh - g->pt;
      for (int j = 0; j < g->KW; j++, d += C) {
        int iw = ow * g->sw + j * g->dw - g->pl;
        int inside = ih >= 0 && ih < g->H && iw >= 0 && iw < g->W;
        const float *s = x + (((long)n * g->H + ih) * g->W + iw) * C;
        if (C == 1) {
          /* One channel (a first layer on grey images): no inner loop at all. */
          *d = inside ? *s : 0.0f;
        } else if (inside) {
          copy_floats(d, s, C);
        } else {
          zero_floats(d, C);
        }
      }
    }
  }
}

/* Scatter-adds cols rows [r0, r0 + rows) back into dx (the adjoint of im2col). */
static inline __attribute__((always_inline)) void col2im(const conv_t *g, const float *cols, int r0, int rows, float *dx) {
  int C = g->C;
  for (int r = 0; r < rows; r++) {
    int p = r0 + r;
    int ow = p % g->OW, t = p / g->OW, oh = t % g->OH, n = t / g->OH;
    const float *s = cols + (long)r * g->KH * g->KW * C;
    for (int i = 0; i < g->KH; i++) {
      int ih = oh * g->sh + i * g->dh - g->pt;
      for (int j = 0; j < g->KW; j++, s += C) {
        int iw = ow * g->sw + j * g->dw - g->pl;
        if (ih >= 0 && ih < g->H && iw >= 0 && iw < g->W)
          add_floats(dx + (((long)n * g->H + ih) * g->W + iw) * C, s, C);
      }
    }
  }
}

#define CONV_PARAMS                                                        \
  int N, int H, int W, int C, int KH, int KW, int O, int OH, int OW, int sh, \
      int sw, int dh, int dw, int pt, int pl
#define CONV_INIT {N, H, W, C, KH, KW, O, OH, OW, sh, sw, dh, dw, pt, pl}

/* y[N,OH,OW,O] = conv(x[N,H,W,C], f[KH,KW,C,O]) (+ bias[O]), then `act`. */
EXPORT("conv2d")
void conv2d(const float *x, const float *f, float *y, const float *bias,
            int act, float alpha, float *work, CONV_PARAMS) {
  conv_t g = CONV_INIT;
  int k = KH * KW * C, M = N * OH * OW, step = chunk_rows(&g);
  float *cols = work + GEMM_FLOATS;
  if (KH == 1 && KW == 1 && sh == 1 && sw == 1 && pt == 0 && pl == 0 &&
      OH == H && OW == W) {
    gemm(M, O, C, x, C, 0, f, O, 0, y, O, bias, act, alpha, 0, work);
    return;
  }
  for (int r0 = 0; r0 < M; r0 += step) {
    int rows = M - r0 < step ? M - r0 : step;
    im2col(&g, x, r0, rows, cols);
    gemm(rows, O, k, cols, k, 0, f, O, 0, y + (long)r0 * O, O, bias, act, alpha,
         0, work);
  }
}

/* dx[N,H,W,C] = the input gradient of conv2d for dy[N,OH,OW,O]. */
EXPORT("conv2d_backprop_input")
void conv2d_backprop_input(const float *dy, const float *f, float *dx,
                           float *work, CONV_PARAMS) {
  conv_t g = CONV_INIT;
  int k = KH * KW * C, M = N * OH * OW, step = chunk_rows(&g);
  float *cols = work + GEMM_FLOATS;
  zero_floats(dx, (long)N * H * W * C);
  for (int r0 = 0; r0 < M; r0 += step) {
    int rows = M - r0 < step ? M - r0 : step;
    /* cols = dy_rows . f^T: f is stored k x O, so op(B) = f^T is transB. */
    gemm(rows, k, O, dy + (long)r0 * O, O, 0, f, O, 1, cols, k, 0, ACT_LINEAR,
         0, 0, work);
    col2im(&g, cols, r0, rows, dx);
  }
}

/* dfilter[KH,KW,C,O] = the filter gradient of conv2d: im2col(x)^T . dy. */
EXPORT("conv2d_backprop_filter")
void conv2d_backprop_filter(const float *x, const float *dy, float *dfilter,
                            float *work, CONV_PARAMS) {
  conv_t g = CONV_INIT;
  int k = KH * KW * C, M = N * OH * OW, step = chunk_rows(&g);
  float *cols = work + GEMM_FLOATS;
  for (int r0 = 0; r0 < M; r0 += step) {
    int rows = M - r0 < step ? M - r0 : step;
    im2col(&g, x, r0, rows, cols);
    gemm(k, O, rows, cols, k, 1, dy + (long)r0 * O, O, 0, dfilter, O, 0, ACT_LINEAR,
         0, r0 > 0, work);
  }
}

/* dx = the gradient of a max-pool whose windows tile the input without
 * overlap (window = stride = ph x pw, no padding): each window's dy goes to
 * its first maximal input (row-major), as tfjs's cpu backend does. */
EXPORT("maxpool_grad_tiled")
void maxpool_grad_tiled(const float *x, const float *dy, float *dx, int N,
                        int H, int W, int C, int OH, int OW, int ph, int pw) {
  /* Every covered pixel is written below (its dy or 0); zero only the rest. */
  if (OH * ph != H || OW * pw != W) zero_floats(dx, (long)N * H * W * C);
  for (int n = 0; n < N; n++)
    for (int oh = 0; oh < OH; oh++)
      for (int ow = 0; ow < OW; ow++) {
        const float *g = dy + (((long)n * OH + oh) * OW + ow) * C;
        long base = (((long)n * H + oh * ph) * W + ow * pw) * C;
        int c = 0;
        for (; c + 4 <= C; c += 4) {
          v128_t best = wasm_v128_load(x + base + c);
          v128_t arg = wasm_i32x4_splat(0);
          for (int q = 1; q < ph * pw; q++) {
            long o = base + ((long)(q / pw) * W + q % pw) * C + c;
            v128_t v = wasm_v128_load(x + o);
            v128_t gt = wasm_f32x4_gt(v, best);
            best = wasm_v128_bitselect(v, best, gt);
            arg = wasm_v128_bitselect(wasm_i32x4_splat(q), arg, gt);
          }
          v128_t gv = wasm_v128_load(g + c);
          for (int q = 0; q < ph * pw; q++) {
            long o = base + ((long)(q / pw) * W + q % pw) * C + c;
            v128_t hit = wasm_i32x4_eq(arg, wasm_i32x4_splat(q));
            wasm_v128_store(dx + o, wasm_v128_and(gv, hit));
          }
        }
        for (; c < C; c++) {
          float best = x[base + c];
          int arg = 0;
          for (int q = 1; q < ph * pw; q++) {
            float v = x[base + ((long)(q / pw) * W + q % pw) * C + c];
            if (v > best) { best = v; arg = q; }
          }
          for (int q = 0; q < ph * pw; q++)
            dx[base + ((long)(q / pw) * W + q % pw) * C + c] = q == arg ? g[c] : 0.0f;
        }
      }
}

/* out[j] = sum_i x[i * cols + j]: the bias gradient (a Sum over every axis but
 * the last). Rows are added in blocks of 256 and the block sums combined, so
 * the rounding error grows with log(rows) blocks rather than with rows. */
EXPORT("sum_leading")
void sum_leading(const float *x, int rows, int cols, float *out) {
  zero_floats(out, cols);
  for (int r0 = 0; r0 < rows; r0 += 256) {
    int r1 = rows - r0 < 256 ? rows : r0 + 256;
    int j = 0;
    for (; j + 16 <= cols; j += 16) {
      v128_t a0 = wasm_f32x4_splat(0), a1 = a0, a2 = a0, a3 = a0;
      for (int r = r0; r < r1; r++) {
        const float *p = x + (long)r * cols + j;
        a0 = wasm_f32x4_add(a0, wasm_v128_load(p));
        a1 = wasm_f32x4_add(a1, wasm_v128_load(p + 4));
        a2 = wasm_f32x4_add(a2, wasm_v128_load(p + 8));
        a3 = wasm_f32x4_add(a3, wasm_v128_load(p + 12));
      }
      wasm_v128_store(out + j, wasm_f32x4_add(wasm_v128_load(out + j), a0));
      wasm_v128_store(out + j + 4, wasm_f32x4_add(wasm_v128_load(out + j + 4), a1));
      wasm_v128_store(out + j + 8, wasm_f32x4_add(wasm_v128_load(out + j + 8), a2));
      wasm_v128_store(out + j + 12, wasm_f32x4_add(wasm_v128_load(out + j + 12), a3));
    }
    for (; j + 4 <= cols; j += 4) {
      v128_t a = wasm_f32x4_splat(0);
      for (int r = r0; r < r1; r++) a = wasm_f32x4_add(a, wasm_v128_load(x + (long)r * cols + j));
      wasm_v128_store(out + j, wasm_f32x4_add(wasm_v128_load(out + j), a));
    }
    for (; j < cols; j++) {
      float a = 0.0f;
      for (int r = r0; r < r1; r++) a += x[(long)r * cols + j];
      out[j] += a;
    }
  }
}

/* One Adam step for n parameters, as tfjs's AdamOptimizer computes it:
 *   m' = b1 m + (1 - b1) g,  v' = b2 v + (1 - b2) g^2,
 *   w' = w - lr (m' / c1) / (sqrt(v' / c2) + eps),  c1 = 1 - b1^t, c2 = 1 - b2^t
 * written to fresh outputs (w2, m2, v2), so tensors sharing the inputs are untouched. */
EXPORT("adam_update")
void adam_update(const float *w, const float *g, const float *m, const float *v,
                 float *w2, float *m2, float *v2, int n, float lr, float b1,
                 float b2, float eps, float c1, float c2) {
  v128_t vb1 = wasm_f32x4_splat(b1), vb2 = wasm_f32x4_splat(b2);
  v128_t va1 = wasm_f32x4_splat(1.0f - b1), va2 = wasm_f32x4_splat(1.0f - b2);
  v128_t vc1 = wasm_f32x4_splat(c1), vc2 = wasm_f32x4_splat(c2);
  v128_t veps = wasm_f32x4_splat(eps), vlr = wasm_f32x4_splat(lr);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t gi = wasm_v128_load(g + i);
    v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), vb1), wasm_f32x4_mul(gi, va1));
    v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), vb2),
                               wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), va2));
    v128_t den = wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_div(vi, vc2)), veps);
    v128_t step = wasm_f32x4_mul(wasm_f32x4_div(wasm_f32x4_div(mi, vc1), den), vlr);
    wasm_v128_store(m2 + i, mi);
    wasm_v128_store(v2 + i, vi);
    wasm_v128_store(w2 + i, wasm_f32x4_sub(wasm_v128_load(w + i), step));
  }
  for (; i < n; i++) {
    float mi = m[i] * b1 + g[i] * (1.0f - b1);
    float vi = v[i] * b2 + g[i] * g[i] * (1.0f - b2);
    m2[i] = mi;
    v2[i] = vi;
    w2[i] = w[i] - (mi / c1) / (__builtin_sqrtf(vi / c2) + eps) * lr;
  }
}

/* ---- Element-wise exp and erf (tfjs-wasm's are scalar libm loops) ---- */

/* e^x to ~2 ulp: x = n ln2 + r, |r| <= ln2/2, a degree-6 polynomial for e^r
 * (Cephes expf), and 2^n applied in two halves so that results down to the
 * subnormal range and up to FLT_MAX come out right. */
static inline __attribute__((always_inline)) v128_t exp4(v128_t x) {
  v128_t big = wasm_f32x4_gt(x, wasm_f32x4_splat(88.72283935546875f));
  v128_t c = wasm_f32x4_max(wasm_f32x4_min(x, wasm_f32x4_splat(88.72283935546875f)),
                            wasm_f32x4_splat(-104.0f));
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(c, wasm_f32x4_splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(c, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_add(r, wasm_f32x4_mul(n, wasm_f32x4_splat(2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.9875691500e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.3981999507e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(8.3334519073e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(4.1665795894e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.6666665459e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(5.0000001201e-1f));
  p = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, r), r), r),
                     wasm_f32x4_splat(1.0f));
  v128_t ni = wasm_i32x4_trunc_sat_f32x4(n);
  v128_t n1 = wasm_i32x4_shr(ni, 1);
  v128_t n2 = wasm_i32x4_sub(ni, n1);
  v128_t bias = wasm_i32x4_splat(127);
  v128_t s1 = wasm_i32x4_shl(wasm_i32x4_add(n1, bias), 23);
  v128_t s2 = wasm_i32x4_shl(wasm_i32x4_add(n2, bias), 23);
  v128_t y = wasm_f32x4_mul(wasm_f32x4_mul(p, s1), s2);
  return wasm_v128_bitselect(wasm_f32x4_splat(__builtin_inff()), y, big);
}

EXPORT("exp_f32")
void exp_f32(const float *x, float *y, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, exp4(wasm_v128_load(x + i)));
  for (; i < n; i++) y[i] = wasm_f32x4_extract_lane(exp4(wasm_f32x4_splat(x[i])), 0);
}

/* erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), the formula tfjs's
 * own Erf kernels use: erf(u) = sign(u)(1 - p(t) e^(-u^2)), t = 1/(1 + 0.3275911|u|).
 * erf_from takes |u| and e^(-u^2), which GELU's gradient reuses for its density. */
static inline __attribute__((always_inline)) v128_t erf_from(v128_t u, v128_t a, v128_t e) {
  v128_t t = wasm_f32x4_div(wasm_f32x4_splat(1.0f),
                            wasm_f32x4_add(wasm_f32x4_splat(1.0f),
                                           wasm_f32x4_mul(wasm_f32x4_splat(0.3275911f), a)));
  v128_t p = wasm_f32x4_splat(1.061405429f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(-1.453152027f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(1.421413741f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(-0.284496736f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(0.254829592f));
  p = wasm_f32x4_mul(p, t);
  v128_t y = wasm_f32x4_sub(wasm_f32x4_splat(1.0f), wasm_f32x4_mul(p, e));
  /* copy u's sign onto y */
  v128_t sign = wasm_v128_and(u, wasm_i32x4_splat((int)0x80000000));
  return wasm_v128_or(y, sign);
}

static inline __attribute__((always_inline)) v128_t erf4(v128_t x) {
  v128_t a = wasm_f32x4_abs(x);
  return erf_from(x, a, exp4(wasm_f32x4_neg(wasm_f32x4_mul(a, a))));
}

EXPORT("erf_f32")
void erf_f32(const float *x, float *y, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, erf4(wasm_v128_load(x + i)));
  for (; i < n; i++) y[i] = wasm_f32x4_extract_lane(erf4(wasm_f32x4_splat(x[i])), 0);
}

/* ---- GELU, fused: x Phi(x) forward (with its derivative when training) ----
 * Phi(x) = (1 + erf(x/sqrt 2))/2 and phi(x) = e^(-x^2/2)/sqrt(2 pi): one pass over the
 * activations, where tfjs's composite ops made ~5 passes forward and ~10 backward,
 * memory-bound over a CNN layer's [N, H, W, C]. e^(-x^2/2) serves erf and phi alike. */
static inline __attribute__((always_inline)) v128_t gelu_cdf(v128_t x, v128_t *density) {
  v128_t u = wasm_f32x4_mul(x, wasm_f32x4_splat(0.70710678118654752f));
  v128_t a = wasm_f32x4_abs(u);
  v128_t e = exp4(wasm_f32x4_neg(wasm_f32x4_mul(a, a)));
  *density = wasm_f32x4_mul(e, wasm_f32x4_splat(0.39894228040143268f));
  return wasm_f32x4_mul(wasm_f32x4_splat(0.5f), wasm_f32x4_add(wasm_f32x4_splat(1.0f), erf_from(u, a, e)));
}

EXPORT("gelu_f32")
void gelu_f32(const float *x, float *y, int n) {
  int i = 0;
  v128_t d;
  for (; i + 4 <= n; i += 4) {
    v128_t v = wasm_v128_load(x + i);
    wasm_v128_store(y + i, wasm_f32x4_mul(v, gelu_cdf(v, &d)));
  }
  for (; i < n; i++) {
    v128_t v = wasm_f32x4_splat(x[i]);
    y[i] = wasm_f32x4_extract_lane(wasm_f32x4_mul(v, gelu_cdf(v, &d)), 0);
  }
}

/* Training: y = x Phi(x) and d = Phi(x) + x phi(x), the derivative the backward pass multiplies
 * dy by, from one evaluation of erf and exp. */
EXPORT("gelu_train_f32")
void gelu_train_f32(const float *x, float *y, float *dd, int n) {
  int i = 0;
  v128_t d;
  for (; i + 4 <= n; i += 4) {
    v128_t v = wasm_v128_load(x + i);
    v128_t c = gelu_cdf(v, &d);
    wasm_v128_store(y + i, wasm_f32x4_mul(v, c));
    wasm_v128_store(dd + i, wasm_f32x4_add(c, wasm_f32x4_mul(v, d)));
  }
  for (; i < n; i++) {
    v128_t v = wasm_f32x4_splat(x[i]);
    v128_t c = gelu_cdf(v, &d);
    y[i] = wasm_f32x4_extract_lane(wasm_f32x4_mul(v, c), 0);
    dd[i] = wasm_f32x4_extract_lane(wasm_f32x4_add(c, wasm_f32x4_mul(v, d)), 0);
  }
}

/* ---- Dead-unit probe statistics (src/trainer/probes.ts) ----
 * Per column j of [rows, cols] (a unit: a neuron or a channel), in one pass:
 *   out[j] = sum of post, out[cols + j] = #(pre > 0), out[2 cols + j] = #(|f'(pre)| < tau),
 * with f' read from `deriv`, or, where deriv is 0, 1[pre > 0] (the ReLU family). tfjs's ops
 * took seven passes over a CNN layer's activations for the same three vectors. Counts are
 * exact in float32 up to 2^24 rows. */
EXPORT("unit_sums_f32")
void unit_sums_f32(const float *pre, const float *post, const float *deriv, int rows, int cols,
                   float tau, float *out) {
  const v128_t one = wasm_f32x4_splat(1.0f), zero = wasm_f32x4_splat(0.0f), vtau = wasm_f32x4_splat(tau);
  /* For f' = 1[pre > 0]: whether a positive (f' = 1) or a non-positive (f' = 0) row is below tau. */
  const v128_t below_pos = 1.0f < tau ? one : zero, below_neg = 0.0f < tau ? one : zero;
  zero_floats(out, 3 * cols);
  for (int r0 = 0; r0 < rows; r0 += 256) {
    int r1 = rows - r0 < 256 ? rows : r0 + 256;
    int j = 0;
    for (; j + 4 <= cols; j += 4) {
      v128_t s = zero, p = zero, b = zero;
      for (int r = r0; r < r1; r++) {
        long at = (long)r * cols + j;
        v128_t x = wasm_v128_load(pre + at);
        v128_t pos = wasm_f32x4_gt(x, zero);
        s = wasm_f32x4_add(s, wasm_v128_load(post + at));
        p = wasm_f32x4_add(p, wasm_v128_and(pos, one));
        v128_t below = deriv ? wasm_v128_and(wasm_f32x4_lt(wasm_f32x4_abs(wasm_v128_load(deriv + at)), vtau), one)
                             : wasm_v128_bitselect(below_pos, below_neg, pos);
        b = wasm_f32x4_add(b, below);
      }
      wasm_v128_store(out + j, wasm_f32x4_add(wasm_v128_load(out + j), s));
      wasm_v128_store(out + cols + j, wasm_f32x4_add(wasm_v128_load(out + cols + j), p));
      wasm_v128_store(out + 2 * cols + j, wasm_f32x4_add(wasm_v128_load(out + 2 * cols + j), b));
    }
    for (; j < cols; j++) {
      for (int r = r0; r < r1; r++) {
        long at = (long)r * cols + j;
        float d = deriv ? deriv[at] : pre[at] > 0.0f ? 1.0f : 0.0f;
        out[j] += post[at];
        out[cols + j] += pre[at] > 0.0f ? 1.0f : 0.0f;
        out[2 * cols + j] += (d < 0.0f ? -d : d) < tau ? 1.0f : 0.0f;
      }
    }
  }
}
