/**
 * The activation catalog: one entry per ActivationType. Editor hovers, completions, the JSON
 * schema's descriptions and the validator's messages all read this, so a parameter's range or
 * default is stated once.
 */
import { ACTIVATION_TYPES, type ActivationType } from './config';
import { ELU, LEAKY, NEGATIVE_ALPHA, NRELU, PRELU, RRELU, SELU, SMOOTH_RELU } from './papers';

/** The type-specific keys an activation entry may carry (besides id, type, label). */
export const ACTIVATION_PARAM_NAMES = ['alpha', 'rescale', 'lower', 'upper', 'init', 'sigma', 'inference', 'proxy'] as const;
export type ActivationParamName = (typeof ACTIVATION_PARAM_NAMES)[number];

/**
 * number: a plain number (sweepable); schedule: a number or a schedule over training (sweepable);
 * boolean / enum: fixed per entry.
 */
export type ParamKind = 'number' | 'schedule' | 'boolean' | 'enum';

export interface ParamInfo {
  name: ActivationParamName;
  kind: ParamKind;
  default: number | boolean | string;
  /** Valid range (numbers); absent = unbounded on that side. */
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  /** Where the papers (or common practice) say it works well; outside it is allowed. */
  recommended?: readonly [number, number];
  /** enum values. */
  values?: readonly string[];
  /** May be given as `{ "sweep": [...] }`. */
  sweepable: boolean;
  description: string;
}

export interface ActivationInfo {
  type: ActivationType;
  name: string;
  summary: string;
  formula: string;
  formulaMarkdown: string;
  reference?: string;
  /** Samples noise in training (the forward pass differs between calls). */
  stochastic: boolean;
  params: ParamInfo[];
}

const sigmaParam = (description: string, def: number, recommended?: readonly [number, number]): ParamInfo => ({
  name: 'sigma', kind: 'schedule', default: def, min: 0, recommended, sweepable: true, description,
});

const inferenceParam: ParamInfo = {
  name: 'inference', kind: 'enum', default: 'deterministic', values: ['deterministic', 'stochastic'], sweepable: false,
  description: 'Evaluation mode: "deterministic" uses the expectation (no noise); "stochastic" keeps sampling noise at test time.',
};

const rescaleParam: ParamInfo = {
  name: 'rescale', kind: 'boolean', default: false, sweepable: false,
  description: 'Multiply the output by √(2/(1+α²)) so the forward variance matches ReLU under He init (arXiv 2402.11942).',
};

const noParams: ParamInfo[] = [];

// VS Code hovers render no math, so the markdown form is the plain formula in a code span.
function entry(info: Omit<ActivationInfo, 'params' | 'formulaMarkdown'> & { params?: ParamInfo[] }): ActivationInfo {
  return { ...info, formulaMarkdown: `\`f(x) = ${info.formula}\``, params: info.params ?? noParams };
}

