/**
 * The N-ReLU "next checks" of the seed notes (arXiv 2511.07559): inference mode, BatchNorm + ReLU,
 * learnable σ and CIFAR-10. Runs their presets (examples/reproduce) through the CLI and writes one
 * report section each; kept apart from studies.ts so main.ts only registers it.
 */
import { dirname, join, relative, resolve } from 'node:path';
import { NRELU } from '../../src/core/papers';
import { fmt, judgeNreluVsRelu, meanStd, pm, type Judgement } from './analysis';
import {
  fmtDiff, judgeBatchNorm, judgeInference, judgeLearnedSigma, maxCurveGap, sigmaTrajectory, type ArmNumbers, type InferencePair, type SigmaPoint,
} from './nreluChecksAnalysis';
import { absentData, findRunDir, groupBy, loadStudyRun, readPreset, runPreset, writePreset, type StudyJob, type StudyRun } from './runs';
import { describeRun, whyOf, type FigureSink, type Section } from './studies';
import { lineChart } from './svg';
import { writeFileSync } from 'node:fs';

export const NRELU_CHECK_PRESETS = {
  nreluInference: 'nrelu-inference.actlab.json',
  nreluBatchNorm: 'nrelu-batchnorm.actlab.json',
  nreluLearnedSigma: 'nrelu-learned-sigma.actlab.json',
  nreluCifar10: 'nrelu-cifar10.actlab.json',
} as const;
export type CheckKey = keyof typeof NRELU_CHECK_PRESETS;
/** A check's run, or why it did not run (its data files are absent). */
export type CheckRun = { run: StudyRun } | { absent: string };
export type CheckRuns = Record<CheckKey, CheckRun>;

export interface CheckContext {
  root: string; runsDir: string; quick: boolean; analyzeOnly: boolean; parallel: number;
  log: (s: string) => void; stamp: () => string;
}

/** --quick: the same presets, tiny; a data path is made absolute since the copy lives elsewhere. */
function shrink(p: Record<string, unknown>, presetPath: string): Record<string, unknown> {
  const data: Record<string, unknown> = { ...(p.data as Record<string, unknown>), trainSize: 600, testSize: 200 };
  if (typeof data.path === 'string') data.path = resolve(dirname(presetPath), data.path);
  return { ...p, data, training: { ...(p.training as Record<string, unknown>), epochs: 2 }, probes: { ...(p.probes as Record<string, unknown> | undefined), samples: 100 } };
}

/** Runs (or, with analyzeOnly, finds) each check's run folder; CIFAR-10 only when its files exist. */
export async function runNreluChecks(ctx: CheckContext): Promise<CheckRuns> {
  const out = {} as CheckRuns;
  for (const key of Object.keys(NRELU_CHECK_PRESETS) as CheckKey[]) {
    let preset = join(ctx.root, 'examples/reproduce', NRELU_CHECK_PRESETS[key]);
    const absent = absentData(preset);
    if (absent) {
      ctx.log(`${ctx.stamp()} ${key}: not run, ${absent}\n`);
      // The report names paths relative to the checkout, not this machine's folders.
      out[key] = { absent: absent.split(`${ctx.root}/`).join('') };
      continue;
    }
    const dirOut = join(ctx.runsDir, ctx.quick ? `quick-${key}` : key);
    let dir: string | undefined;
    if (ctx.analyzeOnly) {
      dir = findRunDir(dirOut);
      if (!dir) throw new Error(`--analyze-only: no run folder under ${dirOut}`);
    } else {
      if (ctx.quick) {
        const tmp = join(ctx.runsDir, `quick-${NRELU_CHECK_PRESETS[key]}`);
        writePreset(shrink(readPreset(preset), preset), tmp);
        preset = tmp;
      }
      ctx.log(`${ctx.stamp()} ${key}: actlab run ${relative(ctx.root, preset)}\n`);
      dir = await runPreset(ctx.root, preset, dirOut, ctx.parallel, ctx.log);
    }
    const run = loadStudyRun(dir);
    ctx.log(`${ctx.stamp()} ${key}: ${run.status} → ${dir}\n`);
    out[key] = { run };
  }
  return out;
}

/** The "What ran" lines of the report. */
export function describeNreluChecks(runs: CheckRuns): string[] {
  return (Object.keys(NRELU_CHECK_PRESETS) as CheckKey[]).map((k) => {
    const r = runs[k];
    return `- ${NRELU_CHECK_PRESETS[k]}: ${'run' in r ? describeRun(r.run) : `not run (${r.absent})`}`;
  });
}

