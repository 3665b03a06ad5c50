/**
 * Exponential moving average for display. It writes into a separate array and never touches
 * the raw points (TensorBoard's old smoothing rewrote past points; users could not get raw
 * data back). Debiased like TensorBoard's: early points are not dragged towards 0.
 * Non-finite values (a diverged loss) pass through as gaps and do not poison the average.
 */
import type { Pt } from './aggregate';

export function emaInto(raw: readonly Pt[], weight: number, out: Pt[]): Pt[] {
  out.length = raw.length;
  let last = 0;
  let debias = 0;
  for (let i = 0; i < raw.length; i++) {
    const p = raw[i]!;
    let y = p.y;
    if (Number.isFinite(y)) {
      last = last * weight + (1 - weight) * y;
      debias = debias * weight + (1 - weight);
      y = last / debias;
    }
    const o = out[i];
    if (o) { o.x = p.x; o.y = y; } else out[i] = { x: p.x, y };
  }
  return out;
}
