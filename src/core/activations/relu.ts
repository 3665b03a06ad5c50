import { defineActivation, point } from './define';
import { step } from './shared';

export const definition = defineActivation({
  type: 'relu', position: 0, name: 'ReLU', summary: 'Rectified linear unit: passes positive inputs, zeroes the rest.',
  formula: 'max(0, x)', stochastic: false, params: {},
  snippets: [{ label: 'relu', body: { id: 'relu', type: 'relu' } }],
  point: (_spec, x) => point(Math.max(0, x), step(x)),
});
