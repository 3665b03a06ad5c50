/**
 * Which script a replica worker runs. In the bundle it is the bundle itself: every module's
 * __filename is dist/trainer.js, which starts a replica when it finds a ReplicaInit in its
 * workerData. From the TypeScript sources (tests, bench) there is no JavaScript file to run and
 * workers do not inherit tsx's hooks, so the caller says how: production code never loads a
 * dev dependency (test/fixtures/trainer/replicaEntry.ts is the tsx one).
 */

export interface ReplicaEntry {
  /** A script file, or the code itself when `eval` is set. */
  script: string;
  eval?: boolean;
}

let configured: ReplicaEntry | undefined;

/** Sets (or with undefined clears) the entry of replicas started without one of their own. */
export function setReplicaEntry(entry: ReplicaEntry | undefined): void {
  configured = entry;
}

export function replicaEntry(): ReplicaEntry {
  if (configured) return configured;
  if (!__filename.endsWith('.ts')) return { script: __filename };
  throw new Error('replica workers run from the bundle (dist/trainer.js); from the TypeScript sources, set their entry with setReplicaEntry');
}
