/**
 * Mean, spread and range over seeds, kept per key (an epoch, or a bucket of steps) and
 * updated in place: one new value costs O(seeds at that key), never a pass over the series.
 * The point arrays are handed to Chart.js as they are (parsing: false), so an update here is
 * what the next chart.update() draws.
 */
export interface Pt { x: number; y: number }

/**
 * Appends to an array a chart may hold. Chart.js wraps the `push` of every data array it is
 * given: with parsing off, each push makes that point's element at once and logs the change,
 * and the next update compares the logs of every dataset (O(datasets × pushes): at 200 arms
 * the fold's pushes cost more than drawing). An index write is seen at the next update, which
 * adds the missing elements in one batch.
 */
export function append<T>(arr: T[], x: T): void { arr[arr.length] = x; }

export interface AggregateSeries {
  mean: Pt[];
  min: Pt[];
  max: Pt[];
  /** mean − std and mean + std (std over seeds, n − 1 in the denominator; 0 for one seed). */
  stdLo: Pt[];
  stdHi: Pt[];
  /** How many seeds contributed at each point. */
  n: number[];
}

export class SeedAggregate implements AggregateSeries {
  readonly mean: Pt[] = [];
  readonly min: Pt[] = [];
  readonly max: Pt[] = [];
  readonly stdLo: Pt[] = [];
  readonly stdHi: Pt[] = [];
  readonly n: number[] = [];
  private readonly keys: number[] = [];
  /** Per key: each job's value, by the job's slot (a small array, not a Map per key: a 200-arm report makes millions of these). */
  private readonly values: (number | undefined)[][] = [];
  /** Per key: Welford's sum of squared deviations over the finite values. */
  private readonly m2: number[] = [];
  private readonly slots = new Map<string, number>();

  /**
   * Sets job `jobId`'s value at `key` (plotted at `x`). Non-finite values leave a gap. A job's
   * first value at a key (the usual case) updates the statistics in O(1) (Welford); a value
   * that replaces an earlier one recomputes them from that key's values.
   */
  set(key: number, x: number, jobId: string, value: number): void {
    let i = this.indexOf(key);
    if (i < 0) i = this.insert(key, x);
    let slot = this.slots.get(jobId);
    if (slot === undefined) { slot = this.slots.size; this.slots.set(jobId, slot); }
    const vals = this.values[i]!;
    const prev = vals[slot];
    vals[slot] = value;
    if (prev !== undefined) { this.recompute(i); return; }
    if (!Number.isFinite(value)) return;
    const count = this.n[i]! + 1;
    const old = count === 1 ? 0 : this.mean[i]!.y;
    const mean = old + (value - old) / count;
    this.m2[i] = (count === 1 ? 0 : this.m2[i]!) + (value - old) * (value - mean);
    this.store(i, count, mean, count === 1 ? value : Math.min(this.min[i]!.y, value), count === 1 ? value : Math.max(this.max[i]!.y, value));
  }

  private recompute(i: number): void {
    let sum = 0; let count = 0; let lo = Infinity; let hi = -Infinity;
    for (const v of this.values[i]!) {
      if (v === undefined || !Number.isFinite(v)) continue;
      sum += v; count++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const mean = count ? sum / count : Number.NaN;
    let ss = 0;
    for (const v of this.values[i]!) if (v !== undefined && Number.isFinite(v)) ss += (v - mean) ** 2;
    this.m2[i] = ss;
    this.store(i, count, mean, count ? lo : Number.NaN, count ? hi : Number.NaN);
  }

  private store(i: number, count: number, mean: number, lo: number, hi: number): void {
    const std = count > 1 ? Math.sqrt(this.m2[i]! / (count - 1)) : 0;
    this.mean[i]!.y = mean;
    this.min[i]!.y = lo;
    this.max[i]!.y = hi;
    this.stdLo[i]!.y = mean - std;
    this.stdHi[i]!.y = mean + std;
    this.n[i] = count;
  }

  get length(): number { return this.keys.length; }

  private indexOf(key: number): number {
    // Keys almost always arrive in order: check the end first.
    const last = this.keys.length - 1;
    if (last >= 0 && this.keys[last] === key) return last;
    if (last < 0 || key > this.keys[last]!) return -1;
    let lo = 0; let hi = last;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const k = this.keys[mid]!;
      if (k === key) return mid;
      if (k < key) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }

  private insert(key: number, x: number): number {
    let i = this.keys.length;
    while (i > 0 && this.keys[i - 1]! > key) i--;
    const nan = Number.NaN;
    // Keys nearly always arrive in order: append without splice (five arrays per new key).
    if (i === this.keys.length) {
      this.keys.push(key); this.values.push([]); this.n.push(0); this.m2.push(0);
      append(this.mean, { x, y: nan }); append(this.min, { x, y: nan }); append(this.max, { x, y: nan }); append(this.stdLo, { x, y: nan }); append(this.stdHi, { x, y: nan });
      return i;
    }
    this.keys.splice(i, 0, key);
    this.values.splice(i, 0, []);
    this.n.splice(i, 0, 0);
    this.m2.splice(i, 0, 0);
    for (const arr of [this.mean, this.min, this.max, this.stdLo, this.stdHi]) arr.splice(i, 0, { x, y: nan });
    return i;
  }
}
