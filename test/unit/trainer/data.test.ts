import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadDataset } from '../../../src/trainer/data';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, MAX_IDX_BYTES, loadIdxFolder, loadIdxFolderAsync, parseIdx, readIdxFile } from '../../../src/trainer/data/idx';
import { maskInputs } from '../../../src/trainer/masking';
import type { Dataset } from '../../../src/trainer/data/types';
import { teacherData } from '../../fixtures/trainer/jobs';

// --- IDX ------------------------------------------------------------------------------------

function idx(magic: number, dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

/** n images of rows×cols whose every pixel is 10·label + 1, so a row identifies its label. */
function imagesFor(labels: number[], rows: number, cols: number): Buffer {
  const data = new Uint8Array(labels.length * rows * cols);
  labels.forEach((l, i) => data.fill(10 * l + 1, i * rows * cols, (i + 1) * rows * cols));
  return idx(IDX_IMAGES_MAGIC, [labels.length, rows, cols], data);
}

function writeIdxFolder(gz: boolean, dotted = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'actlab-idx-'));
  const trainLabels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 3, 3];
  const testLabels = [9, 8, 7, 1, 2];
  const files: Record<string, Buffer> = {
    [dotted ? 'train-images.idx3-ubyte' : 'train-images-idx3-ubyte']: imagesFor(trainLabels, 4, 3),
    [dotted ? 'train-labels.idx1-ubyte' : 'train-labels-idx1-ubyte']: idx(IDX_LABELS_MAGIC, [trainLabels.length], Uint8Array.from(trainLabels)),
    't10k-images-idx3-ubyte': imagesFor(testLabels, 4, 3),
    't10k-labels-idx1-ubyte': idx(IDX_LABELS_MAGIC, [testLabels.length], Uint8Array.from(testLabels)),
  };
  for (const [name, buf] of Object.entries(files)) writeFileSync(join(dir, gz ? `${name}.gz` : name), gz ? gzipSync(buf) : buf);
  return dir;
}

function checkLabelsMatchImages(ds: Dataset): void {
  const size = ds.inputShape.reduce((a, b) => a * b, 1);
  for (const [x, y, n] of [[ds.xTrain, ds.yTrain, ds.trainSize], [ds.xTest, ds.yTest, ds.testSize]] as const) {
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < size; p++) assert.ok(Math.abs(x[i * size + p]! - (10 * y[i]! + 1) / 255) < 1e-6, `sample ${i} pixel ${p}`);
    }
  }
}

