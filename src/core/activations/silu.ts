import { defineActivation, point } from './define';
import { sigmoid } from './math';

export const definition = defineActivation({
  type: 'silu', position: 8, name: 'SiLU (swish)', summary: 'Sigmoid-weighted linear unit.',
  formula: 'x·sigmoid(x)', reference: 'arXiv 1702.03118', stochastic: false, params: {},
  point: (_spec, x) => {
    const s = sigmoid(x);
    return point(x * s, s * (1 + x * (1 - s)));
  },
});
