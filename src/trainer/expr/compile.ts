/**
 * A checked expression tree (src/core/expr) → tfjs ops, built once per layer. Gradients come
 * from tfjs autodiff, learnable parameters included. Subtrees that do not depend on x, noise
 * or a learnable parameter are folded to a JS number per call by the scalar evaluator (the same
 * semantics the plots use), so `beta * x` costs one multiply.
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '../../core/random';
import { children, type ExprNode } from '../../core/expr/ast';
import { evaluate } from '../../core/expr/evaluate';
import { normalNoise, uniformNoise } from '../activations/noise';
import { fusedGelu, fusedGeluAvailable, geluArgument, maxMin } from './fused';

/** How one parameter is bound: a per-call number (constant, schedule or sweep arm) or learnable. */
export type ExprParamSpec =
  | { readonly learnable?: false }
  | { readonly learnable: true; readonly init: number; readonly per: 'layer' | 'unit' };

/** Creates the tf.Variable of a learnable parameter: shape [] (per layer) or [units] (per unit). */
export type VariableFactory = (param: string, shape: number[], init: number) => tf.Variable;

export interface CompileOptions {
  readonly params?: Readonly<Record<string, ExprParamSpec>>;
  /** Size of the layer output's last axis (neurons or channels): a per-unit parameter's length. */
  readonly units?: number;
  /** Default: tf.variable(fill(shape, init)) named `${layerName}/expr_${param}_${n}`. */
  readonly variable?: VariableFactory;
  readonly layerName?: string;
  /** Inference form: noise at its mean (default) or drawn as in training. */
  readonly inference?: 'deterministic' | 'stochastic';
}

export interface ExprContext {
  readonly training: boolean;
  /** 32-bit seed of this call's noise (the same per-step seed built-in N-ReLU gets). */
  readonly seed: number;
  /** Current value of every non-learnable parameter (schedules evaluated by the caller). */
  readonly paramValues?: Readonly<Record<string, number>>;
}

export interface CompiledExpr {
  /** f(x), same shape as x. */
  apply(x: tf.Tensor, ctx: ExprContext): tf.Tensor;
  /**
   * f′(x) by autodiff with every noise call at its mean, same shape as x (the gradient-dead
   * probe). paramValues default to the last apply()'s.
   */
  derivative(x: tf.Tensor, paramValues?: Readonly<Record<string, number>>): tf.Tensor;
  /** The learnable parameters' variables, by parameter name. */
  readonly variableOf: Readonly<Record<string, tf.Variable>>;
  readonly variables: tf.Variable[];
  /** It draws noise: a probe needs its own training-mode pass (as for N-ReLU). */
  readonly stochastic: boolean;
}

type Value = tf.Tensor | number;

interface Env {
  readonly x: tf.Tensor;
  readonly noisy: boolean;
  readonly seed: number;
  readonly params: Readonly<Record<string, number>>;
}

let variableCount = 0;

function defaultFactory(layerName: string): VariableFactory {
  // tfjs variable names are global: a counter keeps two models in one process apart.
  return (param, shape, init) => tf.tidy(() => tf.variable(tf.fill(shape, init), true, `${layerName}/expr_${param}_${variableCount++}`));
}

