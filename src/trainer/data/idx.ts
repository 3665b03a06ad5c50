/**
 * IDX files (the MNIST / Fashion-MNIST format): a big-endian header — magic 0x0000080N
 * (0x08 = unsigned bytes, N = number of dimensions), N uint32 sizes — then the raw bytes.
 * Hand-rolled: the format is ~20 lines and no maintained npm reader exists for Node buffers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { mulberry32, permutation } from '../../core/random';
import type { Dataset } from './types';
import { checkSize, gatherLabels } from './split';

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

export interface IdxArray { dims: number[]; data: Uint8Array }

/** Parses an IDX buffer (gzip-compressed or plain), checking magic and size. */
export function parseIdx(buf: Uint8Array, expectedMagic: number, name = 'IDX file'): IdxArray {
  let bytes = buf;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new Error(`${name}: gzip data is corrupt or truncated (${(e as Error).message})`);
    }
  }
  if (bytes.length < 4) throw new Error(`${name}: too short for an IDX header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    throw new Error(`${name}: bad magic 0x${magic.toString(16).padStart(8, '0')} (expected 0x${expectedMagic.toString(16).padStart(8, '0')})`);
  }
  const rank = magic & 0xff;
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw new Error(`${name}: truncated header (${bytes.length} of ${headerBytes} bytes)`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerBytes;
  if (actual < expected) throw new Error(`${name}: truncated: header [${dims.join('×')}] needs ${expected} data bytes, found ${actual}`);
  if (actual > expected) throw new Error(`${name}: size mismatch: header [${dims.join('×')}] needs ${expected} data bytes, found ${actual}`);
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Finds `<split>-<kind>-idxN-ubyte` or the dotted `<split>-<kind>.idxN-ubyte`, plain or .gz. */
export function findIdxFile(folder: string, split: 'train' | 't10k', kind: 'images' | 'labels'): string {
  const rank = kind === 'images' ? 3 : 1;
  const names = [`${split}-${kind}-idx${rank}-ubyte`, `${split}-${kind}.idx${rank}-ubyte`];
  const candidates = names.flatMap((n) => [n, `${n}.gz`]).map((n) => join(folder, n));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`IDX folder ${folder}: none of ${names.map((n) => `${n}[.gz]`).join(', ')} found`);
  return found;
}

interface IdxSplit { pixels: Uint8Array; y: Uint8Array; count: number; rows: number; cols: number }

/** Rows `order[0..count)` as floats in [0, 1]; only the taken rows are converted (60,000 would be 188 MB). */
function gatherPixels(s: IdxSplit, order: ArrayLike<number>, count: number): Float32Array {
  const size = s.rows * s.cols;
  const out = new Float32Array(count * size);
  for (let i = 0; i < count; i++) {
    const from = order[i]! * size;
    for (let p = 0; p < size; p++) out[i * size + p] = s.pixels[from + p]! / 255;
  }
  return out;
}

function readSplit(folder: string, split: 'train' | 't10k'): IdxSplit {
  const imagesPath = findIdxFile(folder, split, 'images');
  const labelsPath = findIdxFile(folder, split, 'labels');
  const images = parseIdx(readFileSync(imagesPath), IDX_IMAGES_MAGIC, imagesPath);
  const labels = parseIdx(readFileSync(labelsPath), IDX_LABELS_MAGIC, labelsPath);
  const [count, rows, cols] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) throw new Error(`${labelsPath}: ${labels.dims[0]} labels for ${count} images in ${imagesPath}`);
  return { pixels: images.data, y: labels.data, count, rows, cols };
}

/** Official train/test split; each side shuffled with the seed, then its first N taken. */
export function loadIdxFolder(folder: string, trainSize: number, testSize: number, splitSeed: number): Dataset {
  const train = readSplit(folder, 'train');
  const test = readSplit(folder, 't10k');
  if (train.rows !== test.rows || train.cols !== test.cols) {
    throw new Error(`IDX folder ${folder}: train images are ${train.rows}×${train.cols}, test images ${test.rows}×${test.cols}`);
  }
  checkSize('trainSize', trainSize, train.count, 'images in the IDX train set');
  checkSize('testSize', testSize, test.count, 'images in the IDX test set');
  const rng = mulberry32(splitSeed);
  const trainOrder = permutation(train.count, rng);
  const testOrder = permutation(test.count, rng);
  let maxLabel = 0;
  for (const y of [train.y, test.y]) for (let i = 0; i < y.length; i++) maxLabel = Math.max(maxLabel, y[i]!);
  return {
    kind: 'classification',
    inputShape: [train.rows, train.cols, 1],
    outputs: Math.max(maxLabel + 1, 2),
    trainSize,
    testSize,
    xTrain: gatherPixels(train, trainOrder, trainSize),
    yTrain: gatherLabels(train.y, trainOrder, 0, trainSize),
    xTest: gatherPixels(test, testOrder, testSize),
    yTest: gatherLabels(test.y, testOrder, 0, testSize),
  };
}
