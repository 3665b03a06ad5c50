import { defineActivation, point } from './define';
import { ELU } from '../papers';

export const definition = defineActivation({
  type: 'elu', position: 6, name: 'ELU', summary: 'Exponential linear unit: smooth, saturates to −α for negative inputs.',
  formula: 'x if x > 0 else α·(exp(x) − 1)', reference: ELU.ref, stochastic: false,
  params: {
    alpha: { kind: 'number', default: ELU.alpha, min: 0, recommended: [0.1, 1], sweepable: true, symbol: 'α', description: 'Saturation value −α for very negative inputs.' },
  },
  point: (spec, x) => point(x > 0 ? x : spec.alpha * Math.expm1(x), x > 0 ? 1 : spec.alpha * Math.exp(x)),
});
