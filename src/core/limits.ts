/**
 * The limits that keep a config from exhausting the machine before anything runs, in one place
 * (README "Limits", docs/RELIABILITY.md). The structural ones bound what the validator itself
 * reads; the others bound what a run would need, estimated from the config without expanding
 * its jobs, and can be raised per config with a top-level "limits" object.
 */

/**
 * Deepest nesting of objects and lists the validator reads. A real config needs 6 levels
 * (activations[i].params.beta.sweep[k]); 5,000 overflowed the parser's recursion.
 */
export const MAX_NESTING = 64;

/**
 * Most items in one list. The schema's uniqueItems compares every pair of a sweep of objects
 * (schedules), so a list of 10⁶ values would take hours; 10,000 takes under a second.
 */
export const MAX_LIST_ITEMS = 10_000;

/** What a config may ask for unless its "limits" raise it; `hours` only warns. */
export const DEFAULT_LIMITS = {
  /** Jobs (arms × seeds): each is a trainer process and a line of config.json per job. */
  jobs: 10_000,
  /** Trainable parameters of one model: 50 M float32 weights are 200 MB, ×4 with gradients and Adam's moments. */
  parameters: 50_000_000,
  /**
   * Estimated memory of one trainer (weights, optimizer state, activations of a batch, the data
   * set): the wasm backend addresses at most 4 GiB, and the estimate is rough.
   */
  memoryMiB: 2048,
  /** Estimated run time above which the validator warns. */
  hours: 24,
} as const;

export type LimitName = keyof typeof DEFAULT_LIMITS;
export type Limits = Record<LimitName, number>;

/** The config's limits: its own "limits" entries over the defaults. */
export function limitsOf(raw: { limits?: Partial<Record<LimitName, unknown>> }): Limits {
  const out: Limits = { ...DEFAULT_LIMITS };
  for (const k of Object.keys(DEFAULT_LIMITS) as LimitName[]) {
    const v = raw.limits?.[k];
    if (typeof v === 'number' && v > 0) out[k] = v;
  }
  return out;
}
