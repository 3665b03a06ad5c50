/**
 * Following a planned run while its tasks write jobs/<i>/events.jsonl elsewhere: each read()
 * returns the events added since the last one, for a live panel or progress view (the run's own
 * events.jsonl appears only at the merge). The first read starts with a runStart, as a local run's
 * stream does. A job file whose first event changed was rerun (a rerun truncates it): its events
 * start again from its new jobStart.
 */
import * as fs from 'node:fs';
import type { ResolvedConfig } from '../core/config';
import { PROTOCOL_VERSION, type ActlabEvent } from '../core/protocol';
import { jobEventsFile, readJobFile } from './jobFiles';

export class JobFilesTail {
  /** Per job index: events already returned, the file size they came from, the first one's time. */
  private readonly seen: { events: number; size: number; firstT?: number }[];
  private started = false;

  constructor(private readonly runDir: string, private readonly runId: string, private readonly config: ResolvedConfig) {
    this.seen = config.jobs.map(() => ({ events: 0, size: 0 }));
  }

  read(): ActlabEvent[] {
    const fresh: ActlabEvent[] = [];
    if (!this.started) {
      this.started = true;
      fresh.push({ type: 'runStart', v: PROTOCOL_VERSION, t: Date.now(), runId: this.runId, name: this.config.name, jobIds: this.config.jobs.map((j) => j.jobId), parallel: 1 });
    }
    this.config.jobs.forEach((job, i) => {
      const seen = this.seen[i]!;
      let size: number;
      try { size = fs.statSync(jobEventsFile(this.runDir, i)).size; } catch { return; }
      if (size === seen.size) return; // unchanged: no need to parse it again
      seen.size = size;
      // Whole lines only: a line being written now is picked up by the next read.
      const events = readJobFile(this.runDir, i, job).events;
      if (seen.firstT !== undefined && events[0]?.t !== seen.firstT) seen.events = 0; // a rerun
      seen.firstT = events[0]?.t;
      fresh.push(...events.slice(seen.events));
      seen.events = events.length;
    });
    return fresh;
  }
}
