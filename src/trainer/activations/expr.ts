/**
 * An expression activation's tensor form: the spec's formula compiled once per layer
 * (src/trainer/expr). Learnable parameters are the layer's tf.Variables (trained by the job's
 * optimizer, as PReLU's slopes); the scheduled parameter takes the loop's per-step σ.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { definition } from '../../core/activations/expr';
import { isLearnable, parsedSpec, scheduledParam, valuesAt } from '../../core/expr/spec';
import { compileExpr, type ExprParamSpec } from '../expr/compile';
import { implement } from './define';
import type { Activation, ActivationContext } from './types';

type Spec = Parameters<typeof definition.point>[0];

function paramSpecs(spec: Spec): Record<string, ExprParamSpec> {
  const out: Record<string, ExprParamSpec> = {};
  for (const [name, v] of Object.entries(spec.params)) out[name] = isLearnable(v) ? { learnable: true, init: v.init, per: v.per } : {};
  return out;
}

export function exprActivation(spec: Spec, units: number, layerName: string): Activation {
  const parsed = parsedSpec(spec);
  if (!parsed.ok) throw new Error(`expression ${JSON.stringify(spec.expr)}: ${parsed.errors[0]?.message ?? 'does not parse'}`);
  const compiled = compileExpr(parsed.tree, { params: paramSpecs(spec), units, layerName, inference: spec.inference });
  const fixed = valuesAt(spec, 0);
  const scheduled = scheduledParam(spec)?.name;
  const values = (ctx: ActivationContext): Record<string, number> => (scheduled === undefined ? fixed : { ...fixed, [scheduled]: ctx.sigma });
  return {
    apply: (x: tf.Tensor, ctx: ActivationContext) => compiled.apply(x, { training: ctx.training, seed: ctx.seed, paramValues: values(ctx) }),
    derivative: (x: tf.Tensor) => compiled.derivative(x),
    variables: compiled.variables,
    learnable: compiled.variableOf,
  };
}

export const implementation = implement(definition, exprActivation);
