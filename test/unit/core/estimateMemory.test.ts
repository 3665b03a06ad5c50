import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataSpec, ModelSpec } from '../../../src/core/config';
import { estimateFootprint } from '../../../src/core/estimateMemory';

const cnn: ModelSpec = { type: 'cnn', conv: [16, 32], dense: [128], init: 'he', bias: true };

test('a CNN footprint counts the image channels: 1 for mnist, 3 for cifar10 (32×32, not a 55×55 square)', () => {
  const mnist: DataSpec = { dataset: 'mnist', trainSize: 8000, testSize: 2000, kappa: 0 };
  const cifar: DataSpec = { dataset: 'cifar10', path: '/data/cifar-10-batches-bin', trainSize: 50000, testSize: 10000, kappa: 0 };
  const m = estimateFootprint(cnn, mnist, 128);
  const c = estimateFootprint(cnn, cifar, 128);
  // conv1 3×3×1→16 + conv2 3×3×16→32 + dense 7·7·32→128 + 128→10
  assert.equal(m.parameters, (9 * 16 + 16) + (9 * 16 * 32 + 32) + (7 * 7 * 32 * 128 + 128) + (128 * 10 + 10));
  // conv1 3×3×3→16 + conv2 + dense 8·8·32→128 + 128→10
  assert.equal(c.parameters, (9 * 3 * 16 + 16) + (9 * 16 * 32 + 32) + (8 * 8 * 32 * 128 + 128) + (128 * 10 + 10));
  assert.deepEqual(c.layers[0]!.activations, 32 * 32 * 16 + 16 * 16 * 16);
});