for (const gz of [false, true]) {
  test(`IDX folder (${gz ? 'gzip' : 'plain'}): official split, seeded shuffle, pixels / 255`, () => {
    const dir = writeIdxFolder(gz);
    try {
      const ds = loadIdxFolder(dir, 10, 4, 7);
      assert.deepEqual(ds.inputShape, [4, 3, 1]);
      assert.equal(ds.kind, 'classification');
      assert.equal(ds.outputs, 10);
      assert.equal(ds.xTrain.length, 10 * 12);
      assert.equal(ds.yTest.length, 4);
      checkLabelsMatchImages(ds);
      // Test samples come from the t10k files only (labels 9, 8, 7, 1, 2).
      for (const y of ds.yTest) assert.ok([9, 8, 7, 1, 2].includes(y));
      assert.deepEqual(loadIdxFolder(dir, 10, 4, 7).yTrain, ds.yTrain, 'same seed, same order');
      assert.notDeepEqual(loadIdxFolder(dir, 12, 5, 8).yTrain.slice(0, 10), ds.yTrain, 'another seed shuffles differently');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
}

test('IDX folder accepts the dotted file names and reports missing files and oversized requests', () => {
  const dir = writeIdxFolder(false, true);
  try {
    assert.equal(loadIdxFolder(dir, 12, 5, 1).trainSize, 12);
    assert.throws(() => loadIdxFolder(dir, 13, 5, 1), /^Error: trainSize 13 exceeds the 12 images in the IDX train set; set "data.trainSize" to at most 12$/);
    // The default (the config left trainSize out): said so, not quoted as the user's number.
    assert.throws(() => loadIdxFolder(dir, 60_000, 5, 1), /trainSize 60000 \(the default when data.trainSize is left out\) exceeds the 12 images/);
    assert.throws(() => loadIdxFolder(join(dir, 'nope'), 1, 1, 1), /train-images-idx3-ubyte\[\.gz\]/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('parseIdx rejects bad magic, truncation and trailing bytes', () => {
  const good = imagesFor([1, 2], 2, 2);
  assert.deepEqual(parseIdx(good, IDX_IMAGES_MAGIC).dims, [2, 2, 2]);
  assert.throws(() => parseIdx(good, IDX_LABELS_MAGIC, 'x'), /x: bad magic 0x00000803 \(expected 0x00000801\)/);
  assert.throws(() => parseIdx(good.subarray(0, good.length - 1), IDX_IMAGES_MAGIC), /truncated: header \[2×2×2\] needs 8 data bytes, found 7/);
  assert.throws(() => parseIdx(good.subarray(0, 10), IDX_IMAGES_MAGIC), /truncated header/);
  assert.throws(() => parseIdx(Buffer.concat([good, Buffer.from([0])]), IDX_IMAGES_MAGIC), /size mismatch/);
  assert.throws(() => parseIdx(gzipSync(good).subarray(0, 20), IDX_IMAGES_MAGIC), /gzip data is corrupt or truncated/);
  assert.deepEqual(parseIdx(gzipSync(good), IDX_IMAGES_MAGIC).data, parseIdx(good, IDX_IMAGES_MAGIC).data);
});

test('IDX hostile input: zero dimensions, oversized headers, gzip bombs, FIFOs and devices are refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'actlab-idx-bad-'));
  try {
    assert.throws(() => parseIdx(idx(IDX_IMAGES_MAGIC, [0, 28, 28], new Uint8Array(0)), IDX_IMAGES_MAGIC, 'z'), /z: header \[0×28×28\] has a zero dimension/);
    // A header asking for 10 GB is refused before anything is allocated.
    const huge = idx(IDX_IMAGES_MAGIC, [100_000, 1000, 100], new Uint8Array(8));
    assert.throws(() => parseIdx(huge, IDX_IMAGES_MAGIC, 'h'), new RegExp(`h: header \\[100000×1000×100\\] asks for 10000000000 bytes, over the ${MAX_IDX_BYTES}-byte limit`));
    writeFileSync(join(dir, 'huge'), huge);
    await assert.rejects(readIdxFile(join(dir, 'huge'), IDX_IMAGES_MAGIC), /over the \d+-byte limit/);
    // A small header followed by 64 MB of zeros (64 kB compressed): stopped at the header's size.
    const bomb = gzipSync(Buffer.concat([idx(IDX_IMAGES_MAGIC, [2, 2, 2], new Uint8Array(8)), Buffer.alloc(64 << 20)]));
    writeFileSync(join(dir, 'bomb.gz'), bomb);
    const before = process.memoryUsage().rss;
    await assert.rejects(readIdxFile(join(dir, 'bomb.gz'), IDX_IMAGES_MAGIC), /size mismatch: decompresses to more than the 24 bytes its header announces/);
    assert.ok(process.memoryUsage().rss - before < 48 << 20, 'the bomb was not expanded');
    // Not regular files: a symlink to /dev/zero, a FIFO (would block forever), a folder.
    symlinkSync('/dev/zero', join(dir, 'zero'));
    await assert.rejects(readIdxFile(join(dir, 'zero'), IDX_IMAGES_MAGIC), /not a regular file/);
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    await assert.rejects(readIdxFile(join(dir, 'fifo'), IDX_IMAGES_MAGIC), /not a regular file/);
    await assert.rejects(readIdxFile(dir, IDX_IMAGES_MAGIC), /not a regular file/);
    // The same messages as the synchronous parser for a truncated plain file.
    const good = imagesFor([1, 2], 2, 2);
    writeFileSync(join(dir, 'short'), good.subarray(0, good.length - 1));
    await assert.rejects(readIdxFile(join(dir, 'short'), IDX_IMAGES_MAGIC), /truncated: header \[2×2×2\] needs 8 data bytes, found 7/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('IDX: the asynchronous reader (the trainer\'s) gives the same dataset as the synchronous one', async () => {
  for (const gz of [false, true]) {
    const dir = writeIdxFolder(gz);
    try {
      const a = await loadIdxFolderAsync(dir, 10, 4, 7);
      assert.deepEqual(a, loadIdxFolder(dir, 10, 4, 7));
      assert.deepEqual((await loadDataset({ dataset: 'idx', path: dir, trainSize: 10, testSize: 4, kappa: 0 }, 7)).yTrain, a.yTrain);
    } finally {
      rmSync(dir, { recursive: true });
    }
  }
});

// --- mnist package ----------------------------------------------------------------------------

const key = (x: Float32Array, i: number): string => Buffer.from(x.buffer, x.byteOffset + i * 784 * 4, 784 * 4).toString('base64');

test('mnist: seeded disjoint split of the package digits', async () => {
  const ds = await loadDataset({ dataset: 'mnist', trainSize: 3000, testSize: 1000, kappa: 0 }, 42);
  assert.deepEqual(ds.inputShape, [28, 28, 1]);
  assert.equal(ds.xTrain.length, 3000 * 784);
  assert.equal(ds.xTest.length, 1000 * 784);
  assert.ok(ds.yTrain instanceof Int32Array);
  const counts = new Array<number>(10).fill(0);
  for (const y of ds.yTrain) counts[y]!++;
  assert.ok(counts.every((c) => c > 200), `every class is present in a shuffled split: ${counts.join(',')}`);
  let max = 0;
  for (const v of ds.xTrain) max = Math.max(max, v);
  assert.ok(max <= 1 && max > 0.9);
  const train = new Set(Array.from({ length: ds.trainSize }, (_, i) => key(ds.xTrain, i)));
  assert.equal(train.size, 3000);
  for (let i = 0; i < ds.testSize; i++) assert.ok(!train.has(key(ds.xTest, i)), `test sample ${i} also in train`);

  const again = await loadDataset({ dataset: 'mnist', trainSize: 3000, testSize: 1000, kappa: 0 }, 42);
  assert.deepEqual(again.yTrain, ds.yTrain);
  assert.deepEqual(again.xTest, ds.xTest);
  const other = await loadDataset({ dataset: 'mnist', trainSize: 3000, testSize: 1000, kappa: 0 }, 43);
  assert.notDeepEqual(other.yTrain, ds.yTrain);
});

test('mnist: sizes beyond the 10,000 digits are refused', async () => {
  await assert.rejects(loadDataset({ dataset: 'mnist', trainSize: 9000, testSize: 1001, kappa: 0 }, 1), /exceeds the 10000 digits/);
  await assert.rejects(loadDataset({ dataset: 'mnist', trainSize: 0, testSize: 10, kappa: 0 }, 1), /positive integer/);
});

// --- teacher --------------------------------------------------------------------------------

test('teacher: deterministic, unit-variance targets, noise adds variance', async () => {
  const spec = teacherData({ trainSize: 2000, testSize: 500, d: 10, width: 20, noise: 0 });
  const a = await loadDataset(spec, 5);
  const b = await loadDataset(spec, 5);
  assert.equal(a.kind, 'regression');
  assert.deepEqual(a.inputShape, [10]);
  assert.equal(a.outputs, 1);
  assert.deepEqual(a.xTrain, b.xTrain);
  assert.deepEqual(a.yTest, b.yTest);
  assert.notDeepEqual((await loadDataset(spec, 6)).yTrain, a.yTrain);
  const variance = (y: ArrayLike<number>): number => {
    const arr = Array.from(y);
    const m = arr.reduce((s, v) => s + v, 0) / arr.length;
    return arr.reduce((s, v) => s + (v - m) ** 2, 0) / arr.length;
  };
  assert.ok(Math.abs(variance(a.yTrain) - 1) < 1e-3, 'clean train targets are scaled to variance 1');
  assert.ok(Math.abs(variance(a.yTest) - 1) < 0.25, 'test targets come from the same teacher and scale');
  const noisy = await loadDataset({ ...spec, noise: 0.5 }, 5);
  assert.deepEqual(noisy.xTrain, a.xTrain, 'noise does not change the inputs');
  assert.ok(Math.abs(variance(noisy.yTrain) - 1.25) < 0.12, `variance 1 + 0.5² (got ${variance(noisy.yTrain)})`);
  // A larger test set leaves the train set as it was.
  assert.deepEqual((await loadDataset({ ...spec, testSize: 700 }, 5)).yTrain, a.yTrain);
});

// --- input masks ----------------------------------------------------------------------------

test('maskInputs: x ⊙ c with c ~ N(1, κ²), seeded; κ = 0 is the identity', async () => {
  await tf.setBackend('cpu');
  const ones = tf.ones([200, 100]);
  assert.equal(maskInputs(ones, 0, 1), ones);
  const m = maskInputs(ones, 0.5, 1);
  const values = Array.from(await m.data());
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  // 20,000 draws: standard errors ≈ 0.0035 (mean) and 0.0025 (std).
  assert.ok(Math.abs(mean - 1) < 0.02, `mean ${mean}`);
  assert.ok(Math.abs(std - 0.5) < 0.02, `std ${std}`);
  assert.deepEqual(Array.from(await maskInputs(ones, 0.5, 1).data()), values);
  assert.notDeepEqual(Array.from(await maskInputs(ones, 0.5, 2).data()), values);
  tf.dispose([ones, m]);
});