/** Total training minutes of the checks that ran. */
export function nreluChecksSeconds(runs: CheckRuns): number {
  return Object.values(runs).reduce((a, r) => a + ('run' in r && Number.isFinite(r.run.seconds) ? r.run.seconds : 0), 0);
}

// --- Per-job numbers ---------------------------------------------------------------------------

const completed = (jobs: readonly StudyJob[]): StudyJob[] => jobs.filter((j) => j.status === 'completed' && j.history.length > 0);
const finalAcc = (j: StudyJob): number => j.history[j.history.length - 1]!.testAccuracy ?? Number.NaN;

/** Unit-weighted dead fraction of the job's last probe by one rule (NaN without it). */
function deadOf(j: StudyJob, key: 'deadMean' | 'deadSigned' | 'deadGrad'): number {
  const layers = j.lastProbe?.layers ?? [];
  let units = 0, dead = 0;
  for (const l of layers) {
    const v = l[key];
    if (v === undefined) return Number.NaN;
    units += l.units;
    dead += v * l.units;
  }
  return units > 0 ? dead / units : Number.NaN;
}

/** One arm's jobs ordered by seed, so arms sharing seeds pair up index by index. */
function armJobs(run: StudyRun, armId: string): StudyJob[] {
  return completed(run.jobs).filter((j) => j.spec.armId === armId).sort((a, b) => a.spec.seed - b.spec.seed);
}

function armNumbers(jobs: readonly StudyJob[]): ArmNumbers {
  return { accuracy: jobs.map(finalAcc), deadMean: jobs.map((j) => deadOf(j, 'deadMean')), deadSigned: jobs.map((j) => deadOf(j, 'deadSigned')), deadGrad: jobs.map((j) => deadOf(j, 'deadGrad')) };
}

const pct = (xs: readonly number[]): string => pm(meanStd(xs), 2, 100);
const cell = (t: string): string => t.replace(/\|/g, '\\|');

function verdictBlock(j: Judgement): string {
  return [`**Verdict: ${j.verdict}.**`, '', '| criterion | passed | numbers |', '|---|---|---|', ...j.checks.map((c) => `| ${cell(c.name)} | ${c.passed ? 'yes' : 'no'} | ${cell(c.detail)} |`)].join('\n');
}

function writeFigure(sink: FigureSink, name: string, svg: string): string {
  writeFileSync(join(sink.dir, name), svg);
  return `${sink.rel}/${name}`;
}

// --- Inference mode ----------------------------------------------------------------------------

/** Pairs the deterministic and stochastic arms of each σ by seed (seeds both completed). */
function inferencePairs(run: StudyRun): { pairs: InferencePair[]; gaps: Map<number, number> } {
  const bySigma = new Map<number, { det: Map<number, StudyJob>; sto: Map<number, StudyJob> }>();
  for (const j of completed(run.jobs)) {
    const a = j.spec.activation;
    if (a.type !== 'nrelu') continue;
    const e = bySigma.get(a.sigma.start) ?? { det: new Map(), sto: new Map() };
    (a.inference === 'stochastic' ? e.sto : e.det).set(j.spec.seed, j);
    bySigma.set(a.sigma.start, e);
  }
  const pairs: InferencePair[] = [];
  const gaps = new Map<number, number>();
  for (const sigma of [...bySigma.keys()].sort((a, b) => a - b)) {
    const { det, sto } = bySigma.get(sigma)!;
    const seeds = [...det.keys()].filter((s) => sto.has(s)).sort((a, b) => a - b);
    pairs.push({ sigma, deterministic: seeds.map((s) => finalAcc(det.get(s)!)), stochastic: seeds.map((s) => finalAcc(sto.get(s)!)) });
    gaps.set(sigma, Math.max(0, ...seeds.map((s) => maxCurveGap(det.get(s)!.history.map((e) => e.trainLoss), sto.get(s)!.history.map((e) => e.trainLoss)))));
  }
  return { pairs, gaps };
}

