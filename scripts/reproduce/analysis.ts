/**
 * The reproduction's verdicts, computed from the numbers by stated criteria (pure: no files,
 * no tfjs). Every verdict carries the criterion it applied and the numbers it compared, so
 * docs/REPRODUCTION.md can show why.
 */
import { normalCdf } from '../../src/core/formulas';
import { mean, std } from '../../src/core/stats';

export type Verdict = 'reproduced' | 'partly reproduced' | 'not reproduced';

export interface Check { name: string; passed: boolean; detail: string }

export interface Judgement { verdict: Verdict; checks: Check[] }

export interface MeanStd { mean: number; std: number; n: number }

export function meanStd(xs: readonly number[]): MeanStd {
  const v = xs.filter((x) => Number.isFinite(x));
  return { mean: mean(v), std: std(v), n: v.length };
}

/** √((s₁² + s₂²)/2): the spread two arms are compared against. */
export function pooledStd(a: MeanStd, b: MeanStd): number {
  return Math.sqrt((a.std ** 2 + b.std ** 2) / 2);
}

/** All checks passed: reproduced; none: not; otherwise partly. */
export function judge(checks: Check[]): Judgement {
  const passed = checks.filter((c) => c.passed).length;
  const verdict: Verdict = passed === checks.length ? 'reproduced' : passed === 0 ? 'not reproduced' : 'partly reproduced';
  return { verdict, checks };
}

export const fmt = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
export const pm = (s: MeanStd, digits = 2, scale = 1): string => `${fmt(s.mean * scale, digits)} ± ${fmt(s.std * scale, digits)}`;

// --- Study 1: N-ReLU --------------------------------------------------------------------------

/**
 * Claim: N-ReLU σ = 0.05 matches or slightly exceeds ReLU (98.02 % vs 97.91 %).
 * Criterion: N-ReLU's mean accuracy is not below ReLU's by more than their pooled std.
 */
export function judgeNreluVsRelu(nrelu: MeanStd, relu: MeanStd): Check {
  const diff = nrelu.mean - relu.mean;
  const s = pooledStd(nrelu, relu);
  return {
    name: 'N-ReLU σ=0.05 ≥ ReLU − 1 pooled std',
    passed: diff >= -s,
    detail: `difference ${fmt(diff * 100, 2)} points, pooled std ${fmt(s * 100, 2)} points`,
  };
}

/**
 * Claim: accuracy peaks at σ = 0.05–0.10 and degrades above 0.20.
 * Criteria: (1) the best σ in the recommended range is within 1 pooled std of the best σ overall;
 * (2) σ = 0.3 is below that best by more than 1 pooled std.
 */
export function judgeSigmaSweep(bySigma: ReadonlyMap<number, MeanStd>, recommended: readonly [number, number], degradeAbove: number): Judgement {
  const entries = [...bySigma.entries()].filter(([, s]) => Number.isFinite(s.mean));
  const best = entries.reduce((a, b) => (b[1].mean > a[1].mean ? b : a));
  const inRange = entries.filter(([sg]) => sg >= recommended[0] - 1e-12 && sg <= recommended[1] + 1e-12);
  const bestInRange = inRange.reduce((a, b) => (b[1].mean > a[1].mean ? b : a));
  const s1 = pooledStd(best[1], bestInRange[1]);
  const c1: Check = {
    name: `peak in σ ∈ [${recommended[0]}, ${recommended[1]}] (within 1 pooled std of the best σ)`,
    passed: best[1].mean - bestInRange[1].mean <= s1,
    detail: `best σ = ${best[0]} (${pm(best[1], 2, 100)} %), best in range σ = ${bestInRange[0]} (${pm(bestInRange[1], 2, 100)} %)`,
  };
  const high = entries.filter(([sg]) => sg > degradeAbove + 1e-12);
  const degraded = high.map(([sg, s]) => ({ sg, s, gap: bestInRange[1].mean - s.mean, sd: pooledStd(bestInRange[1], s) }));
  const c2: Check = {
    name: `σ > ${degradeAbove} worse than the recommended range by > 1 pooled std`,
    passed: degraded.length > 0 && degraded.every((d) => d.gap > d.sd),
    detail: degraded.map((d) => `σ = ${d.sg}: ${pm(d.s, 2, 100)} %, gap ${fmt(d.gap * 100, 2)} vs pooled std ${fmt(d.sd * 100, 2)} points`).join('; ') || 'no σ above the threshold',
  };
  return judge([c1, c2]);
}

/**
 * Claim (as the paper reports it on MNIST): cosine-annealed σ (0.2 → 0) converges like fixed
 * σ = 0.05 — similar final accuracy, no clear benefit. Criterion: |difference| ≤ 1 pooled std.
 */
