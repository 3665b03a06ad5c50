/**
 * The command handlers. Each returns something useful for tests and other extensions (the run
 * folder started, the file written...) or undefined when the user backed out.
 */
import * as fs from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResolvedConfig } from '../core/config';
import { resolveConfig } from '../core/expand';
import { estimateRunSeconds, formatDuration } from '../core/estimate';
import { MANY_JOBS } from '../core/validate';
import { K8S_DEFAULT_IMAGE, K8S_DEFAULT_PVC } from '../cluster/k8s';
import { planRun } from '../runner/plan';
import { readRun, type RunInfo } from '../runner/runs';
import { hasSbatch, sbatchPlanned, writeK8sManifest, writeSlurmScript } from '../runner/submit';
import { chooseConfig, isConfigUri } from './configDocs';
import { writeExport, type ExportedFiles } from './exportRun';
import { COMMANDS } from './ids';
import type { PanelManager } from './panel';
import type { PanelTarget } from './webviewMessages';
import { presetText, uniqueConfigName } from './presetModel';
import { validateText } from './problems';
import type { RunManager } from './runManager';
import { runSettingsFor, type RunsFolders } from './runsFolders';
import type { RunsNode, RunsTreeProvider } from './runsView';

export const UNTRUSTED_MESSAGE =
  'Activation Lab: running experiments is disabled in Restricted Mode, because a run starts training processes on this ' +
  "workspace's files. Configs are still validated and past runs can be opened. Trust the workspace to run.";

export interface CommandDeps {
  context: vscode.ExtensionContext;
  runs: RunManager;
  panels: PanelManager;
  folders: RunsFolders;
  tree: RunsTreeProvider;
  log: vscode.LogOutputChannel;
  /** The trust check, replaceable so the untrusted path is testable in a trusted test window. */
  isTrusted: () => boolean;
}

/** A run folder from a command argument: a path (CodeLens, status bar, panel) or a Runs view node. */
function runDirOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  if (typeof arg === 'object' && arg !== null) {
    const node = arg as Partial<RunsNode> & { info?: { runDir?: unknown }; runDir?: unknown };
    if (node.kind === 'run' && typeof node.info?.runDir === 'string') return node.info.runDir;
    if (node.kind === 'job' && typeof node.runDir === 'string') return node.runDir;
  }
  return undefined;
}

/** Validates and expands a config file (saved first if dirty); shows the problem and returns undefined if it cannot run. */
export async function loadConfig(uri: vscode.Uri, verb: string): Promise<ResolvedConfig | undefined> {
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.isDirty && !(await doc.save())) return undefined;
  const v = validateText(doc.getText(), uri.fsPath);
  if (!v.config || v.errorCount > 0) {
    const show = 'Show Problems';
    const n = v.errorCount || 1;
    const pick = await vscode.window.showErrorMessage(
      `Cannot ${verb} ${path.basename(uri.fsPath)}: ${n} error${n === 1 ? '' : 's'} in the config. Fix ${n === 1 ? 'it' : 'them'} first.`, show);
    if (pick === show) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.actions.view.problems');
    }
    return undefined;
  }
  return resolveConfig(v.config, { sourcePath: uri.fsPath });
}

export class Commands {
  constructor(private readonly d: CommandDeps) {}

  register(): vscode.Disposable {
    const reg = (id: string, fn: (...args: unknown[]) => unknown): vscode.Disposable => vscode.commands.registerCommand(id, fn);
    return vscode.Disposable.from(
      reg(COMMANDS.run, (arg) => this.run(arg)),
      reg(COMMANDS.stop, (arg) => this.stop(arg)),
      reg(COMMANDS.openResults, (arg) => this.openResults(arg)),
      reg(COMMANDS.newFromPreset, (preset, dir) => this.newFromPreset(preset, dir)),
      reg(COMMANDS.preview, (arg) => this.preview(arg)),
      reg(COMMANDS.exportRun, (arg, dest) => this.exportRun(arg, dest)),
      reg(COMMANDS.refreshRuns, () => { this.d.folders.invalidate(); this.d.tree.refresh(); }),
      reg(COMMANDS.showLog, () => this.d.log.show()),
      reg(COMMANDS.submitSlurm, (arg) => this.submitSlurm(arg)),
      reg(COMMANDS.submitK8s, (arg) => this.submitK8s(arg)),
      reg(COMMANDS.compareRuns, (...args) => this.compareRuns(args)),
    );
  }