/** Per node: whether its value can be a tensor (reads x, a learnable parameter or noise). */
function tensorFlags(root: ExprNode, learnable: ReadonlySet<string>): { tensor: Map<ExprNode, boolean>; noise: Map<ExprNode, boolean> } {
  const tensor = new Map<ExprNode, boolean>();
  const noise = new Map<ExprNode, boolean>();
  const visit = (n: ExprNode): void => {
    const cs = children(n);
    cs.forEach(visit);
    const own = n.kind === 'x' || (n.kind === 'param' && learnable.has(n.name));
    tensor.set(n, own || n.kind === 'noise' || cs.some((c) => tensor.get(c)));
    noise.set(n, n.kind === 'noise' || cs.some((c) => noise.get(c)));
  };
  visit(root);
  return { tensor, noise };
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** 1[cond] as float 0/1 from Step, whose gradient is zero (comparison kernels have none in tfjs). */
function compareMask(op: string, a: Value, b: Value): tf.Tensor {
  // Against 0 (x > 0, the common test) the difference is the operand itself: one op less.
  const diff = (p: Value, q: Value): Value => (q === 0 ? p : tf.sub(p, q));
  switch (op) {
    case '>': return tf.step(diff(a, b));
    case '<': return tf.step(diff(b, a));
    case '>=': return tf.sub(1, tf.step(diff(b, a)));
    default: return tf.sub(1, tf.step(diff(a, b)));
  }
}

function broadcast(v: Value, shape: number[]): tf.Tensor {
  if (typeof v === 'number') return tf.fill(shape, v);
  if (v.shape.length === shape.length && v.shape.every((d, i) => d === shape[i])) return v;
  return tf.broadcastTo(v, shape);
}

export function compileExpr(tree: ExprNode, options: CompileOptions = {}): CompiledExpr {
  const specs = options.params ?? {};
  const factory = options.variable ?? defaultFactory(options.layerName ?? 'expr');
  const variableOf: Record<string, tf.Variable> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (!spec.learnable) continue;
    const shape = spec.per === 'unit' ? [Math.max(1, options.units ?? 1)] : [];
    variableOf[name] = factory(name, shape, spec.init);
  }
  const learnable = new Set(Object.keys(variableOf));
  // `u * Phi(u)` nodes, found once: they may run the fused GELU kernel (./fused).
  const geluU = new Map<ExprNode, ExprNode>();
  (function findGelu(n: ExprNode): void {
    const u = geluArgument(n);
    if (u) geluU.set(n, u);
    children(n).forEach(findGelu);
  })(tree);
  const flags = tensorFlags(tree, learnable);
  /** No inf/NaN from finite x: sums, scaled terms, noise and bounded functions of those. */
  const finite = (n: ExprNode): boolean => {
    switch (n.kind) {
      case 'x': case 'num': case 'const': case 'param': case 'noise': case 'compare': case 'logical': return true;
      case 'unary': return finite(n.arg);
      case 'binary':
        if (n.op === '+' || n.op === '-') return finite(n.left) && finite(n.right);
        // a product with a per-call number (sigma * randn(), 0.01 * x), not of two tensors
        return n.op === '*' && finite(n.left) && finite(n.right) && !(flags.tensor.get(n.left) && flags.tensor.get(n.right));
      case 'cond': return finite(n.then) && finite(n.else);
      case 'call':
        return ['sigmoid', 'tanh', 'erf', 'Phi', 'phi', 'sin', 'cos', 'sign', 'relu', 'abs', 'min', 'max', 'clip'].includes(n.fn) && n.args.every(finite);
    }
  };
  const arithmeticSelect = new Map<ExprNode, boolean>();
  (function findSelects(n: ExprNode): void {
    if (n.kind === 'cond') arithmeticSelect.set(n, finite(n.then) && finite(n.else));
    children(n).forEach(findSelects);
  })(tree);
  const stochastic = flags.noise.get(tree) === true;
  const stochasticInference = options.inference === 'stochastic';

  /** Whether `n` is a tensor in this call (noise off: noise nodes are their means). */
  const isTensor = (n: ExprNode, env: Env): boolean => flags.tensor.get(n) === true && (env.noisy || hasTensorBesidesNoise(n));
  const tensorBesidesNoise = new Map<ExprNode, boolean>();
  function hasTensorBesidesNoise(n: ExprNode): boolean {
    let v = tensorBesidesNoise.get(n);
    if (v === undefined) {
      v = n.kind === 'x' || (n.kind === 'param' && learnable.has(n.name)) || children(n).some(hasTensorBesidesNoise);
      tensorBesidesNoise.set(n, v);
    }
    return v;
  }

  /** 0/1 truth of a test: comparisons and logicals already are; other values: ≠ 0. */
  const truth = (n: ExprNode, env: Env): Value => {
    const v = ev(n, env);
    if (typeof v === 'number') return Number.isNaN(v) ? NaN : v !== 0 ? 1 : 0;
    if (n.kind === 'compare' || n.kind === 'logical') return v;
    return tf.step(tf.abs(v));
  };

  const ev = (n: ExprNode, env: Env): Value => {
    if (!isTensor(n, env)) return evaluate(n, 0, { params: env.params }).v;
    switch (n.kind) {
      case 'x': return env.x;
      case 'param': return variableOf[n.name]!;
      case 'noise': {
        // Site 0 draws with the call's seed itself: N-ReLU's numbers for `sigma * randn()`.
        const seed = n.site === 0 ? env.seed : deriveSeed(env.seed, `expr-noise-${n.site}`);
        return n.dist === 'randn' ? normalNoise(env.x.shape, 1, seed) : uniformNoise(env.x.shape, 0, 1, seed);
      }
      case 'unary': return tf.neg(ev(n.arg, env));
      case 'binary': {
        const g = geluU.get(n);
        if (g) {
          const u = ev(g, env);
          if (typeof u !== 'number' && fusedGeluAvailable(u)) return fusedGelu(u);
        }
        const a = ev(n.left, env);
        const b = ev(n.right, env);
        switch (n.op) {
          case '+': return tf.add(a, b);
          case '-': return tf.sub(a, b);
          case '*': return tf.mul(a, b);
          case '/': return tf.div(a, b);
          case '^':
            if (typeof b === 'number' && typeof a !== 'number') {
              if (b === 1) return a;
              if (b === 2) return tf.square(a);
            }
            return tf.pow(a, b);
        }
        break;
      }
      case 'compare': return compareMask(n.op, ev(n.left, env), ev(n.right, env));
      case 'logical': {
        const a = truth(n.left, env);
        const b = truth(n.right, env);
        if (n.op === '&&') return tf.mul(a, b);
        return tf.sub(tf.add(a, b), tf.mul(a, b));
      }
      case 'cond': {
        const t = truth(n.test, env);
        if (typeof t === 'number') {
          if (Number.isNaN(t)) return NaN;
          return ev(t ? n.then : n.else, env);
        }
        // Branches that stay finite wherever x is (N-ReLU's `x` and `sigma * randn()`): the
        // arithmetic select m·a + (1 − m)·b, exact, as built-in N-ReLU mixes, faster on wasm than
        // cast + where(); the gradient is m into a and 1 − m into b.
        if (arithmeticSelect.get(n)) {
          const a = ev(n.then, env);
          const b = ev(n.else, env);
          return tf.add(tf.mul(t, a), tf.mul(tf.sub(1, t), b));
        }
        // Otherwise a select, which ignores the other branch's inf/NaN: each branch's gradient
        // is masked by the choice; the mask itself has none.
        const shape = env.x.shape;
        const mask = tf.cast(broadcast(t, shape), 'bool');
        return tf.where(mask, broadcast(ev(n.then, env), shape), broadcast(ev(n.else, env), shape));
      }
      case 'call': {
        const args = n.args.map((a) => ev(a, env));
        const fold = (f: (p: Value, q: Value) => Value) => args.slice(1).reduce<Value>((p, q) => f(p, q), args[0]!);
        const u = args[0]!;
        switch (n.fn) {
          case 'max': return fold((p, q) => maxMin(p, q, true));
          case 'min': return fold((p, q) => maxMin(p, q, false));
          case 'clip': return maxMin(maxMin(u, args[1]!, true), args[2]!, false);
          case 'abs': return tf.abs(u);
          case 'exp': return tf.exp(u);
          case 'expm1': return tf.expm1(u);
          case 'log': return tf.log(u);
          case 'log1p': return tf.log1p(u);
          case 'sqrt': return tf.sqrt(u);
          case 'square': return tf.square(u);
          case 'tanh': return tf.tanh(u);
          case 'sigmoid': return tf.sigmoid(u);
          case 'softplus': return tf.softplus(u);
          case 'erf': return tf.erf(u);
          case 'Phi': return tf.mul(0.5, tf.add(1, tf.erf(tf.mul(u, SQRT1_2))));
          case 'phi': return tf.mul(INV_SQRT_2PI, tf.exp(tf.mul(-0.5, tf.square(u))));
          case 'relu': return tf.relu(u);
          case 'sign': return tf.sign(u);
          case 'sin': return tf.sin(u);
          case 'cos': return tf.cos(u);
        }
      }
      // eslint-disable-next-line no-fallthrough
      case 'num': case 'const': break;
    }
    throw new Error(`expr: cannot compile ${n.kind} to a tensor`);
  };

  const required = new Set<string>();
  const collect = (n: ExprNode): void => {
    if (n.kind === 'param' && !learnable.has(n.name)) required.add(n.name);
    children(n).forEach(collect);
  };
  collect(tree);

  let lastParams: Readonly<Record<string, number>> = {};
  const run = (x: tf.Tensor, noisy: boolean, seed: number, params: Readonly<Record<string, number>>): tf.Tensor => {
    for (const p of required) {
      if (typeof params[p] !== 'number') throw new Error(`expr: no value for parameter "${p}"`);
    }
    const v = ev(tree, { x, noisy, seed, params });
    const out = broadcast(v, x.shape);
    // The result must not alias x (`x` alone): tidy would hand the caller its own input.
    return out === x ? tf.clone(x) : out;
  };

  const usesX = hasTensorBesidesNoise(tree) && (function find(n: ExprNode): boolean { return n.kind === 'x' || children(n).some(find); })(tree);

  return {
    apply: (x, ctx) => tf.tidy(() => {
      lastParams = ctx.paramValues ?? {};
      const noisy = stochastic && (ctx.training || stochasticInference);
      return run(x, noisy, ctx.seed, lastParams);
    }),
    derivative: (x, paramValues) => tf.tidy(() => {
      const params = paramValues ?? lastParams;
      if (!usesX) return tf.zerosLike(x);
      // A branch folded away per call (`0 ? x : 1`, a parameter test) can leave the output
      // unconnected to x, which tf.grad refuses; step(x)·0 connects it with a zero gradient.
      return tf.grad((xx: tf.Tensor) => tf.add(run(xx, false, 0, params), tf.mul(tf.step(xx), 0)))(x);
    }),
    variableOf,
    variables: Object.values(variableOf),
    stochastic,
  };
}
