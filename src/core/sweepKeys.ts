/**
 * Sweeps outside the activation entries, by their short names in arm ids (in this order): the
 * training's, then the model's width and depth and the data's size. An expression parameter may
 * not take one of these names (src/core/expr/checks.ts): arm ids would name two sweeps alike.
 */
export const TRAINING_SWEEP_KEYS = {
  lr: 'training.learningRate', batch: 'training.batchSize', kappa: 'data.inputNoise.kappa',
  hidden: 'model.hidden', trainSize: 'data.trainSize', n: 'data.n',
} as const;