export function inferenceSection(run: StudyRun, sink: FigureSink): Section {
  const { pairs, gaps } = inferencePairs(run);
  const { judgement, diffs } = judgeInference(pairs);
  const sigmas = pairs.map((p) => p.sigma);
  const series = (['deterministic', 'stochastic'] as const).map((m, i) => ({
    label: `${m} inference`, x: sigmas.map((s) => s * (i === 0 ? 0.98 : 1.02)), points: true,
    y: pairs.map((p) => meanStd(p[m]).mean * 100), err: pairs.map((p) => meanStd(p[m]).std * 100),
  }));
  const fig = writeFigure(sink, 'nrelu-inference.svg', lineChart(series, { title: 'N-ReLU: the same weights, noise off vs on at test time', xLabel: 'σ', yLabel: 'test accuracy (%)' }));
  const md = [
    `**Claim checked** (seed notes on ${NRELU.ref}, next check 3): the paper trains with noise but does not say how it infers. Its expectation argument (E[f(x)] = ReLU(x)) suggests that switching the noise off at test time — ReLU on the trained weights — loses nothing against keeping it on.`,
    '',
    '**Paper\'s set-up**: MLP and CNN on full MNIST, σ 0.05–0.2; the inference mode is unspecified. **Ours** (' + describeRun(run) + '): each σ has a deterministic and a stochastic arm with the same seeds, so each pair of jobs shares its initialisation, batches and training noise and differs only in the test evaluation (checked below: their training losses agree). **Remaining differences**: a subset of the bundled digits instead of the 60,000, few epochs and seeds, MLP only; stochastic inference is one noise draw per test pass, not an average over draws.',
    '',
    '**Criterion** (a difference of the same weights): per σ, the paired difference deterministic − stochastic of final test accuracy over seeds, with its 95 % Student-t interval; "no loss" holds when the interval does not lie entirely below 0.',
    '',
    '| σ | deterministic (%) | stochastic (%) | deterministic − stochastic (points, 95 % CI) | max \\|Δ train loss\\| within pairs |',
    '|---|---|---|---|---|',
    ...pairs.map((p) => `| ${p.sigma} | ${pct(p.deterministic)} | ${pct(p.stochastic)} | ${fmtDiff(diffs.get(p.sigma)!)} | ${gaps.get(p.sigma)!.toExponential(1)} |`),
    '',
    `![Inference mode](${fig})`,
    '',
    verdictBlock(judgement),
  ].join('\n');
  return { title: '5. N-ReLU check: deterministic vs stochastic inference', verdict: judgement.verdict, why: whyOf(judgement), markdown: md };
}

// --- BatchNorm ---------------------------------------------------------------------------------

export function batchNormSection(bn: StudyRun, mlp: StudyRun, sink: FigureSink): Section {
  const arms = [
    { label: 'ReLU (study 1)', n: armNumbers(armJobs(mlp, 'relu')) },
    { label: 'N-ReLU σ=0.05 (study 1)', n: armNumbers(armJobs(mlp, 'nrelu-005')) },
    { label: 'BatchNorm + ReLU', n: armNumbers(armJobs(bn, 'bn-relu')) },
    { label: 'BatchNorm + N-ReLU σ=0.05', n: armNumbers(armJobs(bn, 'bn-nrelu-005')) },
  ];
  const { judgement } = judgeBatchNorm(arms[1]!.n, arms[2]!.n);
  const fig = writeFigure(sink, 'nrelu-batchnorm.svg', lineChart([
    { label: 'final test acc.', x: arms.map((_, i) => i), y: arms.map((a) => meanStd(a.n.accuracy).mean * 100), err: arms.map((a) => meanStd(a.n.accuracy).std * 100), points: true },
  ], { title: 'N-ReLU vs BatchNorm + ReLU (MLP, MNIST): final test accuracy', xLabel: '', yLabel: 'test accuracy (%)', categories: arms.map((a) => a.label) }));
  const md = [
    `**Claim checked** (seed notes on ${NRELU.ref}, next check 2): N-ReLU's benefit is a regularisation effect; comparing it with BatchNorm + ReLU separates it from what normalisation alone gives. The paper claims N-ReLU matches standard activations and has no dead units; it does not compare with BatchNorm.`,
    '',
    `**Paper's set-up**: no normalisation layers. **Ours**: BatchNorm between each hidden layer's linear map and its activation (${describeRun(bn)}); the un-normalised ReLU and N-ReLU σ = 0.05 arms are study 1's run (${describeRun(mlp)}), trained identically apart from the normalisation. **Remaining differences**: study 1's data subset and training length; at test time BatchNorm uses its running statistics (inference mode).`,
    '',
    `**Criterion** (final accuracy and dead units, the paper's quantities): N-ReLU σ = 0.05 without normalisation is not significantly below BatchNorm + ReLU (Welch 95 % CI of the difference not entirely < 0), and its dead fraction by the paper's rule (|mean activation| < τ = ${NRELU.deadThreshold}) is not significantly above BatchNorm + ReLU's (Welch 95 % CI of the difference not entirely > 0). The signed rule (mean < τ, the seed's wording) and gradient-dead are shown beside it.`,
    '',
    '| arm | test accuracy (%) | dead, \\|mean\\| < τ (%) | dead, mean < τ (%) | gradient-dead (%) |',
    '|---|---|---|---|---|',
    ...arms.map((a) => `| ${a.label} | ${pct(a.n.accuracy)} | ${pct(a.n.deadMean)} | ${pct(a.n.deadSigned)} | ${pct(a.n.deadGrad)} |`),
    '',
    `![BatchNorm](${fig})`,
    '',
    verdictBlock(judgement),
  ].join('\n');
  return { title: '6. N-ReLU check: BatchNorm + ReLU', verdict: judgement.verdict, why: whyOf(judgement), markdown: md };
}

