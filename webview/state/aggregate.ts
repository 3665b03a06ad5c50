/**
 * Mean, spread and range over seeds, kept per key (an epoch, or a bucket of steps) and
 * updated in place: one new value costs O(seeds at that key), never a pass over the series.
 * The point arrays are handed to Chart.js as they are (parsing: false), so an update here is
 * what the next chart.update() draws.
 */
export interface Pt { x: number; y: number }

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
  private readonly values: Map<string, number>[] = [];

  /** Sets job `jobId`'s value at `key` (plotted at `x`). Non-finite values leave a gap. */
  set(key: number, x: number, jobId: string, value: number): void {
    let i = this.indexOf(key);
    if (i < 0) i = this.insert(key, x);
    const vals = this.values[i]!;
    vals.set(jobId, value);
    let sum = 0; let count = 0; let lo = Infinity; let hi = -Infinity;
    for (const v of vals.values()) {
      if (!Number.isFinite(v)) continue;
      sum += v; count++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const mean = count ? sum / count : Number.NaN;
    let ss = 0;
    for (const v of vals.values()) if (Number.isFinite(v)) ss += (v - mean) ** 2;
    const std = count > 1 ? Math.sqrt(ss / (count - 1)) : 0;
    this.mean[i]!.y = mean;
    this.min[i]!.y = count ? lo : Number.NaN;
    this.max[i]!.y = count ? hi : Number.NaN;
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
      this.keys.push(key); this.values.push(new Map()); this.n.push(0);
      this.mean.push({ x, y: nan }); this.min.push({ x, y: nan }); this.max.push({ x, y: nan }); this.stdLo.push({ x, y: nan }); this.stdHi.push({ x, y: nan });
      return i;
    }
    this.keys.splice(i, 0, key);
    this.values.splice(i, 0, new Map());
    this.n.splice(i, 0, 0);
    for (const arr of [this.mean, this.min, this.max, this.stdLo, this.stdHi]) arr.splice(i, 0, { x, y: nan });
    return i;
  }
}
