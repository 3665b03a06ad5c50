/**
 * Adam with one fused kernel per variable on the wasm backend. tfjs's AdamOptimizer runs ~16
 * element-wise kernels per variable per step (each a heap allocation and a pass over the
 * parameters); on the MLP that was about a third of a step once the GEMMs were fast. The update
 * is the same formula (see adam_update in native/gemm.c); on other backends, or before the
 * kernel is registered, the tfjs implementation runs instead.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { bind, offsetOf } from './kernels';

export const FUSED_ADAM = 'ActlabFusedAdam';

type VariableGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

interface AdamAttrs { learningRate: number; beta1: number; beta2: number; epsilon: number; c1: number; c2: number }

export function makeFusedAdam(module: WebAssembly.Module, _previous: KernelConfig | undefined): KernelFunc {
  return (params) => {
    const backend = params.backend as BackendWasm;
    const { value, gradient, m, v } = params.inputs as Record<'value' | 'gradient' | 'm' | 'v', TensorInfo>;
    const a = params.attrs as unknown as AdamAttrs;
    const g = bind(module, backend);
    if (!g) throw new Error(`${FUSED_ADAM}: the wasm heap is not reachable`);
    const outs = [value, m, v].map((t) => backend.makeOutput(t.shape, 'float32'));
    const size = tf.util.sizeFromShape(value.shape);
    g.gemm.adam_update(
      offsetOf(backend, value), offsetOf(backend, gradient), offsetOf(backend, m), offsetOf(backend, v),
      offsetOf(backend, outs[0]!), offsetOf(backend, outs[1]!), offsetOf(backend, outs[2]!),
      size, a.learningRate, a.beta1, a.beta2, a.epsilon, a.c1, a.c2,
    );
    return outs;
  };
}

/**
 * tf.train.adam's optimizer, with the fused update where the kernel exists for the active
 * backend (wasm with registerGemmKernels()). Same hyper-parameters, same defaults.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  private readonly moments = new Map<string, { m: tf.Variable; v: tf.Variable }>();
  private beta1Power: number;
  private beta2Power: number;

  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
    this.beta1Power = beta1;
    this.beta2Power = beta2;
  }

  /** Decided on the first step: the fused kernel, or tfjs's update from then on. */
  private fused: boolean | undefined;

  override applyGradients(variableGradients: VariableGradients): void {
    this.fused ??= Boolean(tf.getKernel(FUSED_ADAM, tf.getBackend()));
    if (this.fused) {
      try {
        this.applyFused(variableGradients);
        return;
      } catch (err) {
        // Only the first step can switch (no variable has moved yet): tfjs's update starts clean.
        if (this.iterations > 0) throw err;
        this.disposeMoments();
        this.fused = false;
      }
    }
    super.applyGradients(variableGradients);
  }

  private applyFused(variableGradients: VariableGradients): void {
    const pairs: Array<[string, tf.Tensor | undefined]> = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor])
      : Object.entries(variableGradients);
    const attrs = {
      learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon,
      c1: 1 - this.beta1Power, c2: 1 - this.beta2Power,
    };
    for (const [name, gradient] of pairs) {
      if (!gradient) continue;
      const value = tf.engine().registeredVariables[name];
      if (!value) throw new Error(`FusedAdamOptimizer: no variable '${name}'`);
      let s = this.moments.get(name);
      if (!s) {
        s = tf.tidy(() => ({ m: tf.variable(tf.zerosLike(value), false), v: tf.variable(tf.zerosLike(value), false) }));
        this.moments.set(name, s);
      }
      const [w2, m2, v2] = tf.engine().runKernel(FUSED_ADAM, { value, gradient, m: s.m, v: s.v }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      value.assign(w2!);
      s.m.assign(m2!);
      s.v.assign(v2!);
      tf.dispose([w2!, m2!, v2!]);
    }
    this.beta1Power *= this.beta1;
    this.beta2Power *= this.beta2;
    this.incrementIterations();
  }

  override dispose(): void {
    super.dispose();
    this.disposeMoments();
  }

  private disposeMoments(): void {
    for (const s of this.moments.values()) tf.dispose([s.m, s.v]);
    this.moments.clear();
  }
}
