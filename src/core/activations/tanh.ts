import { defineActivation, point } from './define';

export const definition = defineActivation({
  type: 'tanh', position: 9, name: 'tanh', summary: 'Hyperbolic tangent.', formula: 'tanh(x)', stochastic: false, params: {},
  point: (_spec, x) => {
    const t = Math.tanh(x);
    return point(t, 1 - t * t);
  },
});