export function judgeAnnealing(cosine: MeanStd, fixed: MeanStd): Check {
  const diff = cosine.mean - fixed.mean;
  const s = pooledStd(cosine, fixed);
  return {
    name: 'annealed ≈ fixed (|difference| ≤ 1 pooled std)',
    passed: Math.abs(diff) <= s,
    detail: `annealed − fixed = ${fmt(diff * 100, 2)} points, pooled std ${fmt(s * 100, 2)} points`,
  };
}

/** One fixed-σ N-ReLU job's last probe: unit counts over its hidden layers, and what drew them. */
export interface DeadCounts {
  /** Units dead by the paper's definition (|mean activation| < τ) and gradient-dead units. */
  deadMean: number; deadGrad: number;
  sigma: number; tau: number;
  /** Rows each unit's mean is over (the probe samples, for dense layers). */
  rows: number;
}

/**
 * Claim: no dead units with N-ReLU. By the paper's definition (|mean activation| < τ, noise on) a
 * unit whose pre-activations are all negative outputs pure noise, whose mean over r rows is
 * N(0, σ²/r): it still counts as dead with probability p = 2Φ(τ√r/σ) − 1 (~0.5 % at σ = 0.05,
 * r = 1,000, τ = 1e-5). So "zero dead units" can fail by chance alone (one run did: 1 unit of
 * 384). Criterion: the units dead by the paper's definition, over all fixed-σ N-ReLU jobs, are
 * no more than chance makes of their all-negative (gradient-dead) units, λ = Σ p·#gradient-dead:
 * at most λ + 4√λ + 1. A real failure (units whose output is exactly zero) would exceed it.
 * The gradient-dead count is reported beside it: it "agrees" when it is zero too.
 */
export function judgeDead(jobs: readonly DeadCounts[]): Judgement {
  const observed = jobs.reduce((n, j) => n + j.deadMean, 0);
  const expected = jobs.reduce((n, j) => n + j.deadGrad * (2 * normalCdf((j.tau * Math.sqrt(j.rows)) / j.sigma) - 1), 0);
  const bound = expected + 4 * Math.sqrt(expected) + 1;
  const gradDead = jobs.reduce((n, j) => n + j.deadGrad, 0);
  return judge([
    {
      name: 'no unit dead by the paper\'s definition beyond chance (N-ReLU, fixed σ)',
      passed: observed <= bound,
      detail: `${fmt(observed, 0)} units over ${jobs.length} jobs; noise alone would make ${fmt(expected, 2)} of their ${fmt(gradDead, 0)} all-negative units (bound ${fmt(bound, 1)})`,
    },
    { name: 'the gradient-dead count agrees (also zero)', passed: gradDead === 0, detail: `${fmt(gradDead, 0)} gradient-dead units over ${jobs.length} jobs` },
  ]);
}

// --- Study 2: leaky ReLU ----------------------------------------------------------------------

export interface GradCheckInput { alpha: number; mean: number; variance: number; seMean: number; seVar: number; theoryMean: number; theoryVar: number }

/** E[G] and Var[G] within 4 standard errors of (1+α)/2 and (1−α)²/4 (plus float32 rounding). */
export function judgeGradStats(stats: readonly GradCheckInput[]): Judgement {
  const checks = stats.map((s): Check => {
    const zMean = Math.abs(s.mean - s.theoryMean) / s.seMean;
    const errVar = Math.abs(s.variance - s.theoryVar);
    const okVar = errVar <= 4 * s.seVar + 1e-5;
    return {
      name: `α = ${s.alpha}`,
      passed: zMean <= 4 && okVar,
      detail: `E[G] ${s.mean.toFixed(5)} vs ${s.theoryMean.toFixed(5)} (${zMean.toFixed(2)} SE); Var ${s.variance.toFixed(6)} vs ${s.theoryVar.toFixed(6)} (|Δ| ${errVar.toExponential(1)})`,
    };
  });
  return judge(checks);
}

/**
 * α-aware He keeps the activation variance flat: geometric mean (over seeds) of the ratio
 * last/first layer within [½, 2] for every α. Plain He drifts by (1+α²) per layer: its ratio
 * divided by the α-aware one is (1+α²)^(depth−1) within 1 %.
 */
export function judgeDepth(rows: readonly { alpha: number; init: string; ratios: readonly number[] }[], depth: number): Judgement {
  const geo = (xs: readonly number[]): number => Math.exp(mean(xs.map(Math.log)));
  const checks: Check[] = [];
  for (const r of rows.filter((x) => x.init === 'leakyHe')) {
    const g = geo(r.ratios);
    checks.push({ name: `leakyHe flat at α = ${r.alpha}`, passed: g >= 0.5 && g <= 2, detail: `ratio last/first ${fmt(g, 3)} (geometric mean of ${r.ratios.length} seeds)` });
  }
  for (const r of rows.filter((x) => x.init === 'he')) {
    const lk = rows.find((x) => x.init === 'leakyHe' && x.alpha === r.alpha);
    if (!lk) continue;
    const predicted = (1 + r.alpha ** 2) ** (depth - 1);
    const got = geo(r.ratios) / geo(lk.ratios);
    checks.push({ name: `plain He drifts as (1+α²)^${depth - 1} at α = ${r.alpha}`, passed: Math.abs(got / predicted - 1) < 0.01, detail: `He/leakyHe ratio ${fmt(got, 3)}, predicted ${fmt(predicted, 3)}` });
  }
  return judge(checks);
}

