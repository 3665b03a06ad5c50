/**
 * One replica worker and its lane of shared memory, seen from the main thread: start it, post
 * it a task, wait for the task to be done.
 */
import { Worker } from 'node:worker_threads';
import type { ReplicaEntry } from './entry';
import { CTL, NUM, type LaneBuffers, type TaskKind } from './layout';
import type { ReplicaInit, ReplicaMessage } from './replica';

/** How long a replica may take to load its backend before the job goes on without it. */
const START_TIMEOUT_MS = 20_000;

// Node has Atomics.waitAsync; TypeScript's ES2022 lib does not declare it.
type WaitAsync = (a: Int32Array, index: number, value: number) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

export interface Lane {
  buffers: LaneBuffers;
  worker: Worker;
  /** Rejects when the worker dies; raced against every wait. */
  dead: Promise<never>;
  seq: number;
}

export interface TaskFields { from?: number; count?: number; split?: number; probeRows?: number }

export function post(lane: Lane, kind: TaskKind, fields: TaskFields, numbers: Partial<Record<keyof typeof NUM, number>>): void {
  const c = lane.buffers.control;
  c[CTL.kind] = kind;
  c[CTL.from] = fields.from ?? 0;
  c[CTL.count] = fields.count ?? 0;
  c[CTL.split] = fields.split ?? 1;
  c[CTL.probeRows] = fields.probeRows ?? 0;
  for (const [k, v] of Object.entries(numbers)) lane.buffers.numbers[NUM[k as keyof typeof NUM]] = v;
  lane.seq = Atomics.add(c, CTL.taskSeq, 1) + 1;
  Atomics.notify(c, CTL.taskSeq);
}

/** Resolves when the lane's last posted task is done; rejects with its error or the worker's death. */
export async function done(lane: Lane): Promise<void> {
  const c = lane.buffers.control;
  for (;;) {
    const now = Atomics.load(c, CTL.doneSeq);
    if (now === lane.seq) break;
    const w = waitAsync(c, CTL.doneSeq, now);
    if (w.async) await Promise.race([w.value, lane.dead]);
  }
  if (c[CTL.status] !== 0) {
    const text = new TextDecoder().decode(lane.buffers.error.slice(0, c[CTL.errorLength]));
    throw new Error(`replica: ${text}`);
  }
}

/** Starts a replica; resolves once it has loaded its backend and model ('ready'). */
export function startLane(init: ReplicaInit, entry: ReplicaEntry): Promise<Lane> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry.script, { eval: entry.eval ?? false, workerData: init });
    let settled = false;
    let rejectDead: (e: Error) => void = () => {};
    const dead = new Promise<never>((_, r) => { rejectDead = r; });
    dead.catch(() => {});
    const fail = (e: Error): void => {
      rejectDead(e);
      if (!settled) { settled = true; clearTimeout(timer); reject(e); }
    };
    const timer = setTimeout(() => { fail(new Error('replica did not start in time')); void worker.terminate(); }, START_TIMEOUT_MS);
    worker.on('message', (m: ReplicaMessage) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (m.type === 'ready') resolve({ buffers: init.lane, worker, dead, seq: 0 });
      else { reject(new Error(m.message)); void worker.terminate(); }
    });
    worker.on('error', (e) => fail(e));
    worker.on('exit', (code) => fail(new Error(`replica exited (code ${code})`)));
  });
}
