/**
 * When a job's training has diverged, and what to say about it. A loss that is not finite has
 * diverged; so has one that stays finite but grows past `factor` × the first step's loss (SGD at
 * lr 10⁴ reached 1.7e19, then fell back to 4,681 with every unit dead, and used to count as
 * completed). The message names what diverged and the likeliest cause in this job's settings,
 * rather than always the learning rate.
 */
import type { JobSpec } from './config';
import { defaultLearningRate } from './defaults';
import { activationDef, learnableParamNames } from './activations';

export interface Divergence {
  /** What diverged, in words: "the training loss is NaN" / "… rose to 1.7e+19, 1000× its initial 2.30". */
  what: string;
}

/** 3 significant digits; exponents from 10⁵ up ("1.7e+19", "1e+6"). */
const g = (x: number): string => {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1e5) return x.toExponential(1).replace('.0e', 'e');
  return Number(x.toPrecision(3)).toString();
};

/** The divergence `loss` shows, given the first step's loss; undefined while training is sound. */
export function checkLoss(loss: number, initial: number | undefined, factor: number): Divergence | undefined {
  if (!Number.isFinite(loss)) return { what: `the training loss is ${loss}` };
  // A factor of 0 turns the check off; an initial loss of 0 has nothing to be a multiple of.
  if (factor > 0 && initial !== undefined && initial > 0 && loss > factor * initial) {
    return { what: `the training loss rose to ${g(loss)}, over ${factor}× its initial ${g(initial)} (training.divergenceFactor)` };
  }
  return undefined;
}

/** The likeliest cause among the job's own settings, as advice. */
export function divergenceHint(job: Pick<JobSpec, 'training' | 'activation'>, nonFinite: readonly string[]): string {
  const { optimizer, learningRate } = job.training;
  const def = defaultLearningRate(optimizer);
  const parts: string[] = [];
  if (nonFinite.length) parts.push(`not finite: ${nonFinite.join(', ')}`);
  if (learningRate >= 10 * def) {
    parts.push(`the learning rate ${g(learningRate)} is ${g(learningRate / def)}× ${optimizer}'s default ${def}: try ${def}`);
  } else {
    const params = activationDef(job.activation.type).params;
    const spec = job.activation as unknown as Record<string, unknown>;
    const learned = [
      ...Object.entries(params).filter(([k, p]) => p.kind === 'number' && p.learnable && typeof spec[k] === 'number').map(([k]) => k),
      ...learnableParamNames(job.activation),
    ];
    if (learned.length) parts.push(`the ${job.activation.type} parameter${learned.length > 1 ? 's' : ''} ${learned.join(', ')} ${learned.length > 1 ? 'are' : 'is'} learned with the weights and can run away: try a smaller learning rate than ${g(learningRate)}`);
    else parts.push(`the learning rate ${g(learningRate)} is within 10× ${optimizer}'s default ${def}, so look at the activation (${job.activation.type}), the initialisation and the loss scale first`);
  }
  return parts.join('; ');
}

/** The jobEnd message of a diverged job. */
export function divergenceMessage(d: Divergence, epoch: number, step: number, hint: string): string {
  return `${d.what} at epoch ${epoch}, step ${step}; ${hint}`;
}
