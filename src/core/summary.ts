/**
 * One summary of a run (pure): what summary.json holds, what the CLI table prints and what the
 * webview shows. Built from the resolved config and the event stream only, so a live run, a
 * finished run and a crashed run are summarised the same way.
 *
 * Rules:
 * - Per job: "final" = the last epoch event; "best" = max test accuracy / min test loss over
 *   its epochs. Then mean ± std over the arm's seeds.
 * - Metrics aggregate the jobs that completed, plus running jobs (their latest epoch), so a live
 *   view has numbers. Diverged, failed and cancelled jobs are counted in `statuses` only: their
 *   numbers are non-finite or partial and would bias the mean.
 * - Except when an arm has nothing else: a stopped or crashed arm falls back to its ended jobs'
 *   last finished epoch (and best so far) and is marked `partial`, so a stopped run never loses
 *   the epochs it did finish. A partial arm is never the best arm.
 * - Dead-unit fractions: the job's final probe, over all hidden units of all layers
 *   (unit-weighted), and per layer.
 * - Best arm: highest mean final test accuracy; for regression (no accuracy) lowest mean final
 *   test loss.
 * - vsBest: every ranked arm's difference to the best on that same metric, with Welch's 95 %
 *   interval over seeds; an interval containing 0 means tied with the best (src/core/vsBest.ts).
 */
import type { ResolvedConfig, JobSpec } from './config';
import type { ActlabEvent, EpochEvent, ProbeEvent, RunStatus } from './protocol';
import { combineJobStatuses, foldEvents, runStatusOf, type JobFold, type JobPhase, type RunState } from './runState';
import { max, mean, min, std } from './stats';
import { compareToBest, type VsBest } from './vsBest';

export interface Stat { mean: number; std: number; n: number; min: number; max: number }

export interface ArmSummary {
  armId: string;
  label: string;
  activationId: string;
  sweep: Record<string, number | string>;
  jobs: number;
  completed: number;
  statuses: Record<string, JobPhase>;
  finalTestAccuracy?: Stat;
  bestTestAccuracy?: Stat;
  finalTestLoss?: Stat;
  bestTestLoss?: Stat;
  finalTrainLoss?: Stat;
  /** Final probe, fraction of hidden units over all layers. */
  deadMean?: Stat;
  deadGrad?: Stat;
  deadByLayer?: { layer: string; deadMean: Stat; deadGrad: Stat }[];
  seconds?: Stat;
  samplesPerSec?: Stat;
  backend?: string;
  /**
   * True when the numbers come from stopped, failed or diverged jobs (the arm has no completed
   * or running job): values at their last finished epoch, not at the end of training.
   */
  partial?: boolean;
  /** Learnable expression parameters at the last epoch, by name: their mean per job, over seeds. */
  params?: Record<string, Stat>;
  /** Finished epochs (min and max over the jobs behind the numbers) out of the planned epochs. */
  epochsDone?: { min: number; max: number; planned: number };
  /**
   * Difference to the best arm on the best arm's metric, Welch 95 % CI over seeds, and whether
   * the two are indistinguishable (src/core/vsBest.ts). Ranked arms with that metric only.
   */
  vsBest?: VsBest;
}

export interface Summary {
  v: 1;
  runId: string;
  name: string;
  status: RunStatus;
  arms: ArmSummary[];
  best?: { armId: string; metric: 'testAccuracy' | 'testLoss'; value: number };
}

/** Stat of the finite values; undefined when there are none. */
export function toStat(values: readonly number[]): Stat | undefined {
  const xs = values.filter((x) => Number.isFinite(x));
  if (xs.length === 0) return undefined;
  return { mean: mean(xs), std: std(xs), n: xs.length, min: min(xs), max: max(xs) };
}

// Kept here too: the scheduler and older callers import it from the summary.
export { combineJobStatuses };

function unitWeighted(probe: ProbeEvent, key: 'deadMean' | 'deadGrad'): number {
  let units = 0;
  let dead = 0;
  for (const l of probe.layers) {
    units += l.units;
    dead += l[key] * l.units;
  }
  return units > 0 ? dead / units : Number.NaN;
}

const finite = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x);

/** Final value of every learnable parameter (the epoch event's mean), as a Stat over the jobs. */
function finalParams(used: readonly JobFold[]): Record<string, Stat> | undefined {
  const names = [...new Set(used.flatMap((tr) => Object.keys(tr.last?.params ?? {})))];
  const out: Record<string, Stat> = {};
  for (const name of names) {
    const stat = toStat(used.map((tr) => tr.last?.params?.[name]).filter((v) => v !== undefined).map((v) => (typeof v === 'number' ? v : v.mean)));
    if (stat) out[name] = stat;
  }
  return names.length ? out : undefined;
}