  /** Starts a run; returns its folder. */
  async run(arg?: unknown): Promise<string | undefined> {
    if (!this.d.isTrusted()) {
      const manage = 'Manage Workspace Trust';
      void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE, manage).then((p) => {
        if (p === manage) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      this.d.log.warn('run refused: the workspace is not trusted');
      return undefined;
    }
    const uri = await chooseConfig(arg, 'Choose the experiment to run');
    if (!uri) return undefined;
    if (uri.scheme !== 'file') {
      void vscode.window.showErrorMessage('Save the config to a file before running it (runs are stored next to it).');
      return undefined;
    }
    const resolved = await loadConfig(uri, 'run');
    if (!resolved) return undefined;
    const settings = runSettingsFor(uri);

    if (resolved.jobs.length > MANY_JOBS) {
      const go = 'Run';
      const eta = formatDuration(estimateRunSeconds(resolved.jobs, settings.parallel, availableParallelism()));
      const pick = await vscode.window.showWarningMessage(`${resolved.name}: ${resolved.jobs.length} jobs (${eta} at ${settings.parallel} at once). Run them all?`, { modal: true }, go);
      if (pick !== go) return undefined;
    }
    const running = this.d.runs.activeForConfig(uri.fsPath);
    if (running) {
      const another = 'Start Another';
      const open = 'Open Results';
      const pick = await vscode.window.showInformationMessage(`${resolved.name} is already running.`, another, open);
      if (pick === open) this.d.panels.showRun(running.runDir);
      if (pick !== another) return undefined;
    }

    let run;
    try {
      run = this.d.runs.start({
        resolved, configPath: uri.fsPath, outDir: settings.outDir, parallel: settings.parallel,
        // 'auto' leaves each config's own "backend" in charge; anything else overrides it.
        backend: settings.backend === 'auto' ? undefined : settings.backend,
      });
    } catch (e) {
      const msg = `Could not start the run in ${settings.outDir}: ${(e as Error).message}`;
      this.d.log.error(msg);
      void vscode.window.showErrorMessage(msg);
      return undefined;
    }
    this.d.log.info(`started ${run.runId} from ${uri.fsPath}: ${resolved.jobs.length} jobs, ${settings.parallel} at once → ${run.runDir}`);
    this.d.folders.add(settings.outDir);
    this.d.panels.showRun(run.runDir, true);
    return run.runDir;
  }

  /** Stops a run of this window; returns whether one was asked to stop. */
  async stop(arg?: unknown): Promise<boolean> {
    let runDir = runDirOf(arg);
    if (!runDir) {
      const active = this.d.runs.active();
      if (active.length === 0) {
        void vscode.window.showInformationMessage('Activation Lab: no run in progress in this window.');
        return false;
      }
      runDir = active.length === 1 ? active[0].runDir : (await vscode.window.showQuickPick(
        active.map((r) => ({ label: r.resolved.name, description: r.runId, runDir: r.runDir })), { placeHolder: 'Stop which run?' }))?.runDir;
      if (!runDir) return false;
    }
    if (this.d.runs.stop(runDir)) {
      this.d.log.info(`stop requested for ${path.basename(runDir)}`);
      return true;
    }
    void vscode.window.showWarningMessage(
      `${path.basename(runDir)} is not running in this window. A run started by the actlab CLI stops where it runs (Ctrl+C).`);
    return false;
  }

  /**
   * Compares runs: those selected in the Runs view (a multi-selection arrives as the second
   * argument; the Runs view allows one), else picked. Opens one results panel with every arm of
   * every run, prefixed by its run; its "Open report" writes the shareable page (compareRuns.ts).
   * Returns the panel's target.
   */
  async compareRuns(args: unknown[]): Promise<PanelTarget | undefined> {
    const selected = (Array.isArray(args[1]) ? args[1] : []).map(runDirOf).filter((d): d is string => d !== undefined);
    let dirs = [...new Set(selected)];
    if (dirs.length < 2) {
      const runs: RunInfo[] = await this.d.tree.allRuns();
      const picks = await vscode.window.showQuickPick(runs.map((r) => ({ label: r.name, description: r.started.replace('T', ' ').slice(0, 19), runDir: r.runDir })),
        { placeHolder: 'Compare which runs? (two or more)', canPickMany: true });
      dirs = (picks ?? []).map((p) => p.runDir);
    }
    if (dirs.length < 2) return undefined;
    try {
      const panel = this.d.panels.showComparison(dirs);
      this.d.log.info(`comparing ${dirs.map((d) => path.basename(d)).join(', ')}`);
      return panel;
    } catch (e) {
      void vscode.window.showErrorMessage(`Cannot compare these runs: ${(e as Error).message}`);
      return undefined;
    }
  }

  private async pickRun(placeHolder: string): Promise<string | undefined> {
    const runs: RunInfo[] = await this.d.tree.allRuns();
    if (runs.length === 0) {
      void vscode.window.showInformationMessage('Activation Lab: no runs yet. Run an experiment first.');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(runs.map((r) => ({
      label: r.name, description: `${r.status} · ${r.jobsDone}/${r.jobsTotal} jobs · ${r.started.replace('T', ' ').slice(0, 19)}`,
      detail: vscode.workspace.asRelativePath(r.runDir), runDir: r.runDir,
    })), { placeHolder, matchOnDescription: true, matchOnDetail: true });
    return pick?.runDir;
  }

  /** Opens the results panel of a run (picked when not given); returns its folder. */
  async openResults(arg?: unknown): Promise<string | undefined> {
    const runDir = runDirOf(arg) ?? (await this.pickRun('Open the results of which run?'));
    if (!runDir) return undefined;
    try {
      this.d.panels.showRun(runDir);
    } catch (e) {
      void vscode.window.showErrorMessage(`Cannot open ${runDir}: ${(e as Error).message}`);
      return undefined;
    }
    return runDir;
  }

  /** Opens the activation-shape preview of a config (no training); returns the config path. */
  async preview(arg?: unknown): Promise<string | undefined> {
    const uri = await chooseConfig(arg, 'Preview the activations of which config?');
    if (!uri) return undefined;
    const resolved = await loadConfig(uri, 'preview');
    if (!resolved) return undefined;
    this.d.panels.showPreview(uri.fsPath, resolved);
    return uri.fsPath;
  }

  /** Exports a run; `destination` (a .csv path or Uri) skips the save dialog. Returns the files written. */
  async exportRun(arg?: unknown, destination?: unknown): Promise<ExportedFiles | undefined> {
    const runDir = runDirOf(arg) ?? (await this.pickRun('Export which run?'));
    if (!runDir) return undefined;
    return this.exportRunDir(runDir, destination);
  }

  async exportRunDir(runDir: string, destination?: unknown): Promise<ExportedFiles | undefined> {
    let target = destination instanceof vscode.Uri ? destination.fsPath : typeof destination === 'string' ? destination : undefined;
    if (!target) {
      const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(path.dirname(runDir));
      const uri = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(base, `${path.basename(runDir)}.csv`), filters: { CSV: ['csv'] }, title: 'Export run as CSV',
      });
      if (!uri) return undefined;
      target = uri.fsPath;
    }
    const live = this.d.runs.get(runDir);
    const { config, events } = live ? { config: live.resolved, events: live.events } : readRun(runDir);
    const files = writeExport(runDir, config, events, target);
    this.d.log.info(`exported ${path.basename(runDir)} → ${files.csv}, ${path.basename(files.steps)}, ${path.basename(files.summary)}`);
    if (!destination) {
      const open = 'Open CSV';
      void vscode.window.showInformationMessage(`Exported ${path.basename(files.csv)} (+ steps CSV and summary.json).`, open).then((p) => {
        if (p === open) void vscode.window.showTextDocument(vscode.Uri.file(files.csv));
      });
    }
    return files;
  }

