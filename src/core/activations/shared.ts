/** Parameter definitions and curve pieces several activations share. */
import type { BooleanParam, CurvePoint, EnumParam, ScheduleParam } from './define';
import { point, type Leaf } from './define';
import { leakyRescale } from './math';

/** A noise or smoothing width σ: a number or a schedule, ≥ 0. */
export function sigmaParam(description: string, def: number, recommended?: readonly [number, number]): ScheduleParam {
  return { kind: 'schedule', default: def, min: 0, ...(recommended ? { recommended } : {}), sweepable: true, symbol: 'σ', description };
}

export const INFERENCE: EnumParam<'deterministic' | 'stochastic'> = {
  kind: 'enum', default: 'deterministic', values: ['deterministic', 'stochastic'], sweepable: false,
  description: 'Evaluation mode: "deterministic" uses the expectation (no noise); "stochastic" keeps sampling noise at test time.',
};

export const RESCALE: BooleanParam = {
  kind: 'boolean', default: false, sweepable: false,
  description: 'Multiply the output by √(2/(1+α²)) so the forward variance matches ReLU under He init (arXiv 2402.11942).',
};

/** s·(x if x > 0 else a·x), s = √(2/(1+a²)) when rescaled. */
export function leakyPoint(a: number, rescale: boolean, x: number): CurvePoint {
  const s = rescale ? leakyRescale(a) : 1;
  return point(s * (x > 0 ? x : a * x), s * (x > 0 ? 1 : a));
}

/** The step derivative of the ReLU family. */
export const step = (x: number): number => (x > 0 ? 1 : 0);

/** Leaves of a parameter, or its default as one leaf when absent (for comparisons between bounds). */
export function leavesOrDefault(leaves: Leaf[], path: Leaf['path'], def: number): Leaf[] {
  return leaves.length ? leaves : [{ path, value: def, role: 'value' }];
}
