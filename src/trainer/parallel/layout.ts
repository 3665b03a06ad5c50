/**
 * The shared memory between the main thread and one replica (a "lane"), and how work is split.
 * Hand-rolled on SharedArrayBuffer + Atomics because a step on the MLP takes ~2 ms a shard:
 * postMessage's structured clone and event-loop hops would cost a good part of that.
 */

/** Int32 slots of a lane's control block. */
export const CTL = {
  /** Bumped by the main thread to post a task. */
  taskSeq: 0,
  /** Set to taskSeq by the replica when the task is done (and notified). */
  doneSeq: 1,
  kind: 2,
  /** 0 ok, 1 failed (message in `error`). */
  status: 3,
  from: 4,
  count: 5,
  /** 0 train, 1 test. */
  split: 6,
  errorLength: 7,
  /** Version of the weights in `params`; the replica loads them when its copy is older. */
  paramsVersion: 8,
  /** An evaluate task's rows (from its first) whose probe statistics it also sums, into `out`. */
  probeRows: 9,
  size: 10,
} as const;

/** Float64 slots: task inputs, then outputs. */
export const NUM = { sigma: 0, seed: 1, kappa: 2, tau: 3, lossSum: 4, correct: 5, rows: 6 } as const;

export const TASK = { stop: 0, gradients: 1, evaluate: 2, probe: 3 } as const;
export type TaskKind = (typeof TASK)[keyof typeof TASK];

export const ERROR_BYTES = 4096;

export interface LaneBuffers {
  control: Int32Array;
  numbers: Float64Array;
  /** Training-row indices of a gradients task. */
  indices: Int32Array;
  /** Gradients (variables in order, flattened) or probe sums. */
  out: Float32Array;
  error: Uint8Array;
}

const shared = <T>(make: (b: SharedArrayBuffer) => T, bytes: number): T => make(new SharedArrayBuffer(bytes));

export function allocateLane(maxRows: number, outFloats: number, layers: number): LaneBuffers {
  return {
    control: shared((b) => new Int32Array(b), CTL.size * 4),
    numbers: shared((b) => new Float64Array(b), (NUM.rows + layers) * 8),
    indices: shared((b) => new Int32Array(b), Math.max(1, maxRows) * 4),
    out: shared((b) => new Float32Array(b), Math.max(1, outFloats) * 4),
    error: shared((b) => new Uint8Array(b), ERROR_BYTES),
  };
}

/**
 * `count` rows in `parts` contiguous shards, sizes differing by at most one, larger first:
 * [from, size] per shard. Shard 0 is the main thread's.
 */
export function shardRanges(from: number, count: number, parts: number): Array<[number, number]> {
  const base = Math.floor(count / parts);
  const extra = count % parts;
  const out: Array<[number, number]> = [];
  let at = from;
  for (let i = 0; i < parts; i++) {
    const size = base + (i < extra ? 1 : 0);
    out.push([at, size]);
    at += size;
  }
  return out;
}

/** Copies a typed array into shared memory, so worker threads see it without a copy each. */
export function toShared<T extends Float32Array | Int32Array>(a: T): T {
  const b = new SharedArrayBuffer(a.byteLength);
  const copy = (a instanceof Float32Array ? new Float32Array(b) : new Int32Array(b)) as T;
  copy.set(a);
  return copy;
}
