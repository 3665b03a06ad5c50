import type { Diagnostic } from '../diagnostics';
import { defineActivation, point } from './define';
import { Z95 } from './math';
import { NRELU } from '../papers';
import { INFERENCE, sigmaParam, step } from './shared';

export const definition = defineActivation({
  type: 'nrelu', position: 13, name: 'N-ReLU',
  summary: 'Noisy ReLU: Gaussian noise replaces the zero output for x ≤ 0 in training; the mean is ReLU, so dead units keep a learning signal.',
  formula: 'x if x > 0 else ε, ε ~ N(0, σ²); gradient 1[x > 0]',
  reference: NRELU.ref, stochastic: true,
  params: {
    sigma: sigmaParam(
      `Noise standard deviation σ, a number or a schedule (e.g. cosine from 0.2 to 0). Recommended ${NRELU.recommendedSigma[0]}–${NRELU.recommendedSigma[1]}; above ${NRELU.degradeAboveSigma} accuracy degrades (${NRELU.ref}).`,
      NRELU.recommendedSigmaDefault, NRELU.recommendedSigma,
    ),
    inference: INFERENCE,
  },
  readme: { formula: 'x if x > 0 else ε, ε ~ N(0, σ²) in training; gradient 1[x > 0]', params: '`sigma`, `inference`: `deterministic` (relu) or `stochastic`' },
  snippets: [
    { label: 'nrelu', description: 'N-ReLU with σ = 0.05', body: { id: 'nrelu', type: 'nrelu', sigma: 0.05 } },
    { label: 'nrelu (cosine σ)', body: { id: 'nrelu-cos', type: 'nrelu', sigma: { schedule: 'cosine', start: 0.2, end: 0 } } },
  ],
  point: (_spec, x, sigma) => {
    // x > 0: x; x ≤ 0: ε ~ N(0, σ²). E = relu(x) either way.
    const s = Math.max(0, sigma);
    if (x > 0) return point(x, 1);
    return { f: 0, mean: 0, lo: -Z95 * s, hi: Z95 * s, sd: s, df: step(x) };
  },
  checks: ({ doc, name, leaves }) => {
    const out: Diagnostic[] = [];
    for (const leaf of leaves('sigma')) {
      if (leaf.value <= NRELU.degradeAboveSigma) continue;
      const what = leaf.role === 'value' ? 'σ' : `σ ${leaf.role}`;
      out.push({
        severity: 'warning', code: 'sigma-high', path: leaf.path, range: doc.valueRange(leaf.path),
        message: `${what} = ${leaf.value} in ${name} is above ${NRELU.degradeAboveSigma}: N-ReLU accuracy degrades at such noise (${NRELU.ref}); ${NRELU.recommendedSigma[0]}–${NRELU.recommendedSigma[1]} is recommended.`,
      });
    }
    return out;
  },
});
