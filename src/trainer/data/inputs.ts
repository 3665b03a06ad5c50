/**
 * The teacher task's inputs: Gaussian, or on the unit sphere with an optional constant
 * coordinate — the set-up of the NTK analyses (Allen-Zhu et al. 2019, whose inputs satisfy
 * ‖x‖ = 1 with last coordinate 1/√2; arXiv 2402.11942 follows them). With both, the d random
 * coordinates lie on the sphere of radius √(1 − c²), so the whole input, constant included, has
 * norm 1. The constant breaks the symmetry x → −x, under which a bias-free |x| network is even.
 */
import type { TeacherInputSpec } from '../../core/config';

/** n·d standard normals as float32 rows, normalised per row for "sphere". */
export function drawInputs(normals: Float64Array, d: number, spec: TeacherInputSpec): Float32Array {
  if (spec.inputs !== 'sphere') return Float32Array.from(normals);
  const c = spec.appendConstant ?? 0;
  if (!(Math.abs(c) < 1)) throw new Error(`sphere inputs with a constant coordinate need |appendConstant| < 1 (got ${c}): the whole input has norm 1`);
  const radius = Math.sqrt(1 - c * c);
  const out = new Float32Array(normals.length);
  for (let row = 0; row < normals.length; row += d) {
    let sq = 0;
    for (let k = 0; k < d; k++) sq += normals[row + k]! ** 2;
    const f = sq > 0 ? radius / Math.sqrt(sq) : 0;
    for (let k = 0; k < d; k++) out[row + k] = normals[row + k]! * f;
  }
  return out;
}

/** Rows of d values → rows of d + 1 with `c` last; the rows themselves when there is no constant. */
export function withConstant(x: Float32Array, d: number, c: number | undefined): Float32Array {
  if (c === undefined) return x;
  const n = x.length / d;
  const out = new Float32Array(n * (d + 1));
  for (let i = 0; i < n; i++) {
    out.set(x.subarray(i * d, (i + 1) * d), i * (d + 1));
    out[i * (d + 1) + d] = c;
  }
  return out;
}
