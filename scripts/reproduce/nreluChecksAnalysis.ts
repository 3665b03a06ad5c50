/**
 * Criteria for the N-ReLU "next checks" (seed notes on arXiv 2511.07559): pure functions of the
 * per-seed numbers, so the verdicts are testable without a run folder.
 */
import { ci95, mean, std } from '../../src/core/stats';
import { welchInterval } from '../../src/core/tstat';
import { fmt, judge, meanStd, type Check, type Judgement } from './analysis';

/** Mean of a − b over paired seeds with its 95 % Student-t interval (NaN bounds for n < 2). */
export interface PairedDiff { mean: number; low: number; high: number; n: number }

/** Paired differences a[i] − b[i] (same seed), non-finite pairs dropped. */
export function pairedDiff(a: readonly number[], b: readonly number[]): PairedDiff {
  const d: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]! - b[i]!;
    if (Number.isFinite(x)) d.push(x);
  }
  const ci = ci95(d);
  return { mean: d.length ? mean(d) : Number.NaN, low: ci.low, high: ci.high, n: d.length };
}

/** "+0.12 points [−0.05, +0.29]" for an accuracy difference (fractions in, points out). */
export function fmtDiff(d: { mean: number; low: number; high: number }, scale = 100, digits = 2): string {
  const s = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(x * scale).toFixed(digits)}` : 'n/a');
  return `${s(d.mean)} [${s(d.low)}, ${s(d.high)}]`;
}

/** One σ of the inference study: per-seed test accuracies of the two modes, seed-aligned. */
export interface InferencePair { sigma: number; deterministic: number[]; stochastic: number[] }

/**
 * Question (the paper leaves inference unspecified): does the deterministic fallback (noise off,
 * i.e. ReLU at test time) lose accuracy against stochastic inference of the same weights?
 * Criterion per σ: the 95 % CI of the paired difference deterministic − stochastic over seeds does
 * not lie entirely below 0 (deterministic is not significantly worse).
 */
export function judgeInference(pairs: readonly InferencePair[]): { judgement: Judgement; diffs: Map<number, PairedDiff> } {
  const diffs = new Map<number, PairedDiff>();
  const checks: Check[] = pairs.map((p) => {
    const d = pairedDiff(p.deterministic, p.stochastic);
    diffs.set(p.sigma, d);
    return {
      name: `σ = ${p.sigma}: deterministic not below stochastic (95 % CI of the paired difference not < 0)`,
      passed: Number.isFinite(d.high) && d.high >= 0,
      detail: `deterministic − stochastic ${fmtDiff(d)} points over ${d.n} seeds`,
    };
  });
  return { judgement: judge(checks), diffs };
}

/** Largest |a − b| over the epochs both histories have: 0 when two jobs trained identically. */
export function maxCurveGap(a: readonly number[], b: readonly number[]): number {
  let m = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Per-seed numbers of one arm: final test accuracy and dead fractions (three rules). */
export interface ArmNumbers { accuracy: number[]; deadMean: number[]; deadSigned: number[]; deadGrad: number[] }

/** Welch's 95 % interval of mean(a) − mean(b) (undefined bounds become NaN). */
export function welchDiff(a: readonly number[], b: readonly number[]): PairedDiff {
  const sa = meanStd(a), sb = meanStd(b);
  const w = welchInterval(sa, sb);
  return { mean: sa.mean - sb.mean, low: w?.lo ?? Number.NaN, high: w?.hi ?? Number.NaN, n: Math.min(sa.n, sb.n) };
}

/**
 * Check (seed notes, "compare N-ReLU against batch normalisation + ReLU to isolate regularisation
 * effects"), framed by the paper's claim that N-ReLU matches standard set-ups: (1) N-ReLU σ = 0.05
 * without normalisation is not significantly below BatchNorm + ReLU (Welch 95 % CI of the
 * difference not entirely < 0); (2) its dead fraction by the paper's |mean| < τ rule is not
 * significantly above BatchNorm + ReLU's (Welch 95 % CI of the difference not entirely > 0).
 */
export function judgeBatchNorm(nrelu: ArmNumbers, bnRelu: ArmNumbers): { judgement: Judgement; accDiff: PairedDiff } {
  const accDiff = welchDiff(nrelu.accuracy, bnRelu.accuracy);
  const deadDiff = welchDiff(nrelu.deadMean, bnRelu.deadMean);
  const checks: Check[] = [
    {
      name: 'N-ReLU σ=0.05 (no normalisation) not below BatchNorm + ReLU (Welch 95 % CI not < 0)',
      passed: Number.isFinite(accDiff.high) && accDiff.high >= 0,
      detail: `N-ReLU − BatchNorm+ReLU ${fmtDiff(accDiff)} points`,
    },
    {
      name: 'N-ReLU\'s dead units (|mean| < τ) not above BatchNorm + ReLU\'s (Welch 95 % CI not > 0)',
      passed: Number.isFinite(deadDiff.low) && deadDiff.low <= 0,
      detail: `N-ReLU − BatchNorm+ReLU ${fmtDiff(deadDiff)} points of hidden units (${fmt(meanStd(nrelu.deadMean).mean * 100, 2)} % vs ${fmt(meanStd(bnRelu.deadMean).mean * 100, 2)} %)`,
    },
  ];
  return { judgement: judge(checks), accDiff };
}

/** The learned σ after each epoch of one job: mean, min and max over units. */
export interface SigmaPoint { mean: number; min: number; max: number }

/** Per epoch, over seeds: the mean of the units' mean σ, its std over seeds, the widest min/max. */
export function sigmaTrajectory(jobs: readonly (readonly SigmaPoint[])[]): { mean: number[]; std: number[]; min: number[]; max: number[] } {
  const T = jobs.length ? Math.min(...jobs.map((j) => j.length)) : 0;
  const out = { mean: [] as number[], std: [] as number[], min: [] as number[], max: [] as number[] };
  for (let i = 0; i < T; i++) {
    const at = jobs.map((j) => j[i]!);
    out.mean.push(mean(at.map((p) => p.mean)));
    out.std.push(std(at.map((p) => p.mean)));
    out.min.push(Math.min(...at.map((p) => p.min)));
    out.max.push(Math.max(...at.map((p) => p.max)));
  }
  return out;
}

/**
 * Open question of the paper: a learnable noise level could outperform a fixed σ. Criterion: the
 * paired difference learned − fixed in final test accuracy has a 95 % CI entirely above 0. The σ
 * trajectory is reported beside it (where the optimizer takes σ), not judged.
 */
export function judgeLearnedSigma(learned: readonly number[], fixed: readonly number[]): { judgement: Judgement; diff: PairedDiff } {
  const diff = pairedDiff(learned, fixed);
  return {
    diff,
    judgement: judge([{
      name: 'learned σ better than fixed σ = 0.1 (95 % CI of the paired difference > 0)',
      passed: Number.isFinite(diff.low) && diff.low > 0,
      detail: `learned − fixed ${fmtDiff(diff)} points over ${diff.n} seeds`,
    }]),
  };
}
