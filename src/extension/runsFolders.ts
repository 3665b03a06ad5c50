/**
 * Where runs live: the runs folder of every config in the workspace (setting
 * activationLab.runsFolder, default `.actlab/runs` next to the config), plus the folders of runs
 * this window started. Discovery is async (findFiles) and cached until configs or settings change.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackendChoice } from '../core/config';
import { CONFIG_GLOB, SETTINGS } from './ids';
import { resolveBackend, resolveParallel, resolveRunsFolder } from './settings';

export interface RunSettings {
  outDir: string;
  parallel: number;
  backend: BackendChoice;
}

/** The settings that apply to one config file (resource-scoped, so folder settings win). */
export function runSettingsFor(configUri: vscode.Uri): RunSettings {
  const cfg = vscode.workspace.getConfiguration(SETTINGS.section, configUri);
  const folder = vscode.workspace.getWorkspaceFolder(configUri)?.uri.fsPath;
  return {
    outDir: resolveRunsFolder(cfg.get<string>(SETTINGS.runsFolder), configUri.fsPath, folder),
    parallel: resolveParallel(cfg.get<number>(SETTINGS.maxParallelJobs), os.availableParallelism?.() ?? os.cpus().length),
    backend: resolveBackend(cfg.get<string>(SETTINGS.backend)),
  };
}

export class RunsFolders implements vscode.Disposable {
  private cached: Promise<string[]> | undefined;
  private readonly extra = new Set<string>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(CONFIG_GLOB, false, true, false);
    this.disposables.push(
      watcher,
      watcher.onDidCreate(() => this.invalidate()),
      watcher.onDidDelete(() => this.invalidate()),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(`${SETTINGS.section}.${SETTINGS.runsFolder}`)) this.invalidate(); }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.invalidate()),
      this.changed,
    );
  }

  /** A folder that received a run from this window (it may lie outside the workspace). */
  add(folder: string): void {
    const f = path.normalize(folder);
    if (this.extra.has(f)) return;
    this.extra.add(f);
    this.invalidate();
  }

  invalidate(): void {
    this.cached = undefined;
    this.changed.fire();
  }

  list(): Promise<string[]> {
    this.cached ??= this.discover();
    return this.cached;
  }

  private async discover(): Promise<string[]> {
    const set = new Set<string>(this.extra);
    let configs: vscode.Uri[] = [];
    try {
      configs = await vscode.workspace.findFiles(CONFIG_GLOB, '**/{node_modules,.git}/**', 500);
    } catch {
      configs = []; // no workspace open
    }
    for (const uri of configs) set.add(runSettingsFor(uri).outDir);
    for (const f of vscode.workspace.workspaceFolders ?? []) set.add(path.join(f.uri.fsPath, '.actlab', 'runs'));
    return [...set].sort();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
