/**
 * Kernel-level figures on the wasm backend, tfjs's kernels vs the SIMD GEMM module, for the
 * shapes one training step of the benchmark MLP and CNN runs (batch 128). Times are CPU time of
 * this process (process.cpuUsage), which other processes on a shared machine disturb far less
 * than wall time; medians of several timed runs.
 *   node --import tsx bench/kernels.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/trainer/backend';
import { registerGemmKernels, unregisterGemmKernels } from '../src/trainer/kernels/gemm';

export interface KernelCase { label: string; flops: number; make: () => () => tf.Tensor }

function matmul(label: string, m: number, k: number, n: number, ta: boolean, tb: boolean): KernelCase {
  return {
    label, flops: 2 * m * k * n,
    make: () => {
      const a = tf.randomNormal(ta ? [k, m] : [m, k]);
      const b = tf.randomNormal(tb ? [n, k] : [k, n]);
      return () => tf.matMul(a, b, ta, tb);
    },
  };
}

type Shape4 = [number, number, number, number];

function conv(label: string, x: Shape4, f: Shape4, which: 'fwd' | 'dx' | 'dw'): KernelCase {
  const [n, h, w] = x;
  return {
    label, flops: 2 * n * h * w * f[0] * f[1] * f[2] * f[3],
    make: () => {
      const xt = tf.randomNormal(x) as tf.Tensor4D;
      const ft = tf.randomNormal(f) as tf.Tensor4D;
      const dy = tf.randomNormal([n, h, w, f[3]]) as tf.Tensor4D;
      if (which === 'fwd') return () => tf.conv2d(xt, ft, 1, 'same');
      if (which === 'dx') return () => tf.conv2dTranspose(dy, ft, x, 1, 'same');
      return () => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: xt, dy }, {
        strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: f,
      }) as tf.Tensor;
    },
  };
}

function poolGrad(label: string, x: Shape4): KernelCase {
  return {
    label, flops: 0,
    make: () => {
      const xt = tf.randomNormal(x) as tf.Tensor4D;
      const y = tf.maxPool(xt, 2, 2, 'valid');
      const dy = tf.randomNormal(y.shape);
      return () => tf.engine().runKernel(tf.MaxPoolGrad, { dy, input: xt, output: y }, {
        filterSize: 2, strides: 2, pad: 'valid',
      }) as tf.Tensor;
    },
  };
}

function unary(label: string, shape: number[], f: (x: tf.Tensor) => tf.Tensor): KernelCase {
  return {
    label, flops: 0,
    make: () => {
      const x = tf.randomNormal(shape);
      return () => f(x);
    },
  };
}

export const CASES: KernelCase[] = [
  matmul('mlp fwd x·W1 128×784·784×256', 128, 784, 256, false, false),
  matmul('mlp dW1 = xᵀ·dy', 784, 128, 256, true, false),
  matmul('mlp dh = dy·W2ᵀ', 128, 128, 256, false, true),
  matmul('cnn fwd 128×1568·1568×128', 128, 1568, 128, false, false),
  matmul('cnn dW 1568×128ᵀ·128×128', 1568, 128, 128, true, false),
  matmul('cnn dh 128×128·(1568×128)ᵀ', 128, 128, 1568, false, true),
  conv('conv1 fwd 28×28×1→16', [128, 28, 28, 1], [3, 3, 1, 16], 'fwd'),
  conv('conv2 fwd 14×14×16→32', [128, 14, 14, 16], [3, 3, 16, 32], 'fwd'),
  conv('conv2 dx', [128, 14, 14, 16], [3, 3, 16, 32], 'dx'),
  conv('conv1 dW', [128, 28, 28, 1], [3, 3, 1, 16], 'dw'),
  conv('conv2 dW', [128, 14, 14, 16], [3, 3, 16, 32], 'dw'),
  poolGrad('maxPool grad 28×28×16', [128, 28, 28, 16]),
  poolGrad('maxPool grad 14×14×32', [128, 14, 14, 32]),
  unary('bias grad: sum [128,28,28,16] → [16]', [128, 28, 28, 16], (x) => tf.sum(x, [0, 1, 2])),
  unary('exp, 1.6 M elements', [128, 28, 28, 16], tf.exp),
  unary('erf, 1.6 M elements', [128, 28, 28, 16], tf.erf),
];

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median CPU ms per call over `reps` runs of at least `minMs` each. */
export function timeKernel(c: KernelCase, reps = 5, minMs = 100): number {
  const run = c.make();
  // wasm kernels run synchronously: no read-back needed (it would add a copy of the output).
  const once = (): void => { run().dispose(); };
  for (let i = 0; i < 2; i++) once();
  const per: number[] = [];
  for (let r = 0; r < reps; r++) {
    let iters = 0;
    const t0 = cpuMs();
    do { once(); iters++; } while (cpuMs() - t0 < minMs);
    per.push((cpuMs() - t0) / iters);
  }
  return median(per);
}

export interface KernelRow { label: string; gflop: number; tfjsMs: number; simdMs: number }

export async function kernelTable(cases = CASES): Promise<KernelRow[]> {
  await initBackend('wasm');
  const rows: KernelRow[] = [];
  for (const c of cases) {
    unregisterGemmKernels();
    const tfjsMs = timeKernel(c);
    if (!(await registerGemmKernels())) throw new Error('the SIMD GEMM kernels did not register');
    const simdMs = timeKernel(c);
    rows.push({ label: c.label, gflop: c.flops / 1e9, tfjsMs, simdMs });
  }
  return rows;
}

export function formatKernelRow(r: KernelRow): string {
  const rate = (ms: number): string => (r.gflop > 0 ? `${(r.gflop / (ms / 1000)).toFixed(1)} GFLOP/s` : '');
  return `${r.label.padEnd(30)} tfjs ${r.tfjsMs.toFixed(2).padStart(7)} ms ${rate(r.tfjsMs).padStart(14)}   simd ${r.simdMs.toFixed(2).padStart(7)} ms ${rate(r.simdMs).padStart(14)}`;
}

if (process.argv[1]?.endsWith('kernels.ts')) {
  void kernelTable().then((rows) => {
    if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
    else rows.forEach((r) => console.log(formatKernelRow(r)));
  });
}
