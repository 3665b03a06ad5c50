/**
 * The results panel host: one WebviewPanel per run (or per previewed config), beside the editor.
 * State lives here, not in the webview (retainContextWhenHidden is off): on every 'ready' the
 * webview gets an init with all events so far, then batches of new events every 100 ms while it
 * is visible. Requests from the webview (stop, export, open config/report) are answered with a
 * response carrying the same requestId and the action's typed result (WebviewRequests in
 * src/core/protocol/webview.ts). Panels survive a window reload through a serializer.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PROTOCOL_VERSION, SAVE_FILE_TYPES, answerRequest, type ActlabEvent, type HostToWebview, type RequestHandlers, type WebviewRequest } from '../core/protocol';
import { renderPanelHtml } from '../report/html';
import { REPORT_FILE } from '../runner/runStore';
import { Batcher } from './batcher';
import { writeComparison } from './compareRuns';
import { writeExport, type ExportedFiles } from './exportRun';
import { PANEL_VIEW_TYPE } from './ids';
import { compareSource, folderSource, managerSource, previewSource, type PanelSource } from './panelSources';
import type { RunManager } from './runManager';
import { fileBytes, safeFileName } from './saveFile';
import { panelKey, panelTitle, parsePanelTarget, parseWebviewMessage, type PanelTarget } from './webviewMessages';

export const EVENT_BATCH_MS = 100;
const TITLES_KEY = 'activationLab.panelTitles';
const MAX_REMEMBERED_TITLES = 100;

/** What the panel asks of the rest of the extension. */
export interface PanelHooks {
  stop(runDir: string): void;
  /** The files written (the webview's exportCsv result); undefined or nothing when the user cancelled. */
  exportRun(runDir: string): Promise<ExportedFiles | undefined | void>;
  /** Resolves a config file for a preview (validation included); throws with a user message. */
  resolvePreview(configPath: string): Promise<import('../core/config').ResolvedConfig>;
  log: vscode.LogOutputChannel;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    retainContextWhenHidden: false,
    enableFindWidget: true,
  };
}

/** What a panel exchanged with its webview (for the extension-host tests and the log). */
export interface PanelStats {
  readies: number;
  inits: number;
  batches: number;
  eventsPosted: number;
  requests: number;
  rejected: number;
}