// --- Study 3: negative α ----------------------------------------------------------------------

/**
 * Claim: α = −1 trains fastest. Criteria at each checkpoint epoch: α = −1 has the lowest mean
 * training loss. All checkpoints: reproduced; some: partly; none: not.
 */
export function judgeNegativeAlpha(lossAt: ReadonlyMap<number, ReadonlyMap<number, MeanStd>>, best: number): Judgement {
  const checks: Check[] = [];
  for (const [epoch, byAlpha] of lossAt) {
    const ranked = [...byAlpha.entries()].filter(([, s]) => Number.isFinite(s.mean)).sort((a, b) => a[1].mean - b[1].mean);
    const top = ranked[0];
    checks.push({
      name: `α = ${best} lowest training loss at epoch ${epoch}`,
      passed: top !== undefined && top[0] === best,
      detail: ranked.map(([a, s]) => `α=${a}: ${pm(s, 4)}`).join('; '),
    });
  }
  return judge(checks);
}

// --- Study 4: input masking -------------------------------------------------------------------

/** Closed form vs Monte Carlo: every |error| within 4 MC standard errors (counted in `violations` by the caller). */
export function judgeSmoothMc(rows: readonly { sigma: number; maxErr: number; maxZ: number; violations: number; points: number }[]): Judgement {
  return judge(rows.map((r) => ({
    name: `σ = ${r.sigma}`,
    passed: r.violations === 0,
    detail: `max |closed − MC| ${r.maxErr.toExponential(2)}, max |error|/SE ${fmt(r.maxZ, 2)} over ${r.points} points`,
  })));
}

export interface CurveStats {
  kappa: number;
  /** Mean over seeds, per epoch (index 0 = epoch 1). */
  curve: number[];
}

/** Mean of `curve` over epochs [from, to) (0-based indices), clipped. */
export function windowMean(curve: readonly number[], from: number, to: number): number {
  const a = Math.max(0, Math.floor(from));
  const b = Math.min(curve.length, Math.ceil(to));
  return mean(curve.slice(a, b));
}

/**
 * Claims: (1) the same initial rate for every κ; (2) a plateau that rises with κ; (3) κ = 0 keeps
 * descending. Criteria: (1) the initial log-rate log(L₁/L_k)/(k−1), k = 5 % of the epochs, of
 * every κ within 20 % of κ = 0's; (2) the mean loss over the last 10 % of epochs strictly
 * increases with κ; (3) κ = 0's loss falls by more than 10 % from the middle window (45–55 %) to
 * the last, and by more (relatively) than the largest κ's.
 */
export function judgeMasking(curves: readonly CurveStats[]): { judgement: Judgement; rates: Map<number, number>; plateaus: Map<number, number>; drops: Map<number, number> } {
  const sorted = [...curves].sort((a, b) => a.kappa - b.kappa);
  const T = Math.min(...sorted.map((c) => c.curve.length));
  const k = Math.max(2, Math.round(T * 0.05));
  const rates = new Map<number, number>();
  const plateaus = new Map<number, number>();
  const drops = new Map<number, number>();
  for (const c of sorted) {
    const start = windowMean(c.curve, 0, 1);
    const atK = windowMean(c.curve, k - 1, k);
    rates.set(c.kappa, Math.log(start / atK) / (k - 1));
    plateaus.set(c.kappa, windowMean(c.curve, T * 0.9, T));
    const mid = windowMean(c.curve, T * 0.45, T * 0.55);
    drops.set(c.kappa, 1 - windowMean(c.curve, T * 0.9, T) / mid);
  }
  const r0 = rates.get(0) ?? Number.NaN;
  const c1: Check = {
    name: `same initial rate (log-rate over the first ${k} epochs within 20 % of κ = 0)`,
    passed: sorted.every((c) => Math.abs(rates.get(c.kappa)! / r0 - 1) <= 0.2),
    detail: sorted.map((c) => `κ=${c.kappa}: ${rates.get(c.kappa)!.toExponential(3)}/epoch`).join('; '),
  };
  const ps = sorted.map((c) => plateaus.get(c.kappa)!);
  const c2: Check = {
    name: 'plateau (mean loss over the last 10 % of epochs) rises with κ',
    passed: ps.every((p, i) => i === 0 || p > ps[i - 1]!),
    detail: sorted.map((c) => `κ=${c.kappa}: ${plateaus.get(c.kappa)!.toFixed(4)}`).join('; '),
  };
  const d0 = drops.get(0) ?? Number.NaN;
  const top = sorted[sorted.length - 1]!;
  const c3: Check = {
    name: 'κ = 0 keeps descending (> 10 % drop from mid-run to the end, more than the largest κ)',
    passed: d0 > 0.1 && d0 > drops.get(top.kappa)!,
    detail: sorted.map((c) => `κ=${c.kappa}: ${fmt(drops.get(c.kappa)! * 100, 1)} %`).join('; '),
  };
  return { judgement: judge([c1, c2, c3]), rates, plateaus, drops };
}

