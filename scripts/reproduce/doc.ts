/**
 * docs/REPRODUCTION.md as parts keyed by study, so that `--study NAME` can regenerate one study's
 * parts and keep the others' from the previous file (pure: strings in, strings out).
 */

/** The parts of the file that belong to one study. */
export interface StudyParts {
  /** "What ran" bullet lines, one per preset. */
  ran: string[];
  /** Rows of the summary table. */
  rows: string[];
  /** `## title` sections, heading included. */
  sections: string[];
}

/** Sections and summary rows are numbered "3." / "3b." …: the number names the study. */
const numberOf = (title: string): string | undefined => /^(\d+)[a-z]?\./.exec(title.trim())?.[1];

/**
 * Splits a previous REPRODUCTION.md into parts per study. `studyOfNumber` maps a section number
 * to its study, `studyOfPreset` a preset file name; lines that match neither are dropped (they
 * are regenerated).
 */
export function parseDoc(text: string, studyOfNumber: (n: string) => string | undefined, studyOfPreset: (file: string) => string | undefined): Map<string, StudyParts> {
  const out = new Map<string, StudyParts>();
  const parts = (study: string): StudyParts => {
    let p = out.get(study);
    if (!p) out.set(study, (p = { ran: [], rows: [], sections: [] }));
    return p;
  };
  const [head = '', ...sections] = text.split(/^(?=## )/m);
  for (const line of head.split('\n')) {
    const ran = /^- ([\w.-]+\.actlab\.json)\b/.exec(line);
    const ranStudy = ran ? studyOfPreset(ran[1]!) : undefined;
    if (ranStudy) parts(ranStudy).ran.push(line);
    const row = /^\| (\d+[a-z]?\.[^|]*)\|/.exec(line);
    const n = row ? numberOf(row[1]!) : undefined;
    const rowStudy = n === undefined ? undefined : studyOfNumber(n);
    if (rowStudy) parts(rowStudy).rows.push(line);
  }
  for (const s of sections) {
    const n = numberOf(s.slice(3, s.indexOf('\n') < 0 ? undefined : s.indexOf('\n')));
    const study = n === undefined ? undefined : studyOfNumber(n);
    if (study) parts(study).sections.push(s.trimEnd());
  }
  return out;
}

/** Minutes stated in the "What ran" lines ("; 3.2 min;"): what the whole reproduction took. */
export function ranMinutes(lines: readonly string[]): number {
  return lines.reduce((sum, l) => sum + Number(/; ([\d.]+) min;/.exec(l)?.[1] ?? 0), 0);
}

/** The file: the header, then the studies' parts in `order` (a study without parts is left out). */
export function assembleDoc(header: readonly string[], order: readonly string[], parts: ReadonlyMap<string, StudyParts>): string {
  const each = (f: (p: StudyParts) => string[]): string[] => order.flatMap((s) => f(parts.get(s) ?? { ran: [], rows: [], sections: [] }));
  return [
    ...header,
    '',
    ...each((p) => p.ran),
    '',
    '| study | verdict | why |',
    '|---|---|---|',
    ...each((p) => p.rows),
    '',
    ...each((p) => p.sections.map((s) => `${s}\n`)),
  ].join('\n');
}
