/**
 * Study 3 in the set-up arXiv 2402.11942 analyses (negative-alpha-faithful.actlab.json): the
 * convergence rate of the training loss per α, each α at its best learning rate, per depth.
 */
import type { JobSpec } from '../../src/core/config';
import { NEGATIVE_ALPHA } from '../../src/core/papers';
import { bestRate, fmt, fmtRate, judgeRates, logLossRate, meanStd, pm, stepsToFraction, type MeanStd, type RateCell } from './analysis';
import { groupBy, type StudyJob, type StudyRun } from './runs';
import { completed, curveOf, describeRun, verdictBlock, whyOf, writeFigure, type FigureSink, type Section } from './studies';
import { lineChart, type Series } from './svg';

/** Loss at most this fraction of the first step's: the "steps to" column (a second view of the rate). */
const REACH_FRACTION = 0.1;

const alphaOf = (j: StudyJob): number => (j.spec.activation.type === 'leakyRelu' ? j.spec.activation.alpha : Number.NaN);
/** Trained hidden layers: the first hidden layer is the frozen input layer A. */
const depthOfSpec = (s: JobSpec): number => (s.model.type === 'mlp' ? s.model.hidden.length - (s.model.freeze?.includes('input') ? 1 : 0) : Number.NaN);
const depthOf = (j: StudyJob): number => depthOfSpec(j.spec);
const lossCurve = (j: StudyJob): number[] => j.history.map((e) => e.trainLoss);

/** A job's rate: NaN unless it completed every epoch with finite losses. */
function jobRate(j: StudyJob): number {
  return j.status === 'completed' && j.history.length === j.spec.training.epochs ? logLossRate(lossCurve(j)) : Number.NaN;
}

interface Best { lr: number; rate: MeanStd; edge: boolean; jobs: StudyJob[]; diverged: number[] }

/** Per depth, per α: its best learning rate's cell and the learning rates where a seed diverged. */
function bestCells(run: StudyRun): Map<number, Map<number, Best>> {
  const out = new Map<number, Map<number, Best>>();
  for (const [, byDepth] of groupBy(run.jobs, (j) => String(depthOf(j)))) {
    const depth = depthOf(byDepth[0]!);
    const m = new Map<number, Best>();
    for (const [, jobs] of groupBy(byDepth, (j) => String(alphaOf(j)))) {
      const byLr = groupBy(jobs, (j) => String(j.spec.training.learningRate));
      const cells: RateCell[] = [...byLr.values()].map((js) => ({ alpha: alphaOf(js[0]!), lr: js[0]!.spec.training.learningRate, rates: js.map(jobRate) }));
      const b = bestRate(cells);
      const diverged = cells.filter((c) => !c.rates.every(Number.isFinite)).map((c) => c.lr);
      if (b) m.set(alphaOf(jobs[0]!), { lr: b.lr, rate: b.rate, edge: b.edge, jobs: byLr.get(String(b.lr))!, diverged });
    }
    out.set(depth, new Map([...m.entries()].sort((a, b) => a[0] - b[0])));
  }
  return new Map([...out.entries()].sort((a, b) => a[0] - b[0]));
}

const backends = (run: StudyRun): string => [...new Set(run.jobs.map((x) => x.start?.backend.name).filter((n): n is NonNullable<typeof n> => n !== undefined))].join('/') || 'unknown';

