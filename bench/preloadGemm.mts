/**
 * `node --import tsx --import ./bench/preloadGemm.mts dist/trainer.js …`: registers the SIMD GEMM
 * kernels in a trainer process before its first step (tfjs-core is external to the bundle, so
 * this and the trainer share one kernel registry). For benchmarking the trainer whether or not
 * src/trainer/kernels registers them itself; registering twice is harmless.
 */
import '@tensorflow/tfjs-backend-wasm';
import { registerGemmKernels } from '../src/trainer/kernels/gemm/index.ts';

await registerGemmKernels();