// --- Learnable σ -------------------------------------------------------------------------------

/** The learned parameter `name` per epoch of a job (a per-layer number reads as min = max = mean). */
function sigmaPoints(j: StudyJob, name: string): SigmaPoint[] {
  return j.history.map((e) => {
    const p = e.params?.[name];
    return p === undefined ? { mean: Number.NaN, min: Number.NaN, max: Number.NaN } : typeof p === 'number' ? { mean: p, min: p, max: p } : p;
  });
}

/** The `init` of a learnable parameter as the preset wrote it (NaN when absent). */
function initOf(run: StudyRun, activationId: string, name: string): number {
  const params: unknown = run.config.source.activations.find((a) => a.id === activationId)?.params;
  const p: unknown = typeof params === 'object' && params !== null ? (params as Record<string, unknown>)[name] : undefined;
  const init: unknown = typeof p === 'object' && p !== null ? (p as Record<string, unknown>).init : undefined;
  return typeof init === 'number' ? init : Number.NaN;
}

export function learnedSigmaSection(run: StudyRun, sink: FigureSink): Section {
  const learned = armJobs(run, 'sigma-learned'), fixed = armJobs(run, 'sigma-fixed'), builtin = armJobs(run, 'nrelu-010');
  const seeds = learned.map((j) => j.spec.seed).filter((s) => fixed.some((f) => f.spec.seed === s));
  const accOf = (jobs: StudyJob[]): number[] => seeds.map((s) => finalAcc(jobs.find((j) => j.spec.seed === s)!));
  const { judgement, diff } = judgeLearnedSigma(accOf(learned), accOf(fixed));
  const tr = sigmaTrajectory(learned.map((j) => sigmaPoints(j, 's')));
  const init = initOf(run, 'sigma-learned', 's');
  const x = tr.mean.map((_, i) => i + 1);
  const fig = writeFigure(sink, 'nrelu-learned-sigma.svg', lineChart([
    { label: 'σ, mean over units (± std over seeds)', x, y: tr.mean, err: tr.std },
    { label: 'smallest unit σ', x, y: tr.min, dashed: true },
    { label: 'largest unit σ', x, y: tr.max, dashed: true },
  ], { title: 'Learned N-ReLU σ per epoch (per unit, both hidden layers)', xLabel: 'epoch', yLabel: 'σ', hLines: Number.isFinite(init) ? [{ y: init, label: `init ${init}` }] : [] }));
  const md = [
    `**Claim checked** (${NRELU.ref}, future work; seed notes, open question 2): an adaptive or learnable noise level could outperform a fixed σ.`,
    '',
    `**Paper's set-up**: fixed σ or a cosine schedule, never learned. **Ours** (${describeRun(run)}): \`x > 0 ? x : s * randn()\` with s learned per unit by the optimizer together with the weights (init ${fmt(init, 2)}), against the same expression with s fixed at that value, both inferring deterministically; built-in N-ReLU σ = 0.1 checks that the expression is N-ReLU. **Remaining differences**: the paper proposes no learning rule, so ours is plain backpropagation (∂f/∂s = randn() on the negative side: a zero-mean signal, so s drifts by noise unless the loss prefers a noise level); MNIST subset, few epochs.`,
    '',
    '**Criterion** (final accuracy, the quantity "outperform" refers to): the paired difference learned − fixed of final test accuracy over seeds has a 95 % CI entirely above 0. The learned σ\'s trajectory (mean over units, mean over seeds; the smallest and largest unit of any seed) is reported, not judged.',
    '',
    '| arm | test accuracy (%) |',
    '|---|---|',
    `| N-ReLU, σ learned per unit | ${pct(accOf(learned))} |`,
    `| N-ReLU expression, σ fixed | ${pct(accOf(fixed))} |`,
    `| built-in N-ReLU σ = 0.1 | ${pct(builtin.map(finalAcc))} |`,
    '',
    `Learned − fixed: ${fmtDiff(diff)} points (95 % CI, ${diff.n} seeds).`,
    '',
    '| epoch | σ mean over units (mean ± std over seeds) | smallest unit σ | largest unit σ |',
    '|---|---|---|---|',
    ...x.map((e, i) => `| ${e} | ${fmt(tr.mean[i]!, 4)} ± ${fmt(tr.std[i]!, 4)} | ${fmt(tr.min[i]!, 4)} | ${fmt(tr.max[i]!, 4)} |`),
    '',
    `![Learned σ](${fig})`,
    '',
    verdictBlock(judgement),
  ].join('\n');
  return { title: '7. N-ReLU check: learnable σ', verdict: judgement.verdict, why: whyOf(judgement), markdown: md };
}