  /** Creates a config from a shipped example; `preset` (file name) and `targetDir` skip the pickers. Returns the new file. */
  async newFromPreset(preset?: unknown, targetDir?: unknown): Promise<vscode.Uri | undefined> {
    const presets = this.presets();
    if (presets.length === 0) {
      void vscode.window.showErrorMessage('Activation Lab: no valid presets found in the extension\'s examples folder.');
      return undefined;
    }
    const chosen = typeof preset === 'string'
      ? presets.find((p) => p.file === preset || p.name === preset)
      : await vscode.window.showQuickPick(presets.map((p) => ({
        label: p.name, description: `${p.jobs} job${p.jobs === 1 ? '' : 's'} · ${p.file}`, detail: p.description, preset: p,
      })), { placeHolder: 'Start a new experiment from which preset?', matchOnDetail: true }).then((x) => x?.preset);
    if (!chosen) return undefined;

    let dir = typeof targetDir === 'string' ? targetDir : targetDir instanceof vscode.Uri ? targetDir.fsPath : undefined;
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (!dir && folders.length === 1) dir = folders[0].uri.fsPath;
    else if (!dir && folders.length > 1) dir = (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Create it in which folder?' }))?.uri.fsPath;
    let target: string | undefined;
    if (dir) target = path.join(dir, uniqueConfigName(chosen.file, (n) => fs.existsSync(path.join(dir as string, n))));
    else target = (await vscode.window.showSaveDialog({ filters: { 'Activation Lab config': ['actlab.json'] }, title: 'Save the new experiment' }))?.fsPath;
    if (!target) return undefined;
    if (!target.endsWith('.actlab.json')) target = `${target.replace(/\.json$/i, '')}.actlab.json`;

    fs.writeFileSync(target, chosen.text);
    const uri = vscode.Uri.file(target);
    await vscode.window.showTextDocument(uri, { preview: false });
    this.d.log.info(`new experiment ${target} from preset ${chosen.file}`);
    return uri;
  }

  /** Shipped examples that validate without errors (an invalid one is logged, never offered). */
  presets(): { file: string; name: string; description: string; jobs: number; text: string }[] {
    const dir = path.join(this.d.context.extensionPath, 'examples');
    let files: string[] = [];
    try {
      files = fs.readdirSync(dir).filter((f) => isConfigUri(vscode.Uri.file(f))).sort();
    } catch {
      return [];
    }
    const out = [];
    for (const file of files) {
      const full = path.join(dir, file);
      const text = presetText(fs.readFileSync(full, 'utf8'));
      const v = validateText(text, full);
      if (!v.config || v.errorCount > 0) {
        this.d.log.warn(`preset ${file} skipped: ${v.errorCount} validation error(s)`);
        continue;
      }
      out.push({ file, name: v.config.name, description: v.config.description ?? '', jobs: v.jobCount ?? 0, text });
    }
    return out;
  }

  /**
   * Plans a config for a cluster into its runs folder (which the cluster must see); returns the
   * run folder, or undefined when the user backed out or it cannot run.
   */
  private async planForCluster(arg: unknown, where: string): Promise<string | undefined> {
    if (!this.d.isTrusted()) {
      void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE);
      this.d.log.warn(`submit to ${where} refused: the workspace is not trusted`);
      return undefined;
    }
    const uri = await chooseConfig(arg, `Choose the experiment to submit to ${where}`);
    if (!uri || uri.scheme !== 'file') return undefined;
    const resolved = await loadConfig(uri, 'submit');
    if (!resolved) return undefined;
    const settings = runSettingsFor(uri);
    const planned = planRun({ resolved, outDir: settings.outDir, backend: settings.backend === 'auto' ? undefined : settings.backend });
    this.d.log.info(`planned ${planned.runId} for ${where}: ${planned.jobs} jobs → ${planned.runDir}`);
    this.d.folders.add(settings.outDir);
    this.d.tree.refresh();
    return planned.runDir;
  }

