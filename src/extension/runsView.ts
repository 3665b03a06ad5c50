/**
 * The "Runs" tree: every run in the known runs folders (CLI runs included, they share the folder
 * layout), newest first, with a status icon; each expands to its jobs. Refreshes when run
 * folders change on disk (FileSystemWatcher on run.json / summary.json) and when this window's
 * runs make progress.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { listRuns, readRun, type RunInfo } from '../runner/runs';
import { KeyedDebouncer } from './debounce';
import { COMMANDS, VIEW_RUNS } from './ids';
import type { RunManager } from './runManager';
import type { RunsFolders } from './runsFolders';
import { jobItem, jobRows, runItem, type ItemModel, type JobRow } from './runsTreeModel';

export type RunsNode =
  | { kind: 'run'; info: RunInfo }
  | { kind: 'job'; runDir: string; row: JobRow };

const REFRESH_DELAY_MS = 300;

export function toTreeItem(m: ItemModel): vscode.TreeItem {
  const item = new vscode.TreeItem(m.label, m.expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = m.id;
  item.description = m.description;
  item.tooltip = new vscode.MarkdownString(m.tooltip);
  item.iconPath = new vscode.ThemeIcon(m.icon.id, m.icon.color ? new vscode.ThemeColor(m.icon.color) : undefined);
  item.contextValue = m.contextValue;
  return item;
}

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly debouncer = new KeyedDebouncer<string>(REFRESH_DELAY_MS);
  private readonly disposables: vscode.Disposable[] = [];
  private folderWatchers: vscode.Disposable[] = [];
  /** The last listing, for commands that pick a run. */
  private latest: RunInfo[] = [];

  constructor(private readonly folders: RunsFolders, private readonly runs: RunManager) {
    // Inside the workspace: one recursive watcher. Outside (an absolute runsFolder): one per folder.
    const watcher = vscode.workspace.createFileSystemWatcher('**/.actlab/runs/*/{run.json,summary.json}');
    this.disposables.push(
      watcher,
      watcher.onDidCreate(() => this.refresh()),
      watcher.onDidChange(() => this.refresh()),
      watcher.onDidDelete(() => this.refresh()),
      folders.onDidChange(() => { void this.watchFolders(); this.refresh(); }),
    );
    const offChange = runs.onChange.on(() => this.refresh());
    this.disposables.push({ dispose: offChange });
    void this.watchFolders();
  }

  private async watchFolders(): Promise<void> {
    for (const w of this.folderWatchers) w.dispose();
    this.folderWatchers = [];
    const inWorkspace = (f: string): boolean => (vscode.workspace.workspaceFolders ?? []).some((w) => !path.relative(w.uri.fsPath, f).startsWith('..'));
    for (const folder of await this.folders.list()) {
      if (inWorkspace(folder)) continue;
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), '*/{run.json,summary.json}'));
      this.folderWatchers.push(w, w.onDidCreate(() => this.refresh()), w.onDidChange(() => this.refresh()), w.onDidDelete(() => this.refresh()));
    }
  }

  refresh(): void {
    this.debouncer.schedule('all', () => this.changed.fire(undefined));
  }

  /** Every known run, newest first (one entry per run folder). */
  async allRuns(): Promise<RunInfo[]> {
    const seen = new Map<string, RunInfo>();
    for (const folder of await this.folders.list()) {
      for (const info of listRuns(folder)) seen.set(path.normalize(info.runDir), info);
    }
    // This window's runs: progress from memory is fresher than summary.json.
    for (const run of this.runs.active()) {
      const key = path.normalize(run.runDir);
      const p = run.progress();
      const base = seen.get(key);
      seen.set(key, {
        runId: run.runId, runDir: run.runDir, name: run.resolved.name, status: 'running',
        started: base?.started ?? new Date(run.startedAt).toISOString(), jobsDone: p.jobsDone, jobsTotal: p.jobsTotal, best: base?.best,
      });
    }
    this.latest = [...seen.values()].sort((a, b) => (a.started < b.started ? 1 : a.started > b.started ? -1 : 0));
    return this.latest;
  }

  lastListing(): RunInfo[] {
    return this.latest;
  }

  async getChildren(node?: RunsNode): Promise<RunsNode[]> {
    if (!node) return (await this.allRuns()).map((info) => ({ kind: 'run' as const, info }));
    if (node.kind === 'job') return [];
    const live = this.runs.get(node.info.runDir);
    if (live && this.runs.isActive(live.runDir)) {
      return jobRows(live.resolved, live.events, true).map((row) => ({ kind: 'job' as const, runDir: node.info.runDir, row }));
    }
    try {
      const rec = readRun(node.info.runDir);
      return jobRows(rec.config, rec.events, node.info.status === 'running').map((row) => ({ kind: 'job' as const, runDir: node.info.runDir, row }));
    } catch {
      return []; // folder removed or config.json unreadable: the run row itself says enough
    }
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    if (node.kind === 'run') {
      const item = toTreeItem(runItem(node.info, Date.now()));
      item.command = { title: 'Open Results', command: COMMANDS.openResults, arguments: [node.info.runDir] };
      return item;
    }
    return toTreeItem(jobItem(node.runDir, node.row));
  }

  dispose(): void {
    this.debouncer.dispose();
    for (const d of [...this.disposables, ...this.folderWatchers]) d.dispose();
    this.changed.dispose();
  }
}

/**
 * Registers the tree view; returns the provider (commands ask it for the run list). Several runs
 * may be selected: "Compare Runs…" from the context menu then receives them all.
 */
export function registerRunsView(folders: RunsFolders, runs: RunManager): { provider: RunsTreeProvider; disposable: vscode.Disposable } {
  const provider = new RunsTreeProvider(folders, runs);
  const view = vscode.window.createTreeView(VIEW_RUNS, { treeDataProvider: provider, showCollapseAll: true, canSelectMany: true });
  return { provider, disposable: vscode.Disposable.from(view, provider) };
}
