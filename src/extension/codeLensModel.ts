/** What the CodeLens over a config shows (pure; the provider only turns these into lenses). */

export type LensAction = 'run' | 'stop' | 'openResults' | 'preview' | 'showProblems';

export interface LensSpec {
  title: string;
  tooltip: string;
  action: LensAction;
}

export interface LensInput {
  /** From validation; undefined when the config is too broken to count. */
  jobCount?: number;
  errorCount: number;
  running?: { jobsDone: number; jobsTotal: number };
}

const jobs = (n: number): string => `${n} job${n === 1 ? '' : 's'}`;

export function codeLenses(input: LensInput): LensSpec[] {
  if (input.running) {
    const { jobsDone, jobsTotal } = input.running;
    return [
      { title: '$(debug-stop) Stop', tooltip: 'Stop this run (running jobs are cancelled)', action: 'stop' },
      { title: `$(sync~spin) ${jobsDone}/${jobs(jobsTotal)} done`, tooltip: 'Open the live results panel', action: 'openResults' },
    ];
  }
  if (input.errorCount > 0) {
    const n = input.errorCount;
    return [{ title: `$(error) ${n} error${n === 1 ? '' : 's'}: fix to run`, tooltip: 'Show the problems in this config', action: 'showProblems' }];
  }
  const count = input.jobCount;
  return [
    {
      title: count === undefined ? '$(play) Run' : `$(play) Run ${jobs(count)}`,
      tooltip: 'Train every job of this config (Activation Lab: Run Experiment)',
      action: 'run',
    },
    { title: '$(graph-line) Preview activations', tooltip: 'Plot the activation functions of this config without training', action: 'preview' },
  ];
}