class ResultsPanel {
  readonly stats: PanelStats = { readies: 0, inits: 0, batches: 0, eventsPosted: 0, requests: 0, rejected: 0 };
  private ready = false;
  private readonly batcher: Batcher<ActlabEvent>;
  private readonly disposables: vscode.Disposable[] = [];
  private unfollow: () => void;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly target: PanelTarget,
    private source: PanelSource,
    private readonly hooks: PanelHooks,
    extensionUri: vscode.Uri,
    onDispose: () => void,
  ) {
    this.batcher = new Batcher(EVENT_BATCH_MS, (events) => {
      this.stats.batches++;
      this.stats.eventsPosted += events.length;
      this.post({ type: 'events', v: PROTOCOL_VERSION, runId: this.source.runId, events });
    });
    const webview = panel.webview;
    webview.options = webviewOptions(extensionUri);
    const nonce = randomBytes(16).toString('hex');
    webview.html = renderPanelHtml({
      nonce,
      cspSource: webview.cspSource,
      scriptSrc: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      styleHref: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css')).toString(),
      title: panel.title,
    });
    this.unfollow = this.source.follow((events) => this.onEvents(events));
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        // A hidden webview is torn down; it sends 'ready' again when shown and is replayed then.
        if (!panel.visible) { this.ready = false; this.batcher.clear(); }
      }),
      panel.onDidDispose(() => {
        this.unfollow();
        this.batcher.clear();
        for (const d of this.disposables) d.dispose();
        onDispose();
      }),
    );
  }

  /** Switches to another source for the same target (a preview re-opened after its config changed). */
  replaceSource(source: PanelSource): void {
    this.unfollow();
    this.source = source;
    this.unfollow = source.follow((events) => this.onEvents(events));
    if (this.ready) this.sendInit();
  }

  private onEvents(events: ActlabEvent[]): void {
    if (!this.ready) return; // replayed in full on the next 'ready'
    this.batcher.push(...events);
    if (events.some((e) => e.type === 'runEnd')) this.batcher.flush();
  }

  private post(message: HostToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private sendInit(): void {
    this.batcher.clear();
    const events = this.source.snapshot();
    this.stats.inits++;
    this.stats.eventsPosted += events.length;
    this.post({ type: 'init', v: PROTOCOL_VERSION, runId: this.source.runId, config: this.source.config, events, live: this.source.live() });
  }

  private onMessage(raw: unknown): void {
    const m = parseWebviewMessage(raw);
    if (typeof m === 'string') {
      this.stats.rejected++;
      this.hooks.log.warn(`panel: ignored a malformed message (${m})`);
      return;
    }
    if (m.type === 'ready') {
      this.stats.readies++;
      this.ready = true;
      this.sendInit();
      return;
    }
    this.stats.requests++;
    void this.answer(m);
  }

  /** A comparison has no run folder: its merged run is exported where the user says (CSV, steps, summary). */
  private async exportComparison(): Promise<string[]> {
    const near = this.source.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '.';
    const uri = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(path.join(near, 'comparison.csv')), filters: { CSV: ['csv'] }, title: 'Export the comparison as CSV',
    });
    if (!uri) return [];
    // No summary.json to copy in this made-up folder: the export computes it from the merged run.
    const files = writeExport(path.join(near, this.source.runId), this.source.config, this.source.snapshot(), uri.fsPath);
    return [files.csv, files.steps, files.summary];
  }

  private async answer(req: WebviewRequest): Promise<void> {
    this.post(await answerRequest(this.handlers, req));
  }

  /** One handler per request of the protocol; the compiler checks each result's type. */
  private readonly handlers: RequestHandlers = {
    stop: async () => {
      const runDir = this.source.runDir;
      if (!runDir || !this.source.live()) throw new Error('Nothing is running in this panel.');
      this.hooks.stop(runDir);
      return {};
    },
    exportCsv: async () => {
      if (this.target.kind === 'compare') return { files: await this.exportComparison() };
      const runDir = this.source.runDir;
      if (!runDir) throw new Error('A preview has no run data to export.');
      const files = await this.hooks.exportRun(runDir);
      return { files: files ? [files.csv, files.steps, files.summary] : [] };
    },
    openConfig: async () => {
      const runDir = this.source.runDir;
      const candidates = [this.source.config.sourcePath, this.target.kind === 'preview' ? this.target.configPath : undefined,
        runDir ? path.join(runDir, 'config.json') : undefined];
      const file = candidates.find((f): f is string => !!f && fs.existsSync(f));
      if (!file) throw new Error('The config file no longer exists.');
      await vscode.window.showTextDocument(vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.One, preview: false });
      return { path: file };
    },
    openReport: async () => {
      if (this.target.kind === 'compare') {
        const page = writeComparison(this.target.runDirs);
        await vscode.env.openExternal(vscode.Uri.file(page));
        return { path: page };
      }
      const runDir = this.source.runDir;
      const report = runDir ? path.join(runDir, REPORT_FILE) : undefined;
      if (!report || !fs.existsSync(report)) throw new Error('No report.html yet: it is written when the run ends.');
      if (!(await vscode.env.openExternal(vscode.Uri.file(report)))) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(report));
      return { path: report };
    },
    saveFile: async (args) => {
      const name = safeFileName(args.name, args.mime);
      const ext = SAVE_FILE_TYPES[args.mime].ext;
      const near = this.source.runDir ?? this.source.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      const uri = await vscode.window.showSaveDialog({
        ...(near ? { defaultUri: vscode.Uri.file(path.join(near, name)) } : {}), filters: { [ext.toUpperCase()]: [ext] }, title: `Save ${name}`,
      });
      if (!uri) return { path: '' };
      fs.writeFileSync(uri.fsPath, fileBytes(args));
      this.hooks.log.info(`panel: saved ${uri.fsPath}`);
      return { path: uri.fsPath };
    },
  };
}

export class PanelManager implements vscode.Disposable {
  private readonly panels = new Map<string, ResultsPanel>();

