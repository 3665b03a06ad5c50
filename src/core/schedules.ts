/**
 * σ (and other hyperparameter) schedules over t = 0..T, T the last epoch or step.
 * Cosine: σ_t = σ_end + ½(σ_start − σ_end)(1 + cos(π t / T))  (N-ReLU, arXiv 2511.07559, Eq. 9).
 */
import type { RawSchedule, Schedule, ScheduledNumber } from './config';

/** Turns a number or a raw schedule into an explicit one. */
export function toSchedule(value: ScheduledNumber): Schedule {
  if (typeof value === 'number') return { kind: 'constant', start: value, end: value, per: 'epoch', every: 1, factor: 1 };
  const s: RawSchedule = value;
  const end = s.end ?? s.start;
  return { kind: s.schedule, start: s.start, end, per: s.per ?? 'epoch', every: s.every ?? 1, factor: s.factor ?? 0.5 };
}

/** The value at t ∈ [0, T]; t is clamped. T = 0 gives the start value. */
export function scheduleValue(s: Schedule, t: number, T: number): number {
  const u = T > 0 ? Math.min(Math.max(t / T, 0), 1) : 0;
  switch (s.kind) {
    case 'constant':
      return s.start;
    case 'linear':
      return s.start + (s.end - s.start) * u;
    case 'cosine':
      return s.end + 0.5 * (s.start - s.end) * (1 + Math.cos(Math.PI * u));
    case 'exponential':
      // Geometric interpolation; an end of 0 is approached but never reached, so clamp to it at u = 1.
      if (s.start <= 0 || s.end <= 0) return u >= 1 ? s.end : s.start * Math.pow(Math.max(s.end, 1e-12) / s.start, u);
      return s.start * Math.pow(s.end / s.start, u);
    case 'step':
      return s.start * Math.pow(s.factor, Math.floor(Math.max(t, 0) / Math.max(s.every, 1e-12)));
  }
}

/**
 * The value the trainer uses during epoch `epoch` (0-based) at global step `step`.
 * Per-epoch schedules run t = 0..epochs−1, per-step ones t = 0..totalSteps−1.
 */
export function scheduleAt(s: Schedule, epoch: number, step: number, epochs: number, totalSteps: number): number {
  return s.per === 'step' ? scheduleValue(s, step, totalSteps - 1) : scheduleValue(s, epoch, epochs - 1);
}

/** The planned curve, one value per epoch (per-step schedules sampled at each epoch's first step). */
export function plannedPerEpoch(s: Schedule, epochs: number, stepsPerEpoch: number): number[] {
  const total = epochs * stepsPerEpoch;
  return Array.from({ length: epochs }, (_, e) => scheduleAt(s, e, e * stepsPerEpoch, epochs, total));
}
