/**
 * Defaults for every optional field of a config, in one place: expansion fills them, the
 * schema shows them, the validator quotes them.
 */
import type { BackendChoice, DatasetName, InitName, LossName, NormName, OptimizerName } from './config';
import { CIFAR10 } from './datasets';
import { NRELU } from './papers';

/** Real MNIST digits shipped with the `mnist` package. */
export const MNIST_SIZE = 10_000;

export const DATA_DEFAULTS = {
  mnist: { trainSize: 8000, testSize: 2000 },
  /** idx files hold the full MNIST-format sets; the trainer takes at most what the files have. */
  idx: { trainSize: 60_000, testSize: 10_000 },
  /** The whole official split of cifar-10-batches-bin (5 training batches, 1 test batch). */
  cifar10: { trainSize: 5 * CIFAR10.recordsPerFile, testSize: CIFAR10.recordsPerFile },
  teacher: { n: 500, d: 20, width: 100, noise: 0, trainFraction: 0.8 },
} as const;

export const MODEL_DEFAULTS = {
  mlp: { hidden: [256, 128] },
  cnn: { conv: [16, 32], dense: [128] },
  init: 'he' as InitName,
  bias: true,
  norm: 'none' as NormName,
} as const;

export const TRAINING_DEFAULTS = {
  batchSize: 128,
  optimizer: 'adam' as OptimizerName,
  momentum: 0.9,
  seeds: [1],
  /** A job diverged when its loss exceeds this many times its first step's (core/divergence.ts); 0: off. */
  divergenceFactor: 1000,
} as const;

/** Adaptive optimizers like 1e-3; plain SGD needs a larger step to move in a few epochs. */
export const LEARNING_RATE_DEFAULTS: Readonly<Record<OptimizerName, number>> = {
  adam: 1e-3, rmsprop: 1e-3, sgd: 1e-2, momentum: 1e-2,
};

export const PROBE_DEFAULTS = {
  deadThreshold: NRELU.deadThreshold,
  every: 1,
  stepEventMs: 250,
} as const;

/**
 * The probe batch when `probes.samples` is left out: 1/16 of the training set, within
 * [256, 1000]. A stochastic activation's probe (N-ReLU, RReLU) is a forward pass of its own,
 * about a third of a training step per sample, so S samples cost ≈ S / (3 N) of an N-sample
 * epoch: 2.1 % at S = N/16 (2.5–2.9 % measured with the noise and read-back, where a fixed 1,000
 * cost 4.7–5.4 % of an 8,000-sample epoch; docs/PERFORMANCE.md). From 16,000 training samples
 * up (full MNIST) the batch is 1,000.
 */
export const PROBE_SAMPLES = { perTrainSample: 1 / 16, min: 256, max: 1000 } as const;

export function defaultProbeSamples(trainSize: number): number {
  const { perTrainSample, min, max } = PROBE_SAMPLES;
  return Math.max(min, Math.min(max, Math.round(trainSize * perTrainSample)));
}

/**
 * Training rows the clean (mask-off) training loss is measured on, each epoch of a masked job:
 * the first rows of the shuffled training split, so the same rows every epoch. 10,000 keeps the
 * pass under one test evaluation's cost on full MNIST.
 */
export const CLEAN_TRAIN_SAMPLES = 10_000;

export const BACKEND_DEFAULT: BackendChoice = 'auto';

/** Classification data → cross-entropy; the teacher task is regression → mean squared error. */
export function defaultLoss(dataset: DatasetName): LossName {
  return dataset === 'teacher' ? 'mse' : 'crossEntropy';
}

export function isClassification(dataset: DatasetName): boolean {
  return dataset !== 'teacher';
}

export function defaultLearningRate(optimizer: OptimizerName): number {
  return LEARNING_RATE_DEFAULTS[optimizer];
}

/**
 * How many samples a dataset has in all, train and test drawn from one pool; undefined where the
 * files hold separate official splits (idx, cifar10: see splitCapacity).
 */
export function datasetCapacity(dataset: DatasetName, n?: number): number | undefined {
  if (dataset === 'mnist') return MNIST_SIZE;
  if (dataset === 'teacher') return n ?? DATA_DEFAULTS.teacher.n;
  return undefined;
}

/** Training and test samples in a dataset's fixed official split files, where core knows them. */
export function splitCapacity(dataset: DatasetName): { trainSize: number; testSize: number } | undefined {
  return dataset === 'cifar10' ? DATA_DEFAULTS.cifar10 : undefined;
}

/**
 * Train/test sizes with defaults filled. A size the user left out takes what the other leaves,
 * capped at its default (mnist trainSize 9000 → testSize 1000).
 */
export function resolveSizes(dataset: DatasetName, trainSize?: number, testSize?: number, n?: number): { trainSize: number; testSize: number } {
  const capacity = datasetCapacity(dataset, n);
  let defTrain: number;
  let defTest: number;
  if (dataset === 'teacher') {
    const total = capacity ?? DATA_DEFAULTS.teacher.n;
    defTrain = Math.round(total * DATA_DEFAULTS.teacher.trainFraction);
    defTest = total - defTrain;
  } else {
    defTrain = DATA_DEFAULTS[dataset].trainSize;
    defTest = DATA_DEFAULTS[dataset].testSize;
  }
  if (capacity === undefined) return { trainSize: trainSize ?? defTrain, testSize: testSize ?? defTest };
  const train = trainSize ?? Math.max(0, Math.min(defTrain, capacity - (testSize ?? defTest)));
  const test = testSize ?? Math.max(0, Math.min(defTest, capacity - train));
  return { trainSize: train, testSize: test };
}
