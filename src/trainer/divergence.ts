/**
 * Watches a job's step losses for divergence (core/divergence.ts decides) and, when it happens,
 * names the hidden layers whose weights are no longer finite, for the jobEnd message.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { JobSpec } from '../core/config';
import { TRAINING_DEFAULTS } from '../core/defaults';
import { checkLoss, divergenceHint, divergenceMessage } from '../core/divergence';
import type { Model } from './models';

export class DivergenceWatch {
  private initial: number | undefined;
  private readonly factor: number;

  constructor(private readonly job: JobSpec) {
    this.factor = job.training.divergenceFactor ?? TRAINING_DEFAULTS.divergenceFactor;
  }

  /** The jobEnd message when `loss` (of global step `step`) shows divergence, else undefined. */
  async check(loss: number, epoch: number, step: number, model: Model): Promise<string | undefined> {
    const d = checkLoss(loss, this.initial, this.factor);
    if (Number.isFinite(loss)) this.initial ??= loss;
    if (!d) return undefined;
    return divergenceMessage(d, epoch, step, divergenceHint(this.job, await nonFiniteWeights(model)));
  }
}

/** "dense1 weights", … for every hidden layer holding a NaN or ±Infinity. */
async function nonFiniteWeights(model: Model): Promise<string[]> {
  const out: string[] = [];
  for (const layer of model.hiddenLayers) {
    const bad = tf.tidy(() => tf.any(tf.logicalNot(tf.isFinite(layer.weight))));
    const isBad = (await bad.data())[0] === 1;
    bad.dispose();
    if (isBad) out.push(`${layer.name} weights`);
  }
  return out;
}