export const CATALOG: Readonly<Record<ActivationType, ActivationInfo>> = {
  relu: entry({
    type: 'relu', name: 'ReLU', summary: 'Rectified linear unit: passes positive inputs, zeroes the rest.',
    formula: 'max(0, x)', stochastic: false,
  }),
  leakyRelu: entry({
    type: 'leakyRelu', name: 'Leaky ReLU', summary: 'ReLU with slope α for negative inputs; α may be negative (α = −1 gives |x|).',
    formula: 'x if x > 0 else α·x', reference: LEAKY.ref, stochastic: false,
    params: [
      {
        name: 'alpha', kind: 'number', default: LEAKY.alpha, recommended: [0.01, 0.3], sweepable: true,
        description: `Slope for x ≤ 0. ${LEAKY.alpha} is the common default; α = 1 is linear; negative α (down to ${NEGATIVE_ALPHA.bestAlpha} = |x|) speeds up training of overparameterized nets (${NEGATIVE_ALPHA.ref}).`,
      },
      rescaleParam,
    ],
  }),
  abs: entry({
    type: 'abs', name: 'Absolute value', summary: 'The absolute value, Leaky ReLU with α = −1.',
    formula: '|x|', reference: NEGATIVE_ALPHA.ref, stochastic: false, params: [rescaleParam],
  }),
  prelu: entry({
    type: 'prelu', name: 'PReLU', summary: 'Leaky ReLU with a learnable slope per unit.',
    formula: 'x if x > 0 else a·x, a learned per unit',
    reference: PRELU.ref, stochastic: false,
    params: [{
      name: 'init', kind: 'number', default: PRELU.init, recommended: [0, 0.5], sweepable: true,
      description: `Initial slope of every unit (${PRELU.ref} uses ${PRELU.init}).`,
    }],
  }),
  rrelu: entry({
    type: 'rrelu', name: 'RReLU', summary: 'Randomized leaky ReLU: a random slope ~ U(lower, upper) per element in training, the mean slope at inference.',
    formula: 'x if x > 0 else a·x, a ~ U(lower, upper) in training, (lower+upper)/2 at inference',
    reference: RRELU.ref, stochastic: true,
    params: [
      { name: 'lower', kind: 'number', default: RRELU.lower, min: 0, max: 1, sweepable: true, description: 'Lower bound l of the slope distribution (≤ upper).' },
      { name: 'upper', kind: 'number', default: RRELU.upper, min: 0, max: 1, sweepable: true, description: 'Upper bound u of the slope distribution (≥ lower).' },
    ],
  }),
  gelu: entry({
    type: 'gelu', name: 'GELU', summary: 'Gaussian error linear unit (exact erf form).',
    formula: 'x·Φ(x)', reference: 'arXiv 1606.08415', stochastic: false,
  }),
  elu: entry({
    type: 'elu', name: 'ELU', summary: 'Exponential linear unit: smooth, saturates to −α for negative inputs.',
    formula: 'x if x > 0 else α·(exp(x) − 1)', reference: ELU.ref, stochastic: false,
    params: [{ name: 'alpha', kind: 'number', default: ELU.alpha, min: 0, recommended: [0.1, 1], sweepable: true, description: 'Saturation value −α for very negative inputs.' }],
  }),
  selu: entry({
    type: 'selu', name: 'SELU', summary: 'Scaled ELU with the self-normalizing constants.',
    formula: `λ·(x if x > 0 else α·(exp(x) − 1)), λ ≈ ${SELU.scale.toFixed(4)}, α ≈ ${SELU.alpha.toFixed(4)}`,
    reference: SELU.ref, stochastic: false,
  }),
  silu: entry({
    type: 'silu', name: 'SiLU (swish)', summary: 'Sigmoid-weighted linear unit.',
    formula: 'x·sigmoid(x)', reference: 'arXiv 1702.03118', stochastic: false,
  }),
  tanh: entry({
    type: 'tanh', name: 'tanh', summary: 'Hyperbolic tangent.', formula: 'tanh(x)', stochastic: false,
  }),
  sigmoid: entry({
    type: 'sigmoid', name: 'Sigmoid', summary: 'Logistic sigmoid.', formula: '1 / (1 + exp(−x))', stochastic: false,
  }),
  softplus: entry({
    type: 'softplus', name: 'Softplus', summary: 'Smooth approximation of ReLU.', formula: 'log(1 + exp(x))', stochastic: false,
  }),
  linear: entry({
    type: 'linear', name: 'Linear (identity)', summary: 'No nonlinearity: the network is a linear map (a baseline).',
    formula: 'x', stochastic: false,
  }),
  nrelu: entry({
    type: 'nrelu', name: 'N-ReLU', summary: 'Noisy ReLU: Gaussian noise replaces the zero output for x ≤ 0 in training; the mean is ReLU, so dead units keep a learning signal.',
    formula: 'x if x > 0 else ε, ε ~ N(0, σ²); gradient 1[x > 0]',
    reference: NRELU.ref, stochastic: true,
    params: [
      sigmaParam(
        `Noise standard deviation σ, a number or a schedule (e.g. cosine from 0.2 to 0). Recommended ${NRELU.recommendedSigma[0]}–${NRELU.recommendedSigma[1]}; above ${NRELU.degradeAboveSigma} accuracy degrades (${NRELU.ref}).`,
        NRELU.recommendedSigmaDefault, NRELU.recommendedSigma,
      ),
      inferenceParam,
    ],
  }),
  noisyRelu: entry({
    type: 'noisyRelu', name: 'Noisy ReLU (pre-activation noise)', summary: 'Noise added before the rectifier: max(0, x + ε); its mean is the smoothed ReLU.',
    formula: 'max(0, x + ε), ε ~ N(0, σ²)',
    reference: SMOOTH_RELU.ref, stochastic: true,
    params: [sigmaParam('Noise standard deviation σ, a number or a schedule.', NRELU.recommendedSigmaDefault), inferenceParam],
  }),
  smoothRelu: entry({
    type: 'smoothRelu', name: 'Smoothed ReLU', summary: 'The expectation of max(0, z + σε): a deterministic smooth ReLU whose derivative is Φ(z/σ).',
    formula: 'z·Φ(z/σ) + σ·φ(z/σ)  (proxy: z·Φ(z/σ))',
    reference: SMOOTH_RELU.ref, stochastic: false,
    params: [
      sigmaParam('Smoothing width σ, a number or a schedule; σ → 0 recovers ReLU.', 0.1),
      {
        name: 'proxy', kind: 'boolean', default: false, sweepable: false,
        description: 'Use the proxy z·Φ(z/σ) instead of the full form z·Φ(z/σ) + σ·φ(z/σ).',
      },
    ],
  }),
};

