import { defineActivation, point } from './define';
import { normalCdf, normalPdf } from './math';

export const definition = defineActivation({
  type: 'gelu', position: 5, name: 'GELU', summary: 'Gaussian error linear unit (exact erf form).',
  formula: 'x·Φ(x)', reference: 'arXiv 1606.08415', stochastic: false, params: {},
  point: (_spec, x) => {
    const c = normalCdf(x);
    return point(x * c, c + x * normalPdf(x));
  },
});
