/**
 * Synthetic regression from a two-layer ReLU teacher:
 *   x ~ N(0, I_d),  W* ~ N(0, 1/d) [width × d],  a* ~ N(0, 1/width),
 *   y = a*·relu(W* x) / s + noise·ε,  ε ~ N(0, 1),
 * with s the std of the clean targets on the training inputs, so the clean signal has unit
 * variance (a fresh student's loss is O(1)) and `noise` reads as noise-to-signal ratio.
 * Teacher, train inputs, test inputs and label noise use separate seeded streams, so changing
 * one size leaves the other samples unchanged.
 *
 * Options (absent: the above, unchanged): `inputs: "sphere"` and `appendConstant` shape the
 * student's inputs (inputs.ts; the teacher reads the d random coordinates, not the constant);
 * `center` subtracts the clean training targets' mean before scaling.
 */
import { deriveSeed, gaussian, mulberry32, type Rng } from '../../core/random';
import type { TeacherInputSpec } from '../../core/config';
import type { Dataset } from './types';
import { checkSize } from './split';
import { drawInputs, withConstant } from './inputs';

export interface TeacherSpec extends TeacherInputSpec { d: number; width: number; noise: number; trainSize: number; testSize: number }

interface Teacher { w: Float64Array; a: Float64Array }

function normals(n: number, std: number, rng: Rng): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = std * gaussian(rng);
  return out;
}

function teacherOutputs(t: Teacher, x: Float32Array, n: number, d: number, width: number): Float64Array {
  const y = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    let out = 0;
    for (let j = 0; j < width; j++) {
      let h = 0;
      for (let k = 0; k < d; k++) h += t.w[j * d + k]! * x[s * d + k]!;
      if (h > 0) out += t.a[j]! * h;
    }
    y[s] = out;
  }
  return y;
}

export function makeTeacherDataset(spec: TeacherSpec, splitSeed: number): Dataset {
  const { d, width, noise, trainSize, testSize } = spec;
  checkSize('d', d, Number.MAX_SAFE_INTEGER, 'limit');
  checkSize('width', width, Number.MAX_SAFE_INTEGER, 'limit');
  checkSize('trainSize', trainSize, Number.MAX_SAFE_INTEGER, 'limit');
  checkSize('testSize', testSize, Number.MAX_SAFE_INTEGER, 'limit');
  if (!(noise >= 0)) throw new Error(`teacher noise must be ≥ 0 (got ${noise})`);
  const stream = (name: string): Rng => mulberry32(deriveSeed(splitSeed, `teacher-${name}`));
  const teacherRng = stream('weights');
  const teacher: Teacher = { w: normals(width * d, Math.sqrt(1 / d), teacherRng), a: normals(width, Math.sqrt(1 / width), teacherRng) };
  const xTrain = drawInputs(normals(trainSize * d, 1, stream('train')), d, spec);
  const xTest = drawInputs(normals(testSize * d, 1, stream('test')), d, spec);
  const cleanTrain = teacherOutputs(teacher, xTrain, trainSize, d, width);
  const cleanTest = teacherOutputs(teacher, xTest, testSize, d, width);
  const mean = cleanTrain.reduce((a, b) => a + b, 0) / trainSize;
  const variance = cleanTrain.reduce((a, b) => a + (b - mean) ** 2, 0) / trainSize;
  const scale = variance > 0 ? 1 / Math.sqrt(variance) : 1;
  const shift = spec.center ? mean : 0;
  const noiseRng = stream('noise');
  const targets = (clean: Float64Array): Float32Array => Float32Array.from(clean, (v) => (v - shift) * scale + noise * gaussian(noiseRng));
  return {
    kind: 'regression',
    inputShape: [spec.appendConstant === undefined ? d : d + 1],
    outputs: 1,
    trainSize,
    testSize,
    xTrain: withConstant(xTrain, d, spec.appendConstant),
    xTest: withConstant(xTest, d, spec.appendConstant),
    yTrain: targets(cleanTrain),
    yTest: targets(cleanTest),
  };
}
