import { defineActivation, type CurvePoint } from './define';
import { INFERENCE } from './shared';
import { evaluate } from '../expr/evaluate';
import { exprStats } from '../expr/stats';
import { formatExpr } from '../expr/format';
import { MAX_LENGTH } from '../expr/limits';
import { exprChecks } from '../expr/checks';
import { initialValuesAt, parsedSpec, scheduledParam, specHasNoise } from '../expr/spec';

/** Draws per plotted point of a noisy expression (the band is a Monte-Carlo estimate). */
const PLOT_SAMPLES = 400;
const nanPoint: CurvePoint = { f: NaN, mean: NaN, lo: NaN, hi: NaN, df: NaN };

export const definition = defineActivation({
  type: 'expr', position: 16, name: 'Expression',
  summary: 'Your own activation, written as a formula in x with named parameters (numbers, schedules, sweeps or learnable); gradients by autodiff.',
  formula: 'the expression, e.g. x * sigmoid(beta * x)', stochastic: false,
  params: {
    expr: {
      kind: 'text', default: 'x * sigmoid(x)', maxLength: MAX_LENGTH, sweepable: false,
      description: 'The activation as a formula in x: + - * / ^, comparisons, && ||, c ? a : b, abs exp expm1 log log1p sqrt square tanh sigmoid softplus erf Phi phi relu sign sin cos min max clip, pi, e, randn() and rand() (noise in training), and the names in "params".',
    },
    params: {
      kind: 'named', default: {}, sweepable: false,
      description: 'Named parameters of the expression: a number, a schedule (one at most: it is the job\'s σ), a sweep, or { "init", "learnable": true, "per": "layer" | "unit" }.',
    },
    inference: INFERENCE,
  },
  readme: { formula: 'your formula in `x` (`"expr"`)', params: '`expr`, `params` (numbers, schedules, sweeps, learnable), `inference`' },
  snippets: [
    { label: 'expr (Swish-β)', description: 'x · sigmoid(β x) with β = 1.5', body: { id: 'swish', type: 'expr', expr: 'x * sigmoid(beta * x)', params: { beta: 1.5 } } },
    { label: 'expr (learnable)', description: 'Leaky ReLU with a learnable slope per layer', body: { id: 'learned-leak', type: 'expr', expr: 'max(x, a * x)', params: { a: { init: 0.25, learnable: true } } } },
  ],
  point: (spec, x, sigma) => {
    const r = parsedSpec(spec);
    if (!r.ok) return nanPoint;
    const [p] = exprStats(r.tree, [x], { params: initialValuesAt(spec, sigma), samples: PLOT_SAMPLES, seed: 1, inference: spec.inference });
    return p ?? nanPoint;
  },
  trainsStochastically: (spec) => specHasNoise(spec),
  // Linear through the origin on the negative side (max(x, a·x), x > 0 ? x : a·x): that slope.
  negativeSlope: (spec) => {
    const r = parsedSpec(spec);
    if (!r.ok) return 0;
    const params = initialValuesAt(spec, 0);
    const one = evaluate(r.tree, -1, { params });
    const two = evaluate(r.tree, -2, { params });
    return Number.isFinite(one.d) && one.d === two.d && one.v === -one.d && two.v === -2 * two.d ? one.d : 0;
  },
  scheduleOf: (spec) => scheduledParam(spec)?.schedule,
  formulaOf: (spec) => { const r = parsedSpec(spec); return r.ok ? formatExpr(r.tree) : spec.expr; },
  checks: (ctx) => exprChecks(ctx, 'expr'),
});
