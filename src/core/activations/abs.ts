import { defineActivation } from './define';
import { NEGATIVE_ALPHA } from '../papers';
import { RESCALE, leakyPoint } from './shared';

export const definition = defineActivation({
  type: 'abs', position: 2, name: 'Absolute value', summary: 'The absolute value, Leaky ReLU with α = −1.',
  formula: '|x|', reference: NEGATIVE_ALPHA.ref, stochastic: false, params: { rescale: RESCALE },
  readme: { formula: '\\|x\\|' },
  point: (spec, x) => leakyPoint(NEGATIVE_ALPHA.bestAlpha, spec.rescale, x),
  negativeSlope: () => NEGATIVE_ALPHA.bestAlpha,
});