// --- CIFAR-10 ----------------------------------------------------------------------------------

export function cifarSection(c: CheckRun): Section {
  const title = '8. N-ReLU check: CIFAR-10';
  const head = `**Claim checked** (${NRELU.ref}, which asks for validation beyond MNIST; seed notes, next check 1): N-ReLU σ = 0.05 matches ReLU on CIFAR-10 too. **Paper's set-up**: MNIST only. **Ours**: a small CNN on a subset of the images, a few epochs and seeds (sizes in examples/reproduce/nrelu-cifar10.actlab.json), ReLU against N-ReLU σ = 0.05 and cosine-annealed σ. **Remaining differences**: no ResNet/VGG, a training subset, few epochs. **Criterion** (as study 1's): N-ReLU σ = 0.05's mean final test accuracy is not below ReLU's by more than their pooled std.`;
  if (!('run' in c)) {
    const md = `${head}\n\n**Not run: the CIFAR-10 files are absent** (${c.absent}). Nothing is downloaded. To run it, get the binary version of CIFAR-10 (\`cifar-10-binary.tar.gz\` from https://www.cs.toronto.edu/~kriz/cifar.html), unpack it so that \`examples/cifar-10-batches-bin/\` holds \`data_batch_1.bin\` … \`data_batch_5.bin\` and \`test_batch.bin\`, and run \`npm run reproduce\` again.`;
    return { title, verdict: 'not run (files absent)', why: 'CIFAR-10 files not in examples/cifar-10-batches-bin', markdown: md };
  }
  const run = c.run;
  const arms = groupBy(completed(run.jobs), (j) => j.spec.armId);
  const acc = (id: string) => meanStd((arms.get(id) ?? []).map(finalAcc));
  const check = judgeNreluVsRelu(acc('nrelu-005'), acc('relu'));
  const j: Judgement = { verdict: check.passed ? 'reproduced' : 'not reproduced', checks: [check] };
  const md = [
    head, '', `Ran: ${describeRun(run)}.`, '',
    '| arm | test accuracy (%) |', '|---|---|',
    ...[...arms.keys()].map((id) => `| ${run.config.arms.find((a) => a.armId === id)?.label ?? id} | ${pm(acc(id), 2, 100)} |`),
    '', verdictBlock(j),
  ].join('\n');
  return { title, verdict: j.verdict, why: whyOf(j), markdown: md };
}

/** The four sections; the BatchNorm one compares against study 1's MLP run. */
export function nreluCheckSections(runs: CheckRuns, mlp: StudyRun, sink: FigureSink): Section[] {
  const need = (k: CheckKey): StudyRun => {
    const r = runs[k];
    if (!('run' in r)) throw new Error(`${k}: ${r.absent}`);
    return r.run;
  };
  return [inferenceSection(need('nreluInference'), sink), batchNormSection(need('nreluBatchNorm'), mlp, sink), learnedSigmaSection(need('nreluLearnedSigma'), sink), cifarSection(runs.nreluCifar10)];
}
