/**
 * A checked expression tree (src/core/expr) → tfjs ops, built once per layer. Gradients come
 * from tfjs autodiff, learnable parameters included. Subtrees that do not depend on x, noise
 * or a learnable parameter are folded to a JS number per call by the scalar evaluator (the same
 * semantics the plots use), so `beta * x` costs one multiply.
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '../../core/random';
import { children, type ExprNode, type FnName } from '../../core/expr/ast';
import { evaluate } from '../../core/expr/evaluate';
import { normalNoise, uniformNoise } from '../activations/noise';
import { fusedGelu, fusedGeluAvailable, geluArgument, maxMin } from './fused';
import { gradientGate } from './gate';

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
  /** A learnable parameter's tensor here: its variable, or inside a select's branch its gated copy. */
  readonly learned: (name: string) => tf.Tensor;
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

/** One tensor rule per function, keyed by the whitelist's names (a missing one: compile error). */
const TENSOR_FN: Readonly<Record<FnName, (args: readonly Value[]) => Value>> = {
  max: (args) => args.slice(1).reduce<Value>((p, q) => maxMin(p, q, true), args[0]!),
  min: (args) => args.slice(1).reduce<Value>((p, q) => maxMin(p, q, false), args[0]!),
  clip: (args) => maxMin(maxMin(args[0]!, args[1]!, true), args[2]!, false),
  abs: (args) => tf.abs(args[0]!),
  exp: (args) => tf.exp(args[0]!),
  expm1: (args) => tf.expm1(args[0]!),
  log: (args) => tf.log(args[0]!),
  log1p: (args) => tf.log1p(args[0]!),
  sqrt: (args) => tf.sqrt(args[0]!),
  square: (args) => tf.square(args[0]!),
  tanh: (args) => tf.tanh(args[0]!),
  sigmoid: (args) => tf.sigmoid(args[0]!),
  softplus: (args) => tf.softplus(args[0]!),
  erf: (args) => tf.erf(args[0]!),
  Phi: (args) => tf.mul(0.5, tf.add(1, tf.erf(tf.mul(args[0]!, SQRT1_2)))),
  phi: (args) => tf.mul(INV_SQRT_2PI, tf.exp(tf.mul(-0.5, tf.square(args[0]!)))),
  relu: (args) => tf.relu(args[0]!),
  sign: (args) => tf.sign(args[0]!),
  sin: (args) => tf.sin(args[0]!),
  cos: (args) => tf.cos(args[0]!),
};

/** Functions bounded (or finite) for finite arguments: a select over them may be arithmetic. */
const FINITE_FN: Readonly<Record<FnName, boolean>> = {
  sigmoid: true, tanh: true, erf: true, Phi: true, phi: true, sin: true, cos: true, sign: true,
  relu: true, abs: true, min: true, max: true, clip: true,
  exp: false, expm1: false, log: false, log1p: false, sqrt: false, square: false, softplus: false,
};

/** What compileExpr works out once per tree, read by every call. */
interface Plan {
  readonly variableOf: Readonly<Record<string, tf.Variable>>;
  readonly learnable: ReadonlySet<string>;
  /** `u * Phi(u)` nodes and their u: they may run the fused GELU kernel (./fused). */
  readonly geluU: ReadonlyMap<ExprNode, ExprNode>;
  readonly flags: { tensor: Map<ExprNode, boolean>; noise: Map<ExprNode, boolean> };
  /** Per cond node: both branches finite, so m·a + (1 − m)·b is exact. */
  readonly arithmeticSelect: ReadonlyMap<ExprNode, boolean>;
  readonly tensorBesidesNoise: Map<ExprNode, boolean>;
}

function makeVariables(options: CompileOptions): Record<string, tf.Variable> {
  const factory = options.variable ?? defaultFactory(options.layerName ?? 'expression');
  const variableOf: Record<string, tf.Variable> = {};
  for (const [name, spec] of Object.entries(options.params ?? {})) {
    if (!spec.learnable) continue;
    const shape = spec.per === 'unit' ? [Math.max(1, options.units ?? 1)] : [];
    variableOf[name] = factory(name, shape, spec.init);
  }
  return variableOf;
}

/** Visits every node, parents before children. */
function forEachNode(root: ExprNode, f: (n: ExprNode) => void): void {
  f(root);
  children(root).forEach((c) => forEachNode(c, f));
}

