import type { DataSpec } from '../../core/config';
import { loadCifar10Folder } from './cifar10';
import { loadIdxFolderAsync } from './idx';
import { loadMnistPackage } from './mnist';
import { makeTeacherDataset } from './teacher';
import type { Dataset } from './types';

export type { Dataset } from './types';

/**
 * Loads and splits a dataset. `splitSeed` must be the same for every job of a config so that
 * arms are compared on the same train/test split (the loop passes deriveSeed(0, 'data-split')).
 */
export async function loadDataset(spec: DataSpec, splitSeed: number): Promise<Dataset> {
  switch (spec.dataset) {
    case 'mnist':
      return loadMnistPackage(spec.trainSize, spec.testSize, splitSeed);
    case 'idx':
      return loadIdxFolderAsync(spec.path, spec.trainSize, spec.testSize, splitSeed);
    case 'cifar10':
      return loadCifar10Folder(spec.path, spec.trainSize, spec.testSize, splitSeed);
    case 'teacher':
      return makeTeacherDataset(spec, splitSeed);
  }
}

/** Per-sample input size (product of the input shape). */
export function sampleSize(ds: Dataset): number {
  return ds.inputShape.reduce((a, b) => a * b, 1);
}
