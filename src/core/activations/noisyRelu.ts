import { defineActivation } from './define';
import { Z95, normalCdf, normalPdf, smoothRelu } from './math';
import { NRELU, SMOOTH_RELU } from '../papers';
import { INFERENCE, sigmaParam, step } from './shared';

export const definition = defineActivation({
  type: 'noisyRelu', position: 14, name: 'Noisy ReLU (pre-activation noise)',
  summary: 'Noise added before the rectifier: max(0, x + ε); its mean is the smoothed ReLU.',
  formula: 'max(0, x + ε), ε ~ N(0, σ²)',
  reference: SMOOTH_RELU.ref, stochastic: true,
  params: { sigma: sigmaParam('Noise standard deviation σ, a number or a schedule.', NRELU.recommendedSigmaDefault), inference: INFERENCE },
  readme: { formula: 'max(0, x + ε) in training' },
  point: (spec, x, sigma) => {
    // max(0, x + ε): monotone in ε, so its quantiles are relu of the normal's.
    const s = Math.max(0, sigma);
    const mean = smoothRelu(x, s);
    const f = spec.inference === 'stochastic' ? mean : Math.max(0, x);
    // E[max(0, x + sε)²] = (x² + s²)Φ(x/s) + x·s·φ(x/s) (the truncated normal's second moment).
    const second = s > 0 ? (x * x + s * s) * normalCdf(x / s) + x * s * normalPdf(x / s) : Math.max(0, x) ** 2;
    const sd = Math.sqrt(Math.max(0, second - mean * mean));
    return { f, mean, lo: Math.max(0, x - Z95 * s), hi: Math.max(0, x + Z95 * s), sd, df: step(x) };
  },
});