/** No inf/NaN from finite x: sums, scaled terms, noise and bounded functions of those. */
function finite(n: ExprNode, tensor: ReadonlyMap<ExprNode, boolean>): boolean {
  const fin = (m: ExprNode): boolean => finite(m, tensor);
  switch (n.kind) {
    case 'x': case 'num': case 'const': case 'param': case 'noise': case 'compare': case 'logical': return true;
    case 'unary': return fin(n.arg);
    case 'binary':
      if (n.op === '+' || n.op === '-') return fin(n.left) && fin(n.right);
      // a product with a per-call number (sigma * randn(), 0.01 * x), not of two tensors
      return n.op === '*' && fin(n.left) && fin(n.right) && !(tensor.get(n.left) && tensor.get(n.right));
    case 'cond': return fin(n.then) && fin(n.else);
    case 'call': return FINITE_FN[n.fn] && n.args.every(fin);
  }
}

function makePlan(tree: ExprNode, options: CompileOptions): Plan {
  const variableOf = makeVariables(options);
  const learnable = new Set(Object.keys(variableOf));
  const geluU = new Map<ExprNode, ExprNode>();
  forEachNode(tree, (n) => { const u = geluArgument(n); if (u) geluU.set(n, u); });
  const flags = tensorFlags(tree, learnable);
  const arithmeticSelect = new Map<ExprNode, boolean>();
  forEachNode(tree, (n) => { if (n.kind === 'cond') arithmeticSelect.set(n, finite(n.then, flags.tensor) && finite(n.else, flags.tensor)); });
  return { variableOf, learnable, geluU, flags, arithmeticSelect, tensorBesidesNoise: new Map() };
}

function hasTensorBesidesNoise(plan: Plan, n: ExprNode): boolean {
  let v = plan.tensorBesidesNoise.get(n);
  if (v === undefined) {
    v = n.kind === 'x' || (n.kind === 'param' && plan.learnable.has(n.name)) || children(n).some((c) => hasTensorBesidesNoise(plan, c));
    plan.tensorBesidesNoise.set(n, v);
  }
  return v;
}

/** Whether `n` is a tensor in this call (noise off: noise nodes are their means). */
const isTensor = (plan: Plan, n: ExprNode, env: Env): boolean =>
  plan.flags.tensor.get(n) === true && (env.noisy || hasTensorBesidesNoise(plan, n));

/** 0/1 truth of a test: comparisons and logicals already are; other values: ≠ 0. */
function truth(plan: Plan, n: ExprNode, env: Env): Value {
  const v = ev(plan, n, env);
  if (typeof v === 'number') return Number.isNaN(v) ? NaN : v !== 0 ? 1 : 0;
  if (n.kind === 'compare' || n.kind === 'logical') return v;
  return tf.step(tf.abs(v));
}

function evNoise(n: Extract<ExprNode, { kind: 'noise' }>, env: Env): tf.Tensor {
  // Site 0 draws with the call's seed itself: N-ReLU's numbers for `sigma * randn()`.
  const seed = n.site === 0 ? env.seed : deriveSeed(env.seed, `expr-noise-${n.site}`);
  return n.dist === 'randn' ? normalNoise(env.x.shape, 1, seed) : uniformNoise(env.x.shape, 0, 1, seed);
}

function evBinary(plan: Plan, n: Extract<ExprNode, { kind: 'binary' }>, env: Env): Value {
  const g = plan.geluU.get(n);
  if (g) {
    const u = ev(plan, g, env);
    if (typeof u !== 'number' && fusedGeluAvailable(u)) return fusedGelu(u);
  }
  const a = ev(plan, n.left, env);
  const b = ev(plan, n.right, env);
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
}

function evLogical(plan: Plan, n: Extract<ExprNode, { kind: 'logical' }>, env: Env): Value {
  const a = truth(plan, n.left, env);
  const b = truth(plan, n.right, env);
  if (n.op === '&&') return tf.mul(a, b);
  return tf.sub(tf.add(a, b), tf.mul(a, b));
}

