import { defineActivation } from './define';
import { PRELU } from '../papers';
import { leakyPoint } from './shared';

export const definition = defineActivation({
  type: 'prelu', position: 3, name: 'PReLU', summary: 'Leaky ReLU with a learnable slope per unit.',
  formula: 'x if x > 0 else a·x, a learned per unit', reference: PRELU.ref, stochastic: false,
  params: {
    init: {
      kind: 'number', default: PRELU.init, recommended: [0, 0.5], sweepable: true, learnable: true,
      description: `Initial slope of every unit (${PRELU.ref} uses ${PRELU.init}).`,
    },
  },
  readme: { formula: 'leaky with a learnable slope per unit', params: '`init` (0.25)' },
  point: (spec, x) => leakyPoint(spec.init, false, x),
  negativeSlope: (spec) => spec.init,
});