function summarizeArm(armId: string, label: string, activationId: string, sweep: Record<string, number | string>,
  jobs: readonly JobSpec[], traces: ReadonlyMap<string, JobFold>): ArmSummary {
  const statuses: ArmSummary['statuses'] = {};
  let used: JobFold[] = [];
  const ended: JobFold[] = [];
  let completed = 0;
  for (const j of jobs) {
    const tr = traces.get(j.jobId);
    if (!tr) continue;
    statuses[j.jobId] = tr.status;
    if (tr.status === 'completed') completed++;
    if (tr.status === 'completed' || tr.status === 'running') used.push(tr);
    else if (tr.status !== 'queued' && tr.history.length > 0) ended.push(tr);
  }
  const partial = used.length === 0 && ended.length > 0;
  if (partial) used = ended;
  const last = (tr: JobFold): EpochEvent | undefined => tr.last;
  const pick = (f: (tr: JobFold) => number | undefined): number[] => used.map(f).filter(finite);

  const arm: ArmSummary = { armId, label, activationId, sweep, jobs: jobs.length, completed, statuses };
  if (partial) arm.partial = true;
  if (used.length) {
    const done = used.map((tr) => last(tr)?.epoch ?? 0);
    arm.epochsDone = { min: min(done), max: max(done), planned: max(jobs.map((j) => j.training.epochs)) };
  }
  const set = <K extends keyof ArmSummary>(k: K, v: ArmSummary[K] | undefined): void => { if (v !== undefined) arm[k] = v; };
  set('finalTestAccuracy', toStat(pick((tr) => last(tr)?.testAccuracy)));
  set('bestTestAccuracy', toStat(pick((tr) => tr.best.testAccuracy)));
  set('finalTestLoss', toStat(pick((tr) => last(tr)?.testLoss)));
  set('bestTestLoss', toStat(pick((tr) => tr.best.testLoss)));
  set('finalTrainLoss', toStat(pick((tr) => last(tr)?.trainLoss)));
  set('deadMean', toStat(pick((tr) => (tr.lastProbe ? unitWeighted(tr.lastProbe, 'deadMean') : undefined))));
  set('deadGrad', toStat(pick((tr) => (tr.lastProbe ? unitWeighted(tr.lastProbe, 'deadGrad') : undefined))));
  // Time to the end of training; for a partial arm, time until the jobs stopped.
  set('seconds', toStat(used.filter((tr) => tr.status !== 'running').map((tr) => tr.seconds).filter(finite)));
  set('params', finalParams(used));
  set('samplesPerSec', toStat(pick((tr) => (tr.history.length ? mean(tr.history.map((e) => e.samplesPerSec)) : undefined))));

  // Per layer, in the order the first probe lists them.
  const layerNames: string[] = [];
  for (const tr of used) for (const l of tr.lastProbe?.layers ?? []) if (!layerNames.includes(l.layer)) layerNames.push(l.layer);
  const byLayer: NonNullable<ArmSummary['deadByLayer']> = [];
  for (const name of layerNames) {
    const layers = used.map((tr) => tr.lastProbe?.layers.find((l) => l.layer === name)).filter((l) => l !== undefined);
    const dm = toStat(layers.map((l) => l.deadMean));
    const dg = toStat(layers.map((l) => l.deadGrad));
    if (dm && dg) byLayer.push({ layer: name, deadMean: dm, deadGrad: dg });
  }
  if (byLayer.length) arm.deadByLayer = byLayer;

  const backends = [...new Set(jobs.map((j) => traces.get(j.jobId)?.backend).filter((b) => b !== undefined))];
  if (backends.length) arm.backend = backends.join(',');
  return arm;
}

export function summarize(config: ResolvedConfig, events: readonly ActlabEvent[], runId?: string): Summary {
  return summarizeState(config, foldEvents(config, events), runId);
}

/**
 * The summary of a run already folded (the panel keeps the fold up to date event by event:
 * re-folding every event for each summary would cost a pass over the whole run per frame).
 */
export function summarizeState(config: ResolvedConfig, state: RunState<JobFold>, runId?: string): Summary {
  const traces = state.jobs;
  const byArm = new Map<string, JobSpec[]>();
  for (const j of config.jobs) (byArm.get(j.armId) ?? byArm.set(j.armId, []).get(j.armId)!).push(j);
  const arms = config.arms.map((a) => summarizeArm(a.armId, a.label, a.activationId, a.sweep, byArm.get(a.armId) ?? [], traces));
  const id = runId ?? state.runId ?? '';
  const status = runStatusOf(state);

  const summary: Summary = { v: 1, runId: id, name: config.name, status, arms };
  // Partial arms stopped early: their numbers are not comparable with finished arms'.
  const ranked = arms.filter((a) => !a.partial);
  const acc = ranked.flatMap((a) => (a.finalTestAccuracy ? [{ armId: a.armId, value: a.finalTestAccuracy.mean }] : []));
  const loss = ranked.flatMap((a) => (a.finalTestLoss ? [{ armId: a.armId, value: a.finalTestLoss.mean }] : []));
  if (acc.length) {
    const b = acc.reduce((p, c) => (c.value > p.value ? c : p));
    summary.best = { ...b, metric: 'testAccuracy' };
  } else if (loss.length) {
    const b = loss.reduce((p, c) => (c.value < p.value ? c : p));
    summary.best = { ...b, metric: 'testLoss' };
  }
  addVsBest(summary, ranked);
  return summary;
}

/** Sets `vsBest` on every ranked arm that has the best arm's metric. */
function addVsBest(summary: Summary, ranked: readonly ArmSummary[]): void {
  const best = summary.best;
  if (!best) return;
  const stat = (a: ArmSummary): Stat | undefined => (best.metric === 'testAccuracy' ? a.finalTestAccuracy : a.finalTestLoss);
  const ref = summary.arms.find((a) => a.armId === best.armId);
  const refStat = ref && stat(ref);
  if (!refStat) return;
  for (const a of ranked) {
    const s = stat(a);
    if (s) a.vsBest = compareToBest(s, refStat, a.armId === best.armId);
  }
}
