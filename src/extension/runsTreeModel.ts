/**
 * The Runs view's items as plain data (pure): label, description, tooltip, icon and context value
 * per run (from RunInfo) and per job (folded from the run's events). runsView.ts turns them into
 * vscode.TreeItems.
 */
import type { ResolvedConfig } from '../core/config';
import type { ActlabEvent } from '../core/protocol';
import { foldEvents, type JobPhase } from '../core/runState';
import type { RunInfo, RunListStatus } from '../runner/runs';
import { formatJobProgress } from '../runner/jobFiles';

/**
 * A job's state as the Runs view shows it: the fold's status (core/runState), except that in a run
 * that is no longer going a job still 'running' was interrupted and one still 'queued' never ran.
 */
export type JobState = JobPhase | 'interrupted' | 'notRun';

export function viewState(status: JobPhase, live: boolean): JobState {
  if (live) return status;
  return status === 'running' ? 'interrupted' : status === 'queued' ? 'notRun' : status;
}

export interface IconModel {
  /** A codicon id, e.g. 'pass' or 'sync~spin'. */
  id: string;
  /** A theme color id, e.g. 'testing.iconPassed'. */
  color?: string;
}

export interface ItemModel {
  id: string;
  label: string;
  description: string;
  /** Markdown. */
  tooltip: string;
  icon: IconModel;
  /** For `when` clauses in menus: 'run.running', 'run.finished', 'job'. */
  contextValue: string;
  expandable: boolean;
}

const STATUS_ICONS: Record<RunListStatus | JobState, IconModel> = {
  running: { id: 'sync~spin' },
  completed: { id: 'pass', color: 'testing.iconPassed' },
  diverged: { id: 'warning', color: 'list.warningForeground' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  cancelled: { id: 'circle-slash' },
  interrupted: { id: 'debug-disconnect', color: 'list.warningForeground' },
  queued: { id: 'circle-outline' },
  notRun: { id: 'circle-outline' },
};

export function statusIcon(status: RunListStatus | JobState): IconModel {
  return STATUS_ICONS[status];
}

/** "just now", "5 min ago", "3 h ago", "2 d ago", else the date. */
export function relativeTime(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, (now - t) / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  if (s < 7 * 86_400) return `${Math.round(s / 86_400)} d ago`;
  return iso.slice(0, 10);
}

const escapeMd = (s: string): string => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');

/** A planned or submitted cluster run: its tasks run elsewhere, so no Stop; progress from jobs/. */
function clusterRunItem(run: RunInfo & { cluster: NonNullable<RunInfo['cluster']> }, now: number): ItemModel {
  const progress = formatJobProgress(run.cluster);
  return {
    id: `run:${run.runDir}`,
    label: run.name,
    description: [run.cluster.state, progress, relativeTime(run.started, now)].filter(Boolean).join(' · '),
    tooltip: [`**${escapeMd(run.name)}** — ${run.cluster.state} (cluster)`, '', `Run \`${run.runId}\``,
      `Jobs: ${escapeMd(progress)}`, 'Merged into events.jsonl and summary.json when the last task ends (or `actlab merge`).',
      '', `\`${run.runDir}\``].join('  \n'),
    icon: run.cluster.running > 0 ? { id: 'sync~spin' } : { id: 'server-process' },
    contextValue: 'run.cluster',
    expandable: run.jobsTotal > 0,
  };
}

export function runItem(run: RunInfo, now: number): ItemModel {
  if (run.cluster) return clusterRunItem({ ...run, cluster: run.cluster }, now);
  const progress = run.status === 'running' ? `${run.jobsDone}/${run.jobsTotal} jobs` : `${run.jobsTotal} job${run.jobsTotal === 1 ? '' : 's'}`;
  const when = relativeTime(run.started, now);
  const tooltip = [
    `**${escapeMd(run.name)}** — ${run.status}`,
    '',
    `Run \`${run.runId}\``,
    `Started ${run.started || 'unknown'}`,
    `Jobs: ${run.jobsDone}/${run.jobsTotal} ended`,
  ];
  if (run.best) {
    const v = run.best.metric === 'testAccuracy' ? `${(run.best.value * 100).toFixed(2)}% test accuracy` : `test loss ${run.best.value.toPrecision(4)}`;
    tooltip.push(`Best: ${escapeMd(run.best.label)} (${v})`);
  }
  tooltip.push('', `\`${run.runDir}\``);
  return {
    id: `run:${run.runDir}`,
    label: run.name,
    description: [run.status === 'running' ? undefined : run.status, progress, when].filter(Boolean).join(' · '),
    tooltip: tooltip.join('  \n'),
    icon: statusIcon(run.status),
    contextValue: run.status === 'running' ? 'run.running' : 'run.finished',
    expandable: run.jobsTotal > 0,
  };
}

export interface JobRow {
  jobId: string;
  label: string;
  seed: number;
  state: JobState;
  epoch: number;
  epochs: number;
  testAccuracy?: number;
  testLoss?: number;
  message?: string;
}

/** Each job of the config with its state; `live` = the run is still going (else a started,
 * unended job was interrupted, and an unstarted one never ran). */
export function jobRows(config: ResolvedConfig, events: readonly ActlabEvent[], live: boolean): JobRow[] {
  const state = foldEvents(config, events);
  return config.jobs.map((spec) => {
    const j = state.jobs.get(spec.jobId)!;
    const row: JobRow = {
      jobId: spec.jobId, label: spec.label, seed: spec.seed, state: viewState(j.status, live), epoch: j.last?.epoch ?? 0, epochs: j.epochs,
    };
    if (j.last) { row.testAccuracy = j.last.testAccuracy; row.testLoss = j.last.testLoss; }
    if (j.message !== undefined) row.message = j.message;
    return row;
  });
}

export function jobItem(runDir: string, row: JobRow): ItemModel {
  const metric = row.testAccuracy !== undefined && Number.isFinite(row.testAccuracy)
    ? `${(row.testAccuracy * 100).toFixed(1)}%`
    : row.testLoss !== undefined ? `loss ${Number.isFinite(row.testLoss) ? row.testLoss.toPrecision(3) : 'NaN'}` : undefined;
  const state = row.state === 'notRun' ? 'not run' : row.state;
  const tooltip = [`**${escapeMd(row.jobId)}** — ${state}`, '', `${escapeMd(row.label)}, seed ${row.seed}`, `Epoch ${row.epoch}/${row.epochs}`];
  if (row.message) tooltip.push('', escapeMd(row.message));
  return {
    id: `job:${runDir}:${row.jobId}`,
    label: row.jobId,
    description: [state, `${row.epoch}/${row.epochs}`, metric].filter(Boolean).join(' · '),
    tooltip: tooltip.join('  \n'),
    icon: statusIcon(row.state),
    contextValue: 'job',
    expandable: false,
  };
}
