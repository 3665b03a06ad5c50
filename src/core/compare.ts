/**
 * Several runs as one (pure): a comparison is a resolved config whose arms and jobs are every
 * run's, prefixed by the run's name, and one event stream, so the panel, report.html and the
 * summary (with its honest best) work across runs unchanged — no second code path to drift.
 *
 * Parameters that differ between the runs' settings (data, model, training except seeds;
 * MLflow's "only what differs") are listed in `differing` and added to each arm's `sweep`
 * under a short name (the last path segment unless two share it), so the table labels them
 * and the Sweep view plots the numeric ones. An arm's own swept keys win over them.
 */
import type { ArmSpec, JobSpec, ResolvedConfig } from './config';
import type { ActlabEvent, JobStatus, RunStatus } from './protocol';
import { combineJobStatuses } from './runState';

export interface CompareInput {
  /** The run's folder name or id, used when names collide. */
  runId: string;
  config: ResolvedConfig;
  events: readonly ActlabEvent[];
}

export interface Comparison {
  runId: string;
  config: ResolvedConfig;
  events: ActlabEvent[];
  /** Each run's prefix, in input order. */
  prefixes: string[];
  /** Short names of the differing parameters, with each run's value. */
  differing: { key: string; path: string; values: (number | string)[] }[];
}

type Flat = Record<string, number | string>;

function flatten(x: unknown, prefix: string, out: Flat): Flat {
  if (x === null || x === undefined) return out;
  if (typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean') { out[prefix] = typeof x === 'boolean' ? String(x) : x; return out; }
  if (Array.isArray(x)) { out[prefix] = JSON.stringify(x); return out; }
  if (typeof x === 'object') for (const [k, v] of Object.entries(x)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

/** The settings a run's arms share: its first job's data, model and training (no seeds). */
function settingsOf(job: JobSpec | undefined): Flat {
  if (!job) return {};
  const { seed: _seed, ...training } = { ...job.training, seed: undefined };
  return flatten({ data: job.data, model: job.model, training, backend: job.backend }, '', {});
}

/** The parameters whose values differ between runs, with short unique names. */
export function differingParams(configs: readonly ResolvedConfig[]): Comparison['differing'] {
  const flats = configs.map((c) => settingsOf(c.jobs[0]));
  const paths = [...new Set(flats.flatMap((f) => Object.keys(f)))].filter((p) => new Set(flats.map((f) => String(f[p] ?? '—'))).size > 1);
  const last = (p: string): string => p.slice(p.lastIndexOf('.') + 1);
  return paths.map((path) => ({
    key: paths.filter((q) => last(q) === last(path)).length > 1 ? path : last(path),
    path,
    values: flats.map((f) => f[path] ?? '—'),
  }));
}

/** Unique prefixes: the config names, or the run ids where names repeat. */
function prefixesOf(runs: readonly CompareInput[]): string[] {
  const names = runs.map((r) => r.config.name || r.runId);
  return names.map((n, i) => (names.filter((m) => m === n).length > 1 ? runs[i]!.runId : n));
}

function renameEvent(e: ActlabEvent, id: (jobId: string) => string): ActlabEvent | undefined {
  if (e.type === 'runStart' || e.type === 'runEnd') return undefined;
  if (e.type === 'log') return e.jobId === undefined ? e : { ...e, jobId: id(e.jobId) };
  return { ...e, jobId: id(e.jobId) };
}

function runEndOf(events: readonly ActlabEvent[]): { status: RunStatus; seconds: number } | undefined {
  const end = events.find((e) => e.type === 'runEnd');
  return end?.type === 'runEnd' ? end : undefined;
}

/** Merges runs into one comparison (arms and jobs prefixed by `<run> · `). */
export function compareRuns(runs: readonly CompareInput[]): Comparison {
  const prefixes = prefixesOf(runs);
  const differing = differingParams(runs.map((r) => r.config));
  const arms: ArmSpec[] = [];
  const jobs: JobSpec[] = [];
  const events: ActlabEvent[] = [];
  runs.forEach((r, i) => {
    const p = prefixes[i]!;
    const id = (s: string): string => `${p}/${s}`;
    const extra = Object.fromEntries(differing.map((d) => [d.key, d.values[i]!]));
    for (const a of r.config.arms) arms.push({ ...a, armId: id(a.armId), label: `${p} · ${a.label}`, sweep: { ...extra, ...a.sweep } });
    for (const j of r.config.jobs) jobs.push({ ...j, jobId: id(j.jobId), armId: id(j.armId), label: `${p} · ${j.label}`, sweep: { ...extra, ...j.sweep } });
    for (const e of r.events) { const m = renameEvent(e, id); if (m) events.push(m); }
  });
  const runId = `compare:${runs.map((r) => r.runId).join('+')}`;
  const endings = runs.map((r) => runEndOf(r.events));
  const name = `Compare: ${prefixes.join(' vs ')}`;
  const diffText = differing.length ? `Differing: ${differing.map((d) => `${d.key} = ${d.values.join(' / ')}`).join('; ')}` : 'Same settings (data, model, training)';
  events.unshift({ type: 'runStart', v: 1, t: 0, runId, name, jobIds: jobs.map((j) => j.jobId), parallel: 1 });
  const ended = endings.map((e) => e?.status).filter((s): s is JobStatus => s !== undefined && s !== 'running');
  // Only when every run ended: a comparison with a live run stays 'running'. Time: the runs' total.
  const seconds = endings.reduce((t, e) => t + (e?.seconds ?? 0), 0);
  if (ended.length === runs.length) events.push({ type: 'runEnd', v: 1, t: 0, runId, status: combineJobStatuses(ended), seconds });
  const first = runs[0]!.config;
  const config: ResolvedConfig = { ...first, name, description: diffText, arms, jobs };
  return { runId, config, events, prefixes, differing };
}
