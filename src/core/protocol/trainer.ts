/**
 * Host → trainer commands (over IPC). The trainer validates them in src/trainer/messages.ts.
 */
import type { JobSpec } from '../config';
import type { PROTOCOL_VERSION } from './events';

export type HostToTrainer =
  /** `threads`: how many the job may use (data-parallel shards on wasm); default 1. */
  | { type: 'start'; v: typeof PROTOCOL_VERSION; job: JobSpec; threads?: number }
  | { type: 'cancel'; v: typeof PROTOCOL_VERSION };
