/**
 * The CIFAR-10 loader on generated batch files: small fake `data_batch_*.bin` / `test_batch.bin`
 * whose every byte is known, so the channel-major → NHWC conversion, the split and every refusal
 * (missing, truncated, oversized, non-regular files, bad labels) are checked exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CIFAR10, CIFAR10_RECORD_BYTES } from '../../../src/core/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/trainer/backend';
import { loadDataset } from '../../../src/trainer/data';
import { createModel } from '../../../src/trainer/models';
import { cifarRecords, loadCifar10Folder, readCifarSplit } from '../../../src/trainer/data/cifar10';
import type { Dataset } from '../../../src/trainer/data/types';

/** The byte of channel c at pixel p (row-major in its 32×32 plane) of a record with `label`. */
const pixel = (label: number, c: number, p: number): number => (p + 7 * c + 31 * label) % 256;

function records(labels: number[]): Buffer {
  const buf = Buffer.alloc(labels.length * CIFAR10_RECORD_BYTES);
  labels.forEach((label, i) => {
    const at = i * CIFAR10_RECORD_BYTES;
    buf[at] = label;
    for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) buf[at + 1 + c * 1024 + p] = pixel(label, c, p);
  });
  return buf;
}

const TRAIN_LABELS = [[0, 1, 2], [3, 4], [5, 6], [7], [8, 9]];
const TEST_LABELS = [9, 8, 7, 1];

function writeCifarFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'actlab-cifar-'));
  CIFAR10.trainFiles.forEach((f, i) => writeFileSync(join(dir, f), records(TRAIN_LABELS[i]!)));
  writeFileSync(join(dir, CIFAR10.testFile), records(TEST_LABELS));
  return dir;
}

function withFolder<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = writeCifarFolder();
  return fn(dir).finally(() => rmSync(dir, { recursive: true }));
}

/** Every value of every sample is the byte its label and position say, read in NHWC order. */
function checkPixels(ds: Dataset): void {
  for (const [x, y, n] of [[ds.xTrain, ds.yTrain, ds.trainSize], [ds.xTest, ds.yTest, ds.testSize]] as const) {
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < 1024; p++) {
        for (let c = 0; c < 3; c++) {
          const got = x[i * 3072 + p * 3 + c]!;
          assert.ok(Math.abs(got - pixel(y[i]!, c, p) / 255) < 1e-7, `sample ${i} pixel ${p} channel ${c}: ${got}`);
        }
      }
    }
  }
}