export function activationInfo(type: ActivationType): ActivationInfo {
  return CATALOG[type];
}

export function paramInfo(type: ActivationType, name: string): ParamInfo | undefined {
  return CATALOG[type].params.find((p) => p.name === name);
}

export function isActivationType(value: unknown): value is ActivationType {
  return typeof value === 'string' && (ACTIVATION_TYPES as readonly string[]).includes(value);
}

/** Types that accept `name` as a parameter. */
export function typesWithParam(name: string): ActivationType[] {
  return ACTIVATION_TYPES.filter((t) => CATALOG[t].params.some((p) => p.name === name));
}

/** "min ≤ v ≤ max" style text, or undefined when unbounded. */
export function rangeText(p: Pick<ParamInfo, 'min' | 'max' | 'exclusiveMin' | 'exclusiveMax'>): string | undefined {
  const lo = p.min === undefined ? '' : `${p.min} ${p.exclusiveMin ? '<' : '≤'} `;
  const hi = p.max === undefined ? '' : ` ${p.exclusiveMax ? '<' : '≤'} ${p.max}`;
  return lo || hi ? `${lo}value${hi}` : undefined;
}

/** Markdown for a parameter (hovers, schema). */
export function paramMarkdown(p: ParamInfo): string {
  const parts = [p.description, '', `Default: \`${JSON.stringify(p.default)}\``];
  const range = rangeText(p);
  if (range) parts.push(`Valid: ${range}`);
  if (p.recommended) parts.push(`Recommended: ${p.recommended[0]}–${p.recommended[1]}`);
  if (p.values) parts.push(`One of: ${p.values.map((v) => `\`${v}\``).join(', ')}`);
  if (p.sweepable) parts.push(p.kind === 'schedule'
    ? 'May be a schedule `{ "schedule": "cosine", "start": 0.2, "end": 0 }` or a sweep `{ "sweep": [...] }`.'
    : 'May be a sweep `{ "sweep": [...] }`.');
  return parts.join('  \n');
}

/** Markdown for an activation type (hovers, schema enum descriptions). */
export function activationMarkdown(type: ActivationType): string {
  const a = CATALOG[type];
  const lines = [`**${a.name}** — ${a.summary}`, '', a.formulaMarkdown];
  if (a.reference) lines.push('', `Reference: ${a.reference}`);
  if (a.stochastic) lines.push('', 'Stochastic in training.');
  if (a.params.length) {
    lines.push('', 'Parameters:');
    for (const p of a.params) lines.push(`- \`${p.name}\` (default \`${JSON.stringify(p.default)}\`): ${p.description}`);
  }
  return lines.join('\n');
}
