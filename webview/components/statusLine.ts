/** One line of run progress: jobs done / running / queued, current epoch, problems. */
import { jobCounts, type RunModel } from '../state/runModel';

export function statusText(m: RunModel): string {
  const c = jobCounts(m);
  const parts = [`${c.done}/${c.total} jobs done`];
  if (c.running) parts.push(`${c.running} running`);
  if (c.queued) parts.push(`${c.queued} queued`);
  const running = [...m.jobs.values()].filter((j) => j.status === 'running');
  if (running.length) {
    // The epoch in progress (1-based), not the last finished one.
    const current = running.map((j) => Math.min(j.epoch + 1, j.epochs));
    const lo = Math.min(...current);
    const hi = Math.max(...current);
    const of = Math.max(...running.map((j) => j.epochs));
    parts.push(`epoch ${lo === hi ? lo : `${lo}–${hi}`}/${of}`);
  }
  const bad = new Map<string, number>();
  for (const j of m.jobs.values()) if (j.status === 'diverged' || j.status === 'failed' || j.status === 'cancelled') bad.set(j.status, (bad.get(j.status) ?? 0) + 1);
  for (const [s, n] of bad) parts.push(`${n} ${s}`);
  const run = m.runStatus === 'pending' ? 'waiting' : m.runStatus;
  parts.push(m.runSeconds !== undefined ? `run ${run} in ${m.runSeconds.toFixed(1)} s` : `run ${run}`);
  return parts.join(' · ');
}
