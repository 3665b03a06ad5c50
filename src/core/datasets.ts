/**
 * What core knows of each dataset before any file is read: the shape of one input and the
 * official split of the file formats with a fixed size. Validation and the run-time estimate
 * read it; the trainer's loaders check the files against it.
 */
import type { DatasetName } from './config';

/** One image: height × width × channels (NHWC, as the trainer's CNN takes it). */
export interface ImageShape { height: number; width: number; channels: number }

/**
 * CIFAR-10's binary version (Krizhevsky 2009, https://www.cs.toronto.edu/~kriz/cifar.html), the
 * folder `cifar-10-batches-bin`: five training batches and a test batch of 10,000 records each,
 * a record being one label byte (0–9) and 3,072 pixel bytes, the 1,024 red values of the 32×32
 * image row by row, then the green, then the blue.
 */
export const CIFAR10 = {
  side: 32,
  channels: 3,
  classes: 10,
  recordsPerFile: 10_000,
  trainFiles: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  testFile: 'test_batch.bin',
} as const;

/** 1 label byte + 32 · 32 · 3 pixel bytes. */
export const CIFAR10_RECORD_BYTES = 1 + CIFAR10.side * CIFAR10.side * CIFAR10.channels;

/** Images of MNIST and of the idx format (assumed MNIST-sized until the files are read). */
const MNIST_IMAGE: ImageShape = { height: 28, width: 28, channels: 1 };

/** The image shape of a dataset; undefined for the teacher task, whose inputs are vectors of d. */
export function imageShape(dataset: DatasetName): ImageShape | undefined {
  switch (dataset) {
    case 'mnist':
    case 'idx':
      return MNIST_IMAGE;
    case 'cifar10':
      return { height: CIFAR10.side, width: CIFAR10.side, channels: CIFAR10.channels };
    case 'teacher':
      return undefined;
  }
}

/** Values per input sample: h · w · c for images, d for the teacher task. */
export function inputSize(dataset: DatasetName, d = 0): number {
  const s = imageShape(dataset);
  return s ? s.height * s.width * s.channels : d;
}

/**
 * The most 3×3-conv + 2×2-pool blocks an image takes before it shrinks to nothing (each pool
 * halves the side, rounding down): 4 for 28×28, 5 for 32×32.
 */
export function maxConvBlocks(shape: ImageShape): number {
  let side = Math.min(shape.height, shape.width);
  let blocks = 0;
  while (Math.floor(side / 2) >= 1) { side = Math.floor(side / 2); blocks++; }
  return blocks;
}