function setupText(run: StudyRun): string[] {
  const j = run.config.jobs[0]!;
  const d = j.data;
  const lrs = [...new Set(run.config.jobs.map((x) => x.training.learningRate))].sort((a, b) => a - b);
  const depths = [...new Set(run.config.jobs.map((x) => depthOfSpec(x)))].sort((a, b) => a - b);
  const widths = [...new Set(run.config.jobs.map((x) => (x.model.type === 'mlp' ? x.model.hidden[0]! : 0)))];
  const seeds = [...new Set(run.config.jobs.map((x) => x.seed))];
  const inputs = d.dataset === 'teacher' ? `${d.inputs === 'sphere' ? 'inputs on the unit sphere' : 'Gaussian inputs'}${d.appendConstant === undefined ? '' : ` with a constant coordinate ${fmt(d.appendConstant, 4)} (the whole input has norm 1)`}, d = ${d.d}, ${d.trainSize} training samples, targets from a two-layer ReLU teacher of width ${d.width}` : d.dataset;
  const paperScale = depths.length === 1 && depths[0] === NEGATIVE_ALPHA.paperDepth && widths[0] === NEGATIVE_ALPHA.paperWidth;
  return [
    `**Claim** (${NEGATIVE_ALPHA.ref}): for an overparameterized network trained by gradient descent, the bound on the training error's convergence *rate* is best at α = ${NEGATIVE_ALPHA.bestAlpha} (the absolute value), using the rescaled activation √(2/(1+α²))·leakyRelu_α with its rescaled initialisation; deeper networks gain more.`,
    '',
    `**The paper's set-up**: L hidden layers of width m; the input layer A and the output layer B fixed at their initial values, only W₁…W_L trained; no biases; inputs on the unit sphere with a constant coordinate (the NTK line of Allen-Zhu et al.); the synthetic experiment uses L = ${NEGATIVE_ALPHA.paperDepth}, m = ${NEGATIVE_ALPHA.paperWidth.toLocaleString('en-US')}.`,
    '',
    `**Ours** (${describeRun(run)}): ${inputs}; the input layer and the output layer frozen, no biases, init \`${j.model.init}\`; L ∈ {${depths.join(', ')}} trained hidden layers of width ${widths.join('/')}; full-batch gradient descent for ${j.training.epochs} steps on the MSE, every α at every learning rate of {${lrs.join(', ')}}; seeds ${seeds.join(', ')}.`,
    '',
    `**What ran where**: ${paperScale ? `the paper's scale (\`--full\`), on backend ${backends(run)}.` : `the CPU-sized grid, on backend ${backends(run)}; the paper's scale is \`npm run reproduce -- --study negative-alpha --full --backend NAME\` (meant for a GPU backend) and was not run for this file.`}`,
    '',
    `**Remaining differences**: ${paperScale ? '' : `depth and width (L ≤ ${Math.max(...depths)}, m = ${widths.join('/')} instead of L = ${NEGATIVE_ALPHA.paperDepth}, m = ${NEGATIVE_ALPHA.paperWidth.toLocaleString('en-US')}: sized for 2 CPU cores; \`--full\` runs the paper's scale); `}the output layer is drawn by the rescaled init (variance 1/m), not the paper's N(0, 1/d_out); the paper does not say what its synthetic targets are, ours come from a ReLU teacher; its learning rate is "small", ours is the best of a grid per α; ${d.trainSize} training samples; float32.`,
    '',
    `**Criterion** (a rate, as the claim): a job's rate r is minus the least-squares slope of ln(training MSE) over all ${j.training.epochs} steps (loss ≈ L₀·e^(−r·t)). Each α is judged at its best learning rate: the one of highest mean r over seeds among those at which no seed diverged. Per depth, α = ${NEGATIVE_ALPHA.bestAlpha} must have the highest mean r; the margin over the next α is set against the pooled std over seeds. All depths: reproduced; some: partly; none: not. Steps until the loss is ${REACH_FRACTION * 100} % of its first value are shown as a second view of the same rate.`,
  ];
}

