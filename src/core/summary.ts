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
import { applyEvent, combineJobStatuses, createRunState, newJobFold, runStatusOf, type JobFold, type JobPhase, type RunState } from './runState';
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
  /** Jobs with input masks: the last epoch's clean (mask-off) training loss. */
  finalCleanTrainLoss?: Stat;
  /** Final probe, fraction of hidden units over all layers: |mean| < τ, mean < τ (signed), gradient-dead. */
  deadMean?: Stat;
  deadSigned?: Stat;
  deadGrad?: Stat;
  /** deadSigned is absent for runs recorded before probes reported it. */
  deadByLayer?: { layer: string; deadMean: Stat; deadSigned?: Stat; deadGrad: Stat }[];
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

function unitWeighted(probe: ProbeEvent, key: 'deadMean' | 'deadSigned' | 'deadGrad'): number {
  let units = 0;
  let dead = 0;
  for (const l of probe.layers) {
    units += l.units;
    // A layer without the count (an older run) makes the whole number unknown.
    dead += (l[key] ?? Number.NaN) * l.units;
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
  set('finalCleanTrainLoss', toStat(pick((tr) => last(tr)?.cleanTrainLoss)));
  set('deadMean', toStat(pick((tr) => (tr.lastProbe ? unitWeighted(tr.lastProbe, 'deadMean') : undefined))));
  set('deadSigned', toStat(pick((tr) => (tr.lastProbe ? unitWeighted(tr.lastProbe, 'deadSigned') : undefined))));
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
    const ds = toStat(layers.map((l) => l.deadSigned ?? Number.NaN));
    const dg = toStat(layers.map((l) => l.deadGrad));
    if (dm && dg) byLayer.push({ layer: name, deadMean: dm, ...(ds ? { deadSigned: ds } : {}), deadGrad: dg });
  }
  if (byLayer.length) arm.deadByLayer = byLayer;

  const backends = [...new Set(jobs.map((j) => traces.get(j.jobId)?.backend).filter((b) => b !== undefined))];
  if (backends.length) arm.backend = backends.join(',');
  return arm;
}

export function summarize(config: ResolvedConfig, events: readonly ActlabEvent[], runId?: string): Summary {
  const b = new SummaryBuilder(config, runId);
  for (const e of events) b.apply(e);
  return b.summary();
}

/**
 * The summary of a run already folded (the panel keeps the fold up to date event by event:
 * re-folding every event for each summary would cost a pass over the whole run per frame).
 * The same numbers as SummaryBuilder's, computed in one pass over the arms.
 */
export function summarizeState(config: ResolvedConfig, state: RunState<JobFold>, runId?: string): Summary {
  const byArm = new Map<string, JobSpec[]>();
  for (const j of config.jobs) (byArm.get(j.armId) ?? byArm.set(j.armId, []).get(j.armId)!).push(j);
  const plain = config.arms.map((a) => summarizeArm(a.armId, a.label, a.activationId, a.sweep, byArm.get(a.armId) ?? [], state.jobs));
  const best = bestArm(plain);
  const ref = best && plain.find((a) => a.armId === best.armId);
  const refStat = ref && metricStat(ref, best.metric);
  const arms = plain.map((a) => withVsBest(a, best, refStat));
  const summary: Summary = { v: 1, runId: runId ?? state.runId ?? '', name: config.name, status: runStatusOf(state), arms };
  if (best) summary.best = best;
  return summary;
}

/**
 * The summary kept up to date event by event: each event is folded once, and a summary
 * recomputes only the arms whose jobs changed since the last one, and their comparison with the
 * best arm (all of them when the best arm changed). The runner writes summary.json at every
 * jobEnd; refolding every event each time was quadratic. Arms of successive summaries may be the
 * same objects: read them, do not change them.
 */