function evCond(plan: Plan, n: Extract<ExprNode, { kind: 'cond' }>, env: Env): Value {
  const t = truth(plan, n.test, env);
  if (typeof t === 'number') {
    if (Number.isNaN(t)) return NaN;
    return ev(plan, t ? n.then : n.else, env);
  }
  // Branches that stay finite wherever x is (N-ReLU's `x` and `sigma * randn()`): the
  // arithmetic select m·a + (1 − m)·b, exact, as built-in N-ReLU mixes, faster on wasm than
  // cast + where(); the gradient is m into a and 1 − m into b.
  if (plan.arithmeticSelect.get(n)) {
    const a = ev(plan, n.then, env);
    const b = ev(plan, n.else, env);
    return tf.add(tf.mul(t, a), tf.mul(tf.sub(1, t), b));
  }
  // Otherwise a select, which ignores the other branch's inf/NaN in the value. For the gradient
  // each branch reads x and the learnable parameters through a gate (./gate) that zeroes it where
  // the branch is not chosen: log'(0)·0 = NaN inside `x > 0 ? log(x) : 0` never reaches x.
  const shape = env.x.shape;
  const mask = tf.cast(broadcast(t, shape), 'bool');
  const branch = (m: tf.Tensor, node: ExprNode): tf.Tensor => broadcast(ev(plan, node, gatedEnv(env, m)), shape);
  return tf.where(mask, branch(mask, n.then), branch(tf.logicalNot(mask), n.else));
}

/** The branch's view of the leaves: x and each learnable parameter (broadcast to x's shape) gated by m. */
function gatedEnv(env: Env, m: tf.Tensor): Env {
  const memo = new Map<string, tf.Tensor>();
  const learned = (name: string): tf.Tensor => {
    let v = memo.get(name);
    if (!v) memo.set(name, (v = gradientGate(broadcast(env.learned(name), env.x.shape), m)));
    return v;
  };
  return { ...env, x: gradientGate(env.x, m), learned };
}

/** The value of `n` in this call: a JS number when it folds, else a tensor. */
function ev(plan: Plan, n: ExprNode, env: Env): Value {
  if (!isTensor(plan, n, env)) return evaluate(n, 0, { params: env.params }).v;
  switch (n.kind) {
    case 'x': return env.x;
    case 'param': return env.learned(n.name);
    case 'noise': return evNoise(n, env);
    case 'unary': return tf.neg(ev(plan, n.arg, env));
    case 'binary': return evBinary(plan, n, env);
    case 'compare': return compareMask(n.op, ev(plan, n.left, env), ev(plan, n.right, env));
    case 'logical': return evLogical(plan, n, env);
    case 'cond': return evCond(plan, n, env);
    case 'call': return TENSOR_FN[n.fn](n.args.map((a) => ev(plan, a, env)));
    case 'num': case 'const': break;
  }
  throw new Error(`expr: cannot compile ${n.kind} to a tensor`);
}

/** Non-learnable parameters the tree reads: each call must give them a value. */
function requiredParams(tree: ExprNode, learnable: ReadonlySet<string>): Set<string> {
  const required = new Set<string>();
  forEachNode(tree, (n) => { if (n.kind === 'param' && !learnable.has(n.name)) required.add(n.name); });
  return required;
}

export function compileExpr(tree: ExprNode, options: CompileOptions = {}): CompiledExpr {
  const plan = makePlan(tree, options);
  const stochastic = plan.flags.noise.get(tree) === true;
  const stochasticInference = options.inference === 'stochastic';
  const required = requiredParams(tree, plan.learnable);

  let lastParams: Readonly<Record<string, number>> = {};
  const run = (x: tf.Tensor, noisy: boolean, seed: number, params: Readonly<Record<string, number>>): tf.Tensor => {
    for (const p of required) {
      if (typeof params[p] !== 'number') throw new Error(`expr: no value for parameter "${p}"`);
    }
    const out = broadcast(ev(plan, tree, { x, noisy, seed, params, learned: (name) => plan.variableOf[name]! }), x.shape);
    // The result must not alias x (`x` alone): tidy would hand the caller its own input.
    return out === x ? tf.clone(x) : out;
  };

  const usesX = hasTensorBesidesNoise(plan, tree) && (function find(n: ExprNode): boolean { return n.kind === 'x' || children(n).some(find); })(tree);

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
    variableOf: plan.variableOf,
    variables: Object.values(plan.variableOf),
    stochastic,
  };
}
