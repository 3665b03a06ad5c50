/**
 * Where `actlab list` looks for runs. `actlab run examples/x.actlab.json` writes to
 * examples/.actlab/runs, so a user in the project folder would otherwise be told "no runs"
 * right after making one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listRuns, type RunInfo } from '../../runner/runs';
import { shown } from '../paths';

export interface Place {
  dir: string;
  /** How it is named in "looked in: …". */
  label: string;
  /** undefined: the folder does not exist. */
  runs?: RunInfo[];
}

const RUNS = path.join('.actlab', 'runs');

function place(dir: string, label = shown(dir)): Place {
  return fs.existsSync(dir) ? { dir, label, runs: listRuns(dir) } : { dir, label };
}

/** Folders one level down that have a .actlab/runs (hidden folders and node_modules skipped). */
function oneDown(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules')
      .map((d) => path.join(dir, d.name, RUNS))
      .filter((p) => fs.existsSync(p))
      .sort();
  } catch {
    return [];
  }
}

/**
 * `explicit` (list DIR): DIR itself as a runs folder and DIR/.actlab/runs. Otherwise:
 * ./.actlab/runs, ./*\/.actlab/runs, and the last run's folder. Each folder once.
 */
export function lookIn(dir: string, last: string | undefined, explicit = false): Place[] {
  const places: Place[] = [];
  const seen = new Set<string>();
  const add = (p: Place): void => {
    let key = p.dir;
    try { key = fs.realpathSync(p.dir); } catch { /* missing: its path is its key */ }
    if (seen.has(key)) return;
    seen.add(key);
    places.push(p);
  };
  if (explicit) {
    const self = place(dir);
    // A folder with run folders in it is a runs folder; otherwise it is named only if it exists.
    if (self.runs?.length) add(self);
    add(place(path.join(dir, RUNS)));
    if (!self.runs?.length && places.every((p) => !p.runs?.length)) places.unshift({ ...self, label: `${self.label} itself` });
    return places;
  }
  add(place(path.join(dir, RUNS)));
  const below = oneDown(dir);
  for (const b of below) add(place(b));
  if (below.length === 0) places.push({ dir: path.join(dir, '*', RUNS), label: shown(path.join(dir, '*', RUNS)), runs: [] });
  if (last) {
    const p = place(last);
    add({ ...p, label: `the last run's folder ${p.label}` });
  }
  return places;
}
