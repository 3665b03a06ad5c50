/**
 * Hover and completion text for the config words that are not activation types (the activation
 * catalog in src/core/catalog.ts covers those): schedule kinds and datasets. Plain text, so VS Code
 * hovers (which render no math) show it as written.
 */
import type { DatasetName, ScheduleKind } from '../core/config';

export interface WordDoc {
  summary: string;
  formula?: string;
}

export const SCHEDULE_DOCS: Readonly<Record<ScheduleKind, WordDoc>> = {
  constant: { summary: 'The same value throughout training.', formula: 'v(t) = start' },
  linear: { summary: 'Straight line from start to end over training.', formula: 'v(t) = start + (end − start)·t/T' },
  cosine: {
    summary: 'Cosine annealing from start to end: slow at both ends, fastest in the middle (the N-ReLU paper anneals σ this way).',
    formula: 'v(t) = end + ½(start − end)(1 + cos(π·t/T))',
  },
  exponential: { summary: 'Geometric interpolation from start to end (both > 0).', formula: 'v(t) = start·(end/start)^(t/T)' },
  step: { summary: 'Multiply by `factor` every `every` units of t.', formula: 'v(t) = start·factor^⌊t/every⌋' },
};

export const DATASET_DOCS: Readonly<Record<DatasetName, WordDoc>> = {
  mnist: { summary: 'Handwritten digits, 28×28 grey images in 10 classes (the 10,000 real MNIST digits shipped offline).' },
  idx: { summary: 'MNIST-format IDX files from a folder you name in `path` (e.g. the full MNIST or Fashion-MNIST).' },
  cifar10: { summary: 'CIFAR-10: 32×32 colour images in 10 classes, read from the `cifar-10-batches-bin` folder you name in `path` (not bundled, never downloaded).' },
  teacher: { summary: 'Synthetic regression: targets from a random one-hidden-layer teacher network (n samples of dimension d).' },
};

export function wordMarkdown(title: string, doc: WordDoc): string {
  return [`**${title}** — ${doc.summary}`, ...(doc.formula ? ['', `\`${doc.formula}\``, '', 't runs over epochs (or steps with `"per": "step"`), T is the last one.'] : [])].join('\n');
}
