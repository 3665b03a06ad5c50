import { defineActivation, point } from './define';
import { sigmoid } from './math';

export const definition = defineActivation({
  type: 'sigmoid', position: 10, name: 'Sigmoid', summary: 'Logistic sigmoid.', formula: '1 / (1 + exp(−x))', stochastic: false, params: {},
  point: (_spec, x) => {
    const s = sigmoid(x);
    return point(s, s * (1 - s));
  },
});