test('CIFAR-10: official split, NHWC floats in [0, 1] from channel-major bytes, seeded shuffle', () => withFolder(async (dir) => {
  const ds = await loadCifar10Folder(dir, 10, 4, 7);
  assert.deepEqual(ds.inputShape, [32, 32, 3]);
  assert.equal(ds.kind, 'classification');
  assert.equal(ds.outputs, 10);
  assert.equal(ds.xTrain.length, 10 * 3072);
  assert.equal(ds.xTest.length, 4 * 3072);
  checkPixels(ds);
  assert.deepEqual([...ds.yTrain].sort(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'every training batch is read');
  assert.deepEqual([...ds.yTest].sort(), [1, 7, 8, 9], 'test samples come from test_batch.bin only');
  // Pixel (y = 1, x = 2) of the red plane is byte 1 + 34 of its record; green at 1 + 1024 + 34.
  const i = ds.yTrain.indexOf(5);
  assert.equal(Math.round(ds.xTrain[i * 3072 + (32 + 2) * 3] * 255), pixel(5, 0, 34));
  assert.equal(Math.round(ds.xTrain[i * 3072 + (32 + 2) * 3 + 1] * 255), pixel(5, 1, 34));
  assert.deepEqual((await loadCifar10Folder(dir, 10, 4, 7)).yTrain, ds.yTrain, 'same seed, same order');
  assert.notDeepEqual((await loadCifar10Folder(dir, 10, 4, 8)).yTrain, ds.yTrain, 'another seed shuffles differently');
  const fromSpec = await loadDataset({ dataset: 'cifar10', path: dir, trainSize: 6, testSize: 2, kappa: 0 }, 7);
  assert.equal(fromSpec.trainSize, 6);
  assert.deepEqual(fromSpec.inputShape, [32, 32, 3]);
}));

test('CIFAR-10: sizes beyond the files, missing files and a missing folder are located errors', () => withFolder(async (dir) => {
  await assert.rejects(loadCifar10Folder(dir, 11, 4, 1), /trainSize 11 exceeds the 10 images in the CIFAR-10 training batches of /);
  await assert.rejects(loadCifar10Folder(dir, 10, 5, 1), /testSize 5 exceeds the 4 images in the CIFAR-10 test batch/);
  unlinkSync(join(dir, 'data_batch_3.bin'));
  await assert.rejects(loadCifar10Folder(dir, 1, 1, 1), (e: Error) => e.message.includes(`CIFAR-10 folder ${dir}: data_batch_3.bin not found`));
  await assert.rejects(loadCifar10Folder(join(dir, 'nope'), 1, 1, 1), /CIFAR-10 folder .*nope does not exist/);
}));

test('CIFAR-10: truncated files, bad labels, oversized and non-regular files are refused before allocating', () => withFolder(async (dir) => {
  const test = join(dir, CIFAR10.testFile);
  writeFileSync(test, records(TEST_LABELS).subarray(0, 4 * CIFAR10_RECORD_BYTES - 1));
  await assert.rejects(loadCifar10Folder(dir, 1, 1, 1), (e: Error) =>
    e.message.startsWith(`${test}: truncated or not a CIFAR-10 batch: 12291 bytes is not a whole number of 3073-byte records (3 records and 3072 bytes)`));
  const bad = records([1, 2]);
  bad[CIFAR10_RECORD_BYTES] = 10;
  writeFileSync(test, bad);
  await assert.rejects(readCifarSplit(dir, [CIFAR10.testFile]), /test_batch\.bin: record 1 has label 10, not a CIFAR-10 class 0–9/);
  // A sparse file of 10,001 records (30 MB on paper, nothing on disk) is refused from its size.
  writeFileSync(test, '');
  truncateSync(test, 10_001 * CIFAR10_RECORD_BYTES);
  const before = process.memoryUsage().rss;
  await assert.rejects(readCifarSplit(dir, [CIFAR10.testFile]), /test_batch\.bin: 10001 records, more than the 10000 of a CIFAR-10 batch file/);
  assert.ok(process.memoryUsage().rss - before < 16 << 20, 'nothing the size of the file was allocated');
  writeFileSync(test, '');
  await assert.rejects(readCifarSplit(dir, [CIFAR10.testFile]), /test_batch\.bin: empty file/);
  unlinkSync(test);
  execFileSync('mkfifo', [test]);
  await assert.rejects(readCifarSplit(dir, [CIFAR10.testFile]), /test_batch\.bin is not a regular file/);
}));

test('cifarRecords: whole records up to a standard file', () => {
  assert.equal(cifarRecords(CIFAR10_RECORD_BYTES, 'f'), 1);
  assert.equal(cifarRecords(10_000 * CIFAR10_RECORD_BYTES, 'f'), 10_000);
  assert.throws(() => cifarRecords(CIFAR10_RECORD_BYTES + 1, 'f'), /f: truncated or not a CIFAR-10 batch: 3074 bytes .* \(1 records and 1 bytes\)/);
  assert.throws(() => cifarRecords(0, 'f'), /f: empty file/);
});

test('models on CIFAR-10\'s shape: a CNN\'s first conv takes 3 channels, an MLP 3,072 inputs', () => withFolder(async (dir) => {
  await initBackend('cpu');
  const ds = await loadCifar10Folder(dir, 4, 2, 1);
  const cnn = createModel({ type: 'cnn', conv: [4, 8], dense: [], init: 'he', bias: true }, ds.inputShape, ds.outputs, { type: 'relu' }, 1);
  assert.deepEqual(cnn.variables[0]!.shape, [3, 3, 3, 4]);
  // conv1 9·3·4+4, conv2 9·4·8+8, output (8·8·8)·10+10.
  assert.equal(cnn.paramCount, 112 + 296 + 512 * 10 + 10);
  const mlp = createModel({ type: 'mlp', hidden: [5], init: 'he', bias: true }, ds.inputShape, ds.outputs, { type: 'relu' }, 1);
  assert.deepEqual(mlp.variables[0]!.shape, [3072, 5]);
  const x = tf.tensor(ds.xTrain, [4, ...ds.inputShape]);
  for (const m of [cnn, mlp]) {
    assert.deepEqual(tf.tidy(() => m.forward(x, { training: false, sigma: 0, seed: 1 }).output.shape), [4, 10]);
    m.dispose();
  }
  x.dispose();
}));
