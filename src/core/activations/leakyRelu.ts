import type { Diagnostic } from '../diagnostics';
import { defineActivation } from './define';
import { LEAKY, NEGATIVE_ALPHA } from '../papers';
import { RESCALE, leakyPoint } from './shared';

export const definition = defineActivation({
  type: 'leakyRelu', position: 1, name: 'Leaky ReLU',
  summary: 'ReLU with slope α for negative inputs; α may be negative (α = −1 gives |x|).',
  formula: 'x if x > 0 else α·x', reference: LEAKY.ref, stochastic: false,
  params: {
    alpha: {
      kind: 'number', default: LEAKY.alpha, recommended: [0.01, 0.3], sweepable: true, symbol: 'α',
      description: `Slope for x ≤ 0. ${LEAKY.alpha} is the common default; α = 1 is linear; negative α (down to ${NEGATIVE_ALPHA.bestAlpha} = |x|) speeds up training of overparameterized nets (${NEGATIVE_ALPHA.ref}).`,
    },
    rescale: RESCALE,
  },
  readme: { formula: 'x if x > 0 else αx', params: '`alpha` (may be negative; −1 is \\|x\\|), `rescale` (× √(2/(1+α²)))' },
  snippets: [{ label: 'leakyRelu', body: { id: 'leaky', type: 'leakyRelu', alpha: 0.01 } }],
  point: (spec, x) => leakyPoint(spec.alpha, spec.rescale, x),
  negativeSlope: (spec) => spec.alpha,
  checks: ({ doc, entry, name, leaves }) => {
    const out: Diagnostic[] = [];
    for (const leaf of leaves('alpha')) {
      if (leaf.value === 1) {
        out.push({
          severity: 'warning', code: 'alpha-linear', path: leaf.path, range: doc.valueRange(leaf.path),
          message: `α = 1 makes leakyRelu the identity, so the network of ${name} is linear; use α < 1 (e.g. ${LEAKY.alpha}), or type "linear" for a linear baseline.`,
        });
      } else if (leaf.value === NEGATIVE_ALPHA.bestAlpha) {
        const rescale = entry.rescale === true;
        out.push({
          severity: 'info', code: 'alpha-abs', path: leaf.path, range: doc.valueRange(leaf.path),
          message: `α = −1 makes leakyRelu the absolute value |x| (${NEGATIVE_ALPHA.ref}); rescale is ${rescale ? 'on (its factor √(2/(1+α²)) is 1 at α = −1)' : 'off'}.`,
        });
      }
    }
    return out;
  },
});
