/** Teacher data options: sphere inputs, a constant coordinate, centred targets. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTeacherDataset, type TeacherSpec } from '../../../src/trainer/data/teacher';

const base: TeacherSpec = { d: 5, width: 12, noise: 0, trainSize: 200, testSize: 50 };
const SEED = 17;

const rows = (x: Float32Array, size: number): Float32Array[] => Array.from({ length: x.length / size }, (_, i) => x.subarray(i * size, (i + 1) * size));
const norm = (r: Float32Array): number => Math.sqrt(r.reduce((s, v) => s + v * v, 0));
const mean = (y: Float32Array): number => y.reduce((s, v) => s + v, 0) / y.length;

test('sphere: every input has norm 1; the teacher targets still have unit variance', () => {
  const ds = makeTeacherDataset({ ...base, inputs: 'sphere' }, SEED);
  assert.deepEqual(ds.inputShape, [5]);
  for (const r of [...rows(ds.xTrain, 5), ...rows(ds.xTest, 5)]) assert.ok(Math.abs(norm(r) - 1) < 1e-6, `norm ${norm(r)}`);
  const m = mean(ds.yTrain as Float32Array);
  const v = (ds.yTrain as Float32Array).reduce((s, y) => s + (y - m) ** 2, 0) / ds.trainSize;
  assert.ok(Math.abs(v - 1) < 1e-4, `variance ${v}`);
});

test('appendConstant: one more coordinate, equal to c; the other coordinates and the targets are those without it', () => {
  const plain = makeTeacherDataset(base, SEED);
  const withC = makeTeacherDataset({ ...base, appendConstant: 0.5 }, SEED);
  assert.deepEqual(withC.inputShape, [6]);
  rows(withC.xTrain, 6).forEach((r, i) => {
    assert.equal(r[5], 0.5);
    assert.deepEqual(r.subarray(0, 5), plain.xTrain.subarray(i * 5, (i + 1) * 5));
  });
  assert.deepEqual(withC.yTrain, plain.yTrain, 'the teacher does not see the constant');
  assert.deepEqual(withC.yTest, plain.yTest);
});

test('sphere with a constant: the whole input has norm 1 and its last coordinate is c', () => {
  const c = Math.SQRT1_2;
  const ds = makeTeacherDataset({ ...base, inputs: 'sphere', appendConstant: c }, SEED);
  for (const r of rows(ds.xTrain, 6)) {
    assert.ok(Math.abs(norm(r) - 1) < 1e-6);
    assert.equal(r[5], Math.fround(c));
  }
  assert.throws(() => makeTeacherDataset({ ...base, inputs: 'sphere', appendConstant: 1 }, SEED), /\|appendConstant\| < 1/);
});

test('gaussian written out is the default, bit for bit; sphere rows are the gaussian rows rescaled', () => {
  const plain = makeTeacherDataset(base, SEED);
  const explicit = makeTeacherDataset({ ...base, inputs: 'gaussian', center: false }, SEED);
  assert.deepEqual(explicit, plain);
  const sphere = makeTeacherDataset({ ...base, inputs: 'sphere' }, SEED);
  const g = rows(plain.xTrain, 5)[0]!;
  const s = rows(sphere.xTrain, 5)[0]!;
  g.forEach((v, k) => assert.ok(Math.abs(v / norm(g) - s[k]!) < 1e-6));
});

test('center: the training targets have mean 0, shifted by the training mean (the test targets by the same)', () => {
  const plain = makeTeacherDataset(base, SEED);
  const centred = makeTeacherDataset({ ...base, center: true }, SEED);
  const m = mean(plain.yTrain as Float32Array);
  assert.ok(Math.abs(m) > 0.1, `a relu teacher's targets are not centred: mean ${m}`);
  assert.ok(Math.abs(mean(centred.yTrain as Float32Array)) < 1e-5);
  (centred.yTest as Float32Array).forEach((y, i) => assert.ok(Math.abs(y - ((plain.yTest as Float32Array)[i]! - m)) < 1e-5));
});
