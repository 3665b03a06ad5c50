/**
 * Which job a cluster task runs. Schedulers number their tasks in an environment variable:
 * Slurm array tasks get SLURM_ARRAY_TASK_ID, Kubernetes Indexed Job pods JOB_COMPLETION_INDEX;
 * ACTLAB_JOB_INDEX comes first so a user (or a wrapper) can always say which.
 */

/** In order of precedence. */
export const JOB_INDEX_VARS = ['ACTLAB_JOB_INDEX', 'SLURM_ARRAY_TASK_ID', 'JOB_COMPLETION_INDEX'] as const;

/** A non-negative integer in decimal, or undefined (no sign, no exponent, no blanks). */
export function parseJobIndex(text: string): number | undefined {
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** The index from --index or the environment, or a message saying what is wrong. */
export function resolveJobIndex(flag: string | undefined, env: Readonly<Record<string, string | undefined>>, jobs: number): { index: number; from: string } | string {
  let from = '--index';
  let text = flag;
  if (text === undefined) {
    const name = JOB_INDEX_VARS.find((v) => env[v] !== undefined && env[v] !== '');
    if (!name) return `no job index: pass --index I or set one of ${JOB_INDEX_VARS.join(', ')}`;
    from = name;
    text = env[name] as string;
  }
  const index = parseJobIndex(text.trim());
  if (index === undefined) return `${from}: '${text}' is not a job index (a whole number from 0)`;
  if (index >= jobs) return `${from}: job index ${index} is out of range: the run has ${jobs} job(s), 0–${jobs - 1}`;
  return { index, from };
}
