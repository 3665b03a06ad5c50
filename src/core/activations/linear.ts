import { defineActivation, point } from './define';

export const definition = defineActivation({
  type: 'linear', position: 12, name: 'Linear (identity)', summary: 'No nonlinearity: the network is a linear map (a baseline).',
  formula: 'x', stochastic: false, params: {},
  point: (_spec, x) => point(x, 1),
});
