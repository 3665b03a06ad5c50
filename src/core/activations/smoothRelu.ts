import { defineActivation, point } from './define';
import { smoothRelu, smoothReluDerivative, smoothReluProxy, smoothReluProxyDerivative } from './math';
import { SMOOTH_RELU } from '../papers';
import { sigmaParam } from './shared';

export const definition = defineActivation({
  type: 'smoothRelu', position: 15, name: 'Smoothed ReLU',
  summary: 'The expectation of max(0, z + σε): a deterministic smooth ReLU whose derivative is Φ(z/σ).',
  formula: 'z·Φ(z/σ) + σ·φ(z/σ)  (proxy: z·Φ(z/σ))',
  reference: SMOOTH_RELU.ref, stochastic: false,
  params: {
    sigma: sigmaParam('Smoothing width σ, a number or a schedule; σ → 0 recovers ReLU.', 0.1),
    proxy: {
      kind: 'boolean', default: false, sweepable: false,
      description: 'Use the proxy z·Φ(z/σ) instead of the full form z·Φ(z/σ) + σ·φ(z/σ).',
    },
  },
  readme: { formula: 'z·Φ(z/σ) + σ·φ(z/σ) = E[max(0, z + σε)]', params: '`sigma`, `proxy` (z·Φ(z/σ))' },
  point: (spec, x, sigma) => {
    const s = Math.max(0, sigma);
    return spec.proxy
      ? point(smoothReluProxy(x, s), smoothReluProxyDerivative(x, s))
      : point(smoothRelu(x, s), smoothReluDerivative(x, s));
  },
});