export class SummaryBuilder {
  private readonly state: RunState;
  private readonly jobsByArm = new Map<string, JobSpec[]>();
  private readonly arms = new Map<string, ResolvedConfig['arms'][number]>();
  private readonly armOf = new Map<string, string>();
  /** Each arm's summary without vsBest, and as last returned (with it). */
  private readonly plain = new Map<string, ArmSummary>();
  private readonly out = new Map<string, ArmSummary>();
  private readonly dirty = new Set<string>();
  private bestKey = '';

  constructor(private readonly config: ResolvedConfig, private readonly runId?: string) {
    this.state = createRunState(config);
    for (const a of config.arms) { this.jobsByArm.set(a.armId, []); this.arms.set(a.armId, a); this.dirty.add(a.armId); }
    // A job whose arm the config does not list (a hand-made config) is in no arm's numbers.
    for (const j of config.jobs) if (this.arms.has(j.armId)) { this.jobsByArm.get(j.armId)!.push(j); this.armOf.set(j.jobId, j.armId); }
  }

  apply(e: ActlabEvent): void {
    const job = applyEvent(this.state, e, (jobId) => newJobFold(jobId, undefined));
    const arm = job && this.armOf.get(job.jobId);
    if (arm !== undefined) this.dirty.add(arm);
  }

  summary(): Summary {
    for (const armId of this.dirty) {
      const a = this.arms.get(armId)!;
      this.plain.set(armId, summarizeArm(a.armId, a.label, a.activationId, a.sweep, this.jobsByArm.get(armId) ?? [], this.state.jobs));
    }
    const best = bestArm(this.config.arms.map((a) => this.plain.get(a.armId)!));
    const ref = best && this.plain.get(best.armId);
    const refStat = ref && metricStat(ref, best.metric);
    // Every arm is compared with the best one: when it moves, every comparison does.
    const key = JSON.stringify([best, refStat]);
    const redo = key === this.bestKey ? this.dirty : this.arms.keys();
    this.bestKey = key;
    for (const armId of redo) this.out.set(armId, withVsBest(this.plain.get(armId)!, best, refStat));
    this.dirty.clear();
    const summary: Summary = {
      v: 1, runId: this.runId ?? this.state.runId ?? '', name: this.config.name, status: runStatusOf(this.state),
      arms: this.config.arms.map((a) => this.out.get(a.armId)!),
    };
    if (best) summary.best = best;
    return summary;
  }
}

/** The arm with its comparison to the best arm (a copy; the arm itself is not changed). Partial arms get none. */
function withVsBest(arm: ArmSummary, best: Summary['best'], refStat: Stat | undefined): ArmSummary {
  const stat = best && refStat && !arm.partial ? metricStat(arm, best.metric) : undefined;
  return stat ? { ...arm, vsBest: compareToBest(stat, refStat!, arm.armId === best!.armId) } : { ...arm };
}

function metricStat(a: ArmSummary, metric: 'testAccuracy' | 'testLoss'): Stat | undefined {
  return metric === 'testAccuracy' ? a.finalTestAccuracy : a.finalTestLoss;
}

/**
 * The best arm: highest final test accuracy, else (regression) lowest final test loss; the
 * first one listed on a tie. Partial arms stopped early and are not comparable.
 */
function bestArm(arms: readonly ArmSummary[]): Summary['best'] {
  let acc: { armId: string; value: number } | undefined;
  let loss: { armId: string; value: number } | undefined;
  for (const a of arms) {
    if (a.partial) continue;
    if (a.finalTestAccuracy && (!acc || a.finalTestAccuracy.mean > acc.value)) acc = { armId: a.armId, value: a.finalTestAccuracy.mean };
    if (a.finalTestLoss && (!loss || a.finalTestLoss.mean < loss.value)) loss = { armId: a.armId, value: a.finalTestLoss.mean };
  }
  if (acc) return { ...acc, metric: 'testAccuracy' };
  return loss ? { ...loss, metric: 'testLoss' } : undefined;
}