export function negativeAlphaFaithfulSection(run: StudyRun, sink: FigureSink): Section {
  const cells = bestCells(run);
  const j = judgeRates(new Map([...cells.entries()].map(([L, m]) => [L, new Map([...m.entries()].map(([a, b]) => [a, { lr: b.lr, rate: b.rate }]))])), NEGATIVE_ALPHA.bestAlpha);
  const depths = [...cells.keys()];
  const alphas = [...new Set(depths.flatMap((L) => [...cells.get(L)!.keys()]))].sort((a, b) => a - b);
  const rateSeries: Series[] = depths.map((L) => {
    const m = cells.get(L)!;
    const as = alphas.filter((a) => m.has(a));
    return { label: `L = ${L}`, x: as, y: as.map((a) => m.get(a)!.rate.mean), err: as.map((a) => m.get(a)!.rate.std), points: true };
  });
  const figRate = writeFigure(sink, 'negative-alpha-faithful-rate.svg', lineChart(rateSeries, { title: 'Convergence rate per α at its best learning rate (paper\'s set-up)', xLabel: 'α', yLabel: 'rate r = −d ln(MSE)/dt (mean ± std)' }));
  const deepest = depths[depths.length - 1]!;
  const curves: Series[] = [...cells.get(deepest)!.entries()].map(([a, b]) => ({ label: `α = ${a} (lr ${b.lr})`, ...curveOf(completed(b.jobs), (e) => e.trainLoss), dashed: a === NEGATIVE_ALPHA.bestAlpha }));
  const figLoss = writeFigure(sink, 'negative-alpha-faithful-loss.svg', lineChart(curves, { title: `Training loss, L = ${deepest}, each α at its best learning rate`, xLabel: 'full-batch GD step', yLabel: 'training MSE (mean ± std)', logY: true }));
  const rows = depths.flatMap((L) => [...cells.get(L)!.entries()].map(([a, b]) => {
    const reach = b.jobs.map((x) => stepsToFraction(lossCurve(x), REACH_FRACTION));
    const reached = reach.filter(Number.isFinite);
    const final = meanStd(b.jobs.map((x) => x.history[x.history.length - 1]!.trainLoss));
    return `| ${L} | ${a} | ${b.lr}${b.edge ? ' (grid edge)' : ''} | ${fmtRate(b.rate)} | ${reached.length === reach.length ? pm(meanStd(reached), 0) : `${reached.length}/${reach.length} seeds reached`} | ${pm(final, 4)} | ${b.diverged.join(', ') || '—'} |`;
  }));
  const edge = depths.some((L) => [...cells.get(L)!.values()].some((b) => b.edge));
  // The second view, stated beside the verdict so a disagreement between the two is visible.
  const bySteps = depths.map((L) => {
    const means = [...cells.get(L)!.entries()].map(([a, b]) => {
      const r = b.jobs.map((x) => stepsToFraction(lossCurve(x), REACH_FRACTION));
      return [a, r.every(Number.isFinite) ? meanStd(r).mean : Number.NaN] as const;
    }).filter(([, m]) => Number.isFinite(m)).sort((x, y) => x[1] - y[1]);
    return means.length ? `L = ${L}: α = ${means[0]![0]} (${fmt(means[0]![1], 0)} steps)` : `L = ${L}: no α reached it on every seed`;
  });
  const md = [
    ...setupText(run),
    '',
    `Per depth L and α, at its best learning rate (mean ± std over seeds):`,
    '',
    `| L | α | best lr | rate r per step | steps to ${REACH_FRACTION * 100} % of the first loss | final training MSE | lr where a seed diverged |`,
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Fewest steps to ${REACH_FRACTION * 100} % of the first loss (every seed reaching it; not the verdict): ${bySteps.join('; ')}.`,
    '',
    edge ? 'A best learning rate at the grid\'s largest value ("grid edge") means a larger one might have been faster still for that α: its rate is a lower bound.' : 'No α had its best learning rate at the grid\'s largest value.',
    '',
    `![Rate per α](${figRate})`,
    '',
    `![Training loss per α](${figLoss})`,
    '',
    verdictBlock(j),
  ].join('\n');
  return { title: '3. Negative α / absolute value, the paper\'s set-up (arXiv 2402.11942)', verdict: j.verdict, why: whyOf(j), markdown: md };
}
