/*
 * Blocked single-precision GEMM for WebAssembly SIMD (simd128), one thread.
 *
 *   C[M x N] = op(A)[M x K] . op(B)[K x N]  (+ bias[N])  then an optional activation
 *
 * op(X) is X or X^T; transposes are never materialised: both operands are
 * packed into contiguous micro-panels (GotoBLAS layout), and the packing
 * reads whichever layout the caller has.
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
  zero_floats(dx, (long)N * H * W * C);
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
          dx[base + ((long)(arg / pw) * W + arg % pw) * C + c] = g[c];
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
