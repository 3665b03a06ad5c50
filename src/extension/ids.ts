/** Identifiers shared by package.json's manifest and the code (keep the two in step). */

export const COMMANDS = {
  run: 'activationLab.runExperiment',
  stop: 'activationLab.stopRun',
  openResults: 'activationLab.openResults',
  newFromPreset: 'activationLab.newFromPreset',
  preview: 'activationLab.previewActivations',
  exportRun: 'activationLab.exportRun',
  refreshRuns: 'activationLab.refreshRuns',
  showLog: 'activationLab.showLog',
  submitSlurm: 'activationLab.submitSlurm',
  submitK8s: 'activationLab.submitK8s',
  compareRuns: 'activationLab.compareRuns',
} as const;

export const VIEW_RUNS = 'activationLab.runs';
export const PANEL_VIEW_TYPE = 'activationLab.results';
export const DIAGNOSTIC_SOURCE = 'actlab';
/** The language of config documents (package.json contributes it for *.actlab.json). */
export const LANGUAGE_ID = 'actlab';
/** VS Code's JSON support, which serves the contributed schema for the language above. */
export const JSON_FEATURES_EXTENSION = 'vscode.json-language-features';
export const CONFIG_SUFFIX = '.actlab.json';
export const CONFIG_GLOB = '**/*.actlab.json';

/** Settings under "activationLab.*". */
export const SETTINGS = {
  section: 'activationLab',
  backend: 'backend',
  maxParallelJobs: 'maxParallelJobs',
  runsFolder: 'runsFolder',
} as const;

/** Context keys for `when` clauses. */
export const CONTEXT_RUNNING = 'activationLab.running';