  constructor(private readonly context: vscode.ExtensionContext, private readonly runs: RunManager, private readonly hooks: PanelHooks) {}

  /** Opens (or reveals) the panel of a run: from memory when this window runs it, else its folder. */
  showRun(runDir: string, preserveFocus = false): void {
    const target: PanelTarget = { kind: 'run', runDir };
    const existing = this.panels.get(panelKey(target));
    if (existing) { existing.panel.reveal(undefined, preserveFocus); return; }
    const source = this.sourceForRun(runDir);
    const title = panelTitle(target, source.config.name, source.runId);
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus }, webviewOptions(this.context.extensionUri));
    this.attach(panel, target, source);
  }

  showPreview(configPath: string, config: import('../core/config').ResolvedConfig): void {
    const target: PanelTarget = { kind: 'preview', configPath };
    const existing = this.panels.get(panelKey(target));
    const source = previewSource(config);
    if (existing) { existing.replaceSource(source); existing.panel.reveal(undefined, false); return; }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, panelTitle(target, config.name, 'preview'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, webviewOptions(this.context.extensionUri));
    this.attach(panel, target, source);
  }

  /** Opens (or reveals) one panel comparing several runs (their arms prefixed, core/compare). */
  showComparison(runDirs: readonly string[]): PanelTarget {
    const target: PanelTarget = { kind: 'compare', runDirs: [...runDirs] };
    const existing = this.panels.get(panelKey(target));
    if (existing) { existing.panel.reveal(undefined, false); return target; }
    const source = compareSource(runDirs);
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, panelTitle(target, source.config.name, source.runId),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, webviewOptions(this.context.extensionUri));
    this.attach(panel, target, source);
    return target;
  }

  /** Called by the serializer after a window reload. */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const titles = this.context.workspaceState.get<Record<string, PanelTarget>>(TITLES_KEY, {});
    const target = parsePanelTarget(state) ?? parsePanelTarget({ target: titles[panel.title] });
    try {
      if (!target) throw new Error('nothing to restore');
      if (this.panels.has(panelKey(target))) throw new Error('already open');
      const source = target.kind === 'run' ? this.sourceForRun(target.runDir)
        : target.kind === 'compare' ? compareSource(target.runDirs)
          : previewSource(await this.hooks.resolvePreview(target.configPath));
      this.attach(panel, target, source);
    } catch (e) {
      this.hooks.log.info(`panel "${panel.title}" not restored: ${(e as Error).message}`);
      panel.dispose();
    }
  }

  private sourceForRun(runDir: string): PanelSource {
    const live = this.runs.get(runDir);
    return live ? managerSource(live, this.runs) : folderSource(runDir);
  }

  private attach(panel: vscode.WebviewPanel, target: PanelTarget, source: PanelSource): void {
    const key = panelKey(target);
    this.panels.set(key, new ResultsPanel(panel, target, source, this.hooks, this.context.extensionUri, () => this.panels.delete(key)));
    void this.rememberTitle(panel.title, target);
  }

  /** The webview's own state belongs to the panel app; the title → target map is the host's
   * fallback for finding what a restored panel showed. */
  private async rememberTitle(title: string, target: PanelTarget): Promise<void> {
    const titles = { ...this.context.workspaceState.get<Record<string, PanelTarget>>(TITLES_KEY, {}) };
    delete titles[title];
    titles[title] = target;
    const keys = Object.keys(titles);
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_REMEMBERED_TITLES))) delete titles[k];
    await this.context.workspaceState.update(TITLES_KEY, titles);
  }

  /** Open panels (for tests and commands). */
  openTargets(): PanelTarget[] {
    return [...this.panels.values()].map((p) => p.target);
  }

  /** The message counters of an open panel. */
  stats(target: PanelTarget): PanelStats | undefined {
    return this.panels.get(panelKey(target))?.stats;
  }

  dispose(): void {
    // Panels are left open on purpose: VS Code restores them through the serializer.
  }
}

export function registerPanelSerializer(manager: PanelManager): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
    deserializeWebviewPanel: (panel, state: unknown) => manager.restore(panel, state),
  });
}
