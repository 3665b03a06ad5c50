import type { Diagnostic } from '../diagnostics';
import { defineActivation, point } from './define';
import { RRELU } from '../papers';
import { leavesOrDefault } from './shared';

export const definition = defineActivation({
  type: 'rrelu', position: 4, name: 'RReLU',
  summary: 'Randomized leaky ReLU: a random slope ~ U(lower, upper) per element in training, the mean slope at inference.',
  formula: 'x if x > 0 else a·x, a ~ U(lower, upper) in training, (lower+upper)/2 at inference',
  reference: RRELU.ref, stochastic: true,
  params: {
    lower: { kind: 'number', default: RRELU.lower, min: 0, max: 1, sweepable: true, description: 'Lower bound l of the slope distribution (≤ upper).' },
    upper: { kind: 'number', default: RRELU.upper, min: 0, max: 1, sweepable: true, description: 'Upper bound u of the slope distribution (≥ lower).' },
  },
  readme: { formula: 'slope ~ U(l, u) per element in training, (l+u)/2 at inference', params: '`lower` (1/8), `upper` (1/3)' },
  point: (spec, x) => {
    const m = (spec.lower + spec.upper) / 2;
    if (x > 0) return point(x, 1);
    // slope ~ U(l, u): a·x is uniform between l·x and u·x
    const q05 = (spec.lower + 0.05 * (spec.upper - spec.lower)) * x;
    const q95 = (spec.lower + 0.95 * (spec.upper - spec.lower)) * x;
    // The sd of a uniform slope on [l, u] is (u − l)/√12, scaled by |x|.
    return { f: m * x, mean: m * x, lo: Math.min(q05, q95), hi: Math.max(q05, q95), sd: (Math.abs(x) * (spec.upper - spec.lower)) / Math.sqrt(12), df: m };
  },
  // Equal bounds are a fixed slope: training and inference agree.
  trainsStochastically: (spec) => spec.lower !== spec.upper,
  negativeSlope: (spec) => (spec.lower + spec.upper) / 2,
  checks: ({ doc, entry: a, base, name, leaves, round }) => {
    const out: Diagnostic[] = [];
    const lower = leaves('lower');
    const upper = leaves('upper');
    // A bound of the wrong shape is a structural error already; comparing with the default would mislead.
    if ((a.lower !== undefined && !lower.length) || (a.upper !== undefined && !upper.length)) return out;
    const lo = leavesOrDefault(lower, [...base, 'lower'], RRELU.lower);
    const up = leavesOrDefault(upper, [...base, 'upper'], RRELU.upper);
    const minUpper = Math.min(...up.map((u) => u.value));
    for (const l of lo) {
      if (l.value <= minUpper) continue;
      const plain = typeof a.lower === 'number' && typeof a.upper === 'number';
      const where = lower.length ? l.path : up[0].path;
      out.push({
        severity: 'error', code: 'rrelu-bounds', path: where, range: doc.valueRange(where),
        message: `rrelu needs lower ≤ upper (the slope is drawn from U(lower, upper)), but ${name} has lower ${round(l.value)} > upper ${round(minUpper)}${
          plain ? '; swap them.' : upper.length ? '; every swept combination must keep lower ≤ upper.' : ` (the default); give "upper" ≥ ${round(l.value)}.`}`,
        ...(plain ? { fixes: [{ title: 'Swap lower and upper', edits: doc.swapValues([...base, 'lower'], [...base, 'upper']), preferred: true }] } : {}),
      });
    }
    return out;
  },
});
