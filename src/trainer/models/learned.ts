/**
 * The learnable expression parameters of a model, read back for the epoch event: per name, the
 * mean over layers (scalars, per "layer"), or the mean and range over every unit of every layer
 * (per "unit"). A few numbers per epoch: the read-back costs nothing next to the test pass.
 */
import type { LearnedParam } from '../../core/protocol';
import type { Model } from './types';

export async function learnedParams(model: Model): Promise<Record<string, LearnedParam> | undefined> {
  const byName = new Map<string, { perUnit: boolean; values: number[] }>();
  for (const layer of model.hiddenLayers) {
    for (const [name, v] of Object.entries(layer.activation.learnable ?? {})) {
      const entry = byName.get(name) ?? { perUnit: false, values: [] };
      entry.perUnit ||= v.rank > 0;
      entry.values.push(...(await v.data()));
      byName.set(name, entry);
    }
  }
  if (byName.size === 0) return undefined;
  const out: Record<string, LearnedParam> = {};
  for (const [name, { perUnit, values }] of byName) {
    const mean = values.reduce((s, x) => s + x, 0) / values.length;
    out[name] = perUnit ? { mean, min: Math.min(...values), max: Math.max(...values) } : mean;
  }
  return out;
}
