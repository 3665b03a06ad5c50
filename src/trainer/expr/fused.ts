/**
 * Patterns with a fused kernel: `u * Phi(u)` (GELU, either order) runs the wasm GELU kernels of
 * kernels/gemm where they are registered, as built-in gelu does, instead of ~10 elementwise ops
 * forward and backward. Elsewhere it compiles op by op like any product.
 */
import * as tf from '@tensorflow/tfjs-core';
import { children, type ExprNode } from '../../core/expr/ast';
import { GELU, GELU_TRAIN, onActiveBackend } from '../kernels/gemm';

/** Structural equality, ranges ignored (noise nodes never match: each site draws its own). */
export function sameTree(a: ExprNode, b: ExprNode): boolean {
  if (a.kind !== b.kind || a.kind === 'noise') return false;
  switch (a.kind) {
    case 'num': return a.value === (b as typeof a).value;
    case 'param': case 'const': return a.name === (b as typeof a).name;
    case 'call': if (a.fn !== (b as typeof a).fn) return false; break;
    case 'unary': case 'binary': case 'compare': case 'logical': if (a.op !== (b as typeof a).op) return false; break;
    default: break;
  }
  const ca = children(a);
  const cb = children(b);
  return ca.length === cb.length && ca.every((c, i) => sameTree(c, cb[i]!));
}

/** The u of `u * Phi(u)` or `Phi(u) * u`, else undefined. */
export function geluArgument(n: ExprNode): ExprNode | undefined {
  if (n.kind !== 'binary' || n.op !== '*') return undefined;
  for (const [u, p] of [[n.left, n.right], [n.right, n.left]] as const) {
    if (p.kind === 'call' && p.fn === 'Phi' && sameTree(p.args[0]!, u)) return u;
  }
  return undefined;
}

export const fusedGeluAvailable = (u: tf.Tensor): boolean => u.dtype === 'float32' && onActiveBackend(GELU_TRAIN);

/** x·Φ(x) and its derivative in one pass; the backward pass is dy times the saved derivative. */
export const fusedGelu = tf.customGrad((x, save) => {
  const [y, d] = tf.engine().runKernel(GELU_TRAIN, { x: x as tf.Tensor }) as tf.Tensor[];
  (save as tf.GradSaveFunc)([d!]);
  return { value: y!, gradFunc: (dy, saved) => tf.mul(dy as tf.Tensor, saved[0]!) };
});

export { GELU };

/** g summed over the axes it was broadcast along, back to `shape`. */
function sumTo(g: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, g.shape);
  return tf.reshape(axes.length ? tf.sum(g, axes) : g, shape);
}

/**
 * max(a, b) / min(a, b) with the gradient tfjs's own ops give (ties to a) but without their
 * comparison kernels (GreaterEqual/Less, scalar code on wasm, ~3× a leaky ReLU step): the mask
 * comes from Step. A number operand takes no gradient.
 */
export function maxMin(a: tf.Tensor | number, b: tf.Tensor | number, isMax: boolean): tf.Tensor | number {
  // Both folded (max(1, 2, x), clip(x, lo, hi)'s inner max): plain numbers.
  if (typeof a === 'number' && typeof b === 'number') return isMax ? Math.max(a, b) : Math.min(a, b);
  const pickA = (ta: tf.Tensor | number, tb: tf.Tensor | number): tf.Tensor =>
    tf.sub(1, tf.step(isMax ? tf.sub(tb, ta) : tf.sub(ta, tb))); // 1 where a is chosen
  // The value as b + relu(a − b) (max) or a − relu(a − b) (min): tfjs's Maximum/Minimum kernels
  // are scalar code on wasm (13 ms on a [64, 28, 28, 16] tensor; relu, sub and add ~2 ms each).
  // Exact up to an ulp; an infinite second operand of two tensors gives NaN.
  const value = (ta: tf.Tensor | number, tb: tf.Tensor | number): tf.Tensor =>
    (isMax ? tf.add(tb, tf.relu(tf.sub(ta, tb))) : tf.sub(ta, tf.relu(tf.sub(ta, tb))));
  if (typeof a === 'number' || typeof b === 'number') {
    const t = (typeof a === 'number' ? b : a) as tf.Tensor;
    const k = (typeof a === 'number' ? a : b) as number;
    const tIsA = typeof a !== 'number';
    // max(x, −∞) = x, max(x, ∞) = ∞ (min alike), NaN: NaN; the relu form needs k finite.
    if (!Number.isFinite(k)) {
      if (Number.isNaN(k)) return tf.mul(t, NaN);
      return (k > 0) === isMax ? tf.add(tf.zerosLike(t), k) : tf.clone(t);
    }
    return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
      const m = tIsA ? pickA(x, k) : tf.sub(1, pickA(k, x));
      save([m]);
      // max and min are symmetric: the number always plays b, the finite base of the relu form.
      return { value: value(x, k), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, saved[0]!)] };
    })(t);
  }
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [ta, tb, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const m = pickA(ta, tb);
    save([m]);
    const shapeA = ta.shape;
    const shapeB = tb.shape;
    return {
      value: value(ta, tb),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [sumTo(tf.mul(dy, saved[0]!), shapeA), sumTo(tf.mul(dy, tf.sub(1, saved[0]!)), shapeB)],
    };
  })(a, b);
}