  /** How a cluster node starts actlab: node on its PATH and this extension's launcher. */
  private actlabArgv(): string[] {
    return ['node', path.join(this.d.context.extensionPath, 'bin', 'actlab.js')];
  }

  /** Plans, writes and opens slurm.sh, and submits it when sbatch is on PATH; returns the run folder. */
  async submitSlurm(arg?: unknown): Promise<string | undefined> {
    const runDir = await this.planForCluster(arg, 'Slurm');
    if (!runDir) return undefined;
    const script = writeSlurmScript(runDir, { actlab: this.actlabArgv(), cpus: 1 });
    await vscode.window.showTextDocument(vscode.Uri.file(script), { preview: false });
    if (!hasSbatch()) {
      void vscode.window.showInformationMessage(`Activation Lab: sbatch is not on PATH here. On a login node that sees ${runDir}, run: sbatch ${script}`);
      return runDir;
    }
    const submit = 'Submit';
    if ((await vscode.window.showInformationMessage(`Submit ${path.basename(runDir)} as a Slurm job array?`, submit)) !== submit) return runDir;
    try {
      const id = sbatchPlanned(runDir, script, undefined);
      this.d.log.info(`submitted ${path.basename(runDir)} to Slurm: job ${id}`);
      void vscode.window.showInformationMessage(`Activation Lab: submitted to Slurm as job ${id}. The Runs view shows its progress.`);
    } catch (e) {
      this.d.log.error(`sbatch: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(`Activation Lab: ${(e as Error).message}`);
    }
    this.d.tree.refresh();
    return runDir;
  }

  /** Plans, writes and opens k8s-job.yaml (applying it is kubectl's job); returns the run folder. */
  async submitK8s(arg?: unknown): Promise<string | undefined> {
    const runDir = await this.planForCluster(arg, 'Kubernetes');
    if (!runDir) return undefined;
    const image = await vscode.window.showInputBox({ prompt: 'Container image with actlab on its PATH', value: K8S_DEFAULT_IMAGE });
    if (image === undefined) return runDir;
    const pvc = await vscode.window.showInputBox({ prompt: 'ReadWriteMany PersistentVolumeClaim that holds the runs folder', value: K8S_DEFAULT_PVC });
    if (pvc === undefined) return runDir;
    const file = writeK8sManifest(runDir, { image: image || K8S_DEFAULT_IMAGE, pvc: pvc || K8S_DEFAULT_PVC, cpus: 1, retries: 1 });
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    void vscode.window.showInformationMessage(`Activation Lab: apply it with kubectl apply -f ${file}; then actlab merge ${runDir} (the last pod merges on its own).`);
    return runDir;
  }
}
