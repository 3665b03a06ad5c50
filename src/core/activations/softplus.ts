import { defineActivation, point } from './define';
import { sigmoid, softplus } from './math';

export const definition = defineActivation({
  type: 'softplus', position: 11, name: 'Softplus', summary: 'Smooth approximation of ReLU.', formula: 'log(1 + exp(x))', stochastic: false, params: {},
  point: (_spec, x) => point(softplus(x), sigmoid(x)),
});