// --- Study 3, faithful set-up: convergence rates ---------------------------------------------

/**
 * The convergence rate of one training curve: minus the least-squares slope of ln(loss) against
 * the step, per step (a linear-rate claim, loss ≈ L₀·e^(−r·t), is about r). NaN when any loss is
 * not finite and positive (a diverged run has no rate).
 */
export function logLossRate(curve: readonly number[]): number {
  if (curve.length < 2 || !curve.every((v) => Number.isFinite(v) && v > 0)) return Number.NaN;
  const ys = curve.map(Math.log);
  const tBar = (curve.length + 1) / 2;
  const yBar = mean(ys);
  let sxy = 0, sxx = 0;
  ys.forEach((y, i) => { const dt = i + 1 - tBar; sxy += dt * (y - yBar); sxx += dt * dt; });
  return -sxy / sxx;
}

/** Steps (1-based) until the loss is at most `fraction` of the first step's; NaN if never. */
export function stepsToFraction(curve: readonly number[], fraction: number): number {
  const target = curve[0]! * fraction;
  const i = curve.findIndex((v) => v <= target);
  return i < 0 ? Number.NaN : i + 1;
}

/** One (α, learning rate) cell: the rate of each seed (NaN for a seed that diverged or failed). */
export interface RateCell { alpha: number; lr: number; rates: number[] }

/** The cell an α is judged at: its learning rate of highest mean rate among those no seed diverged at. */
export function bestRate(cells: readonly RateCell[]): { lr: number; rate: MeanStd; tried: number; edge: boolean } | undefined {
  const ok = cells.filter((c) => c.rates.length > 0 && c.rates.every(Number.isFinite));
  if (ok.length === 0) return undefined;
  const best = ok.reduce((a, b) => (mean(b.rates) > mean(a.rates) ? b : a));
  const lrs = cells.map((c) => c.lr);
  return { lr: best.lr, rate: meanStd(best.rates), tried: cells.length, edge: best.lr === Math.max(...lrs) };
}

/**
 * Claim: α = −1 gives the fastest training convergence (the rate bound is optimal there), with L
 * trained hidden layers. Criterion, per depth: with every α at its best learning rate of the grid,
 * α = −1 has the highest mean rate over seeds. The margin over the runner-up is set against the
 * pooled std, so the detail says whether the win is clear of the seed spread.
 */
export function judgeRates(byDepth: ReadonlyMap<number, ReadonlyMap<number, { lr: number; rate: MeanStd }>>, best: number): Judgement {
  const checks: Check[] = [];
  for (const [depth, byAlpha] of byDepth) {
    const ranked = [...byAlpha.entries()].sort((a, b) => b[1].rate.mean - a[1].rate.mean);
    const top = ranked[0];
    const mine = byAlpha.get(best);
    const rival = ranked.find(([a]) => a !== best);
    const margin = mine && rival ? mine.rate.mean - rival[1].rate.mean : Number.NaN;
    const sd = mine && rival ? pooledStd(mine.rate, rival[1].rate) : Number.NaN;
    checks.push({
      name: `α = ${best} converges fastest with L = ${depth} (rate at each α's best learning rate)`,
      passed: top !== undefined && top[0] === best,
      detail: `${ranked.map(([a, c]) => `α=${a}: ${fmtRate(c.rate)} (lr ${c.lr})`).join('; ')}; α = ${best} − next best ${Number.isFinite(margin) ? margin.toExponential(2) : 'n/a'} vs pooled std ${Number.isFinite(sd) ? sd.toExponential(2) : 'n/a'}${Number.isFinite(margin) && Math.abs(margin) <= sd ? ' (within the seed spread)' : ''}`,
    });
  }
  return judge(checks);
}

/** A rate per step, mean ± std, in scientific notation (rates are small numbers). */
export const fmtRate = (s: MeanStd): string => (Number.isFinite(s.mean) ? `${s.mean.toExponential(2)} ± ${s.std.toExponential(1)}` : 'n/a');
