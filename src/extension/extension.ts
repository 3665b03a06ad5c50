/**
 * Activation Lab's VS Code entry: wires the run manager (shared scheduler), the Runs view, the
 * results panel, progress UI and the authoring features. Activation is lazy (a document of the
 * "actlab" language, i.e. an *.actlab.json; the Runs view; a command; a restored panel);
 * activate() only registers, validates the configs already open and starts an async search for
 * runs folders.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { resolveConfig } from '../core/expand';
import { startRun } from '../runner/scheduler';
import { Commands } from './commands';
import { ValidationCache } from './configDocs';
import { registerDiagnostics } from './diagnostics';
import { JSON_FEATURES_EXTENSION } from './ids';
import { registerLanguageFeatures } from './languageFeatures';
import { logLine } from './logFormat';
import { PanelManager, registerPanelSerializer } from './panel';
import { validateText } from './problems';
import { registerProgressUi } from './progressUi';
import { RunManager } from './runManager';
import { RunsFolders, runSettingsFor } from './runsFolders';
import { registerRunsView, type RunsTreeProvider } from './runsView';

/** What activate() returns: the pieces the extension-host tests drive directly. */
export interface ActivationLabApi {
  runs: RunManager;
  commands: Commands;
  panels: PanelManager;
  folders: RunsFolders;
  tree: RunsTreeProvider;
  /** Forces the untrusted path in a trusted test window (undefined = use workspace trust). */
  setTrustOverride(trusted: boolean | undefined): void;
}

let manager: RunManager | undefined;

export function activate(context: vscode.ExtensionContext): ActivationLabApi {
  const log = vscode.window.createOutputChannel('Activation Lab', { log: true });
  const runs = new RunManager({
    startRun,
    trainerPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'trainer.js').fsPath,
    // In VS Code the host's execPath is Electron: without this the forked trainer would start
    // another Electron app instead of Node. Harmless where execPath is node (code-server).
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  manager = runs;
  const offLog = runs.onEvents.on(({ events }) => {
    for (const e of events) {
      const line = logLine(e);
      if (line) log[line.level](line.message);
    }
  });

  wakeJsonFeatures(log);

  const cache = new ValidationCache();
  const folders = new RunsFolders();
  const { provider: tree, disposable: treeDisposable } = registerRunsView(folders, runs);
  const features = registerLanguageFeatures(cache, runs, (uri) => runSettingsFor(uri).parallel);
  const offLenses = runs.onChange.on(() => features.refreshLenses());

  let trustOverride: boolean | undefined;
  let commands: Commands | undefined;
  const panels = new PanelManager(context, runs, {
    log,
    stop: (runDir) => { runs.stop(runDir); },
    exportRun: (runDir) => commands ? commands.exportRunDir(runDir) : Promise.resolve(undefined),
    resolvePreview: async (configPath) => {
      const v = validateText(fs.readFileSync(configPath, 'utf8'), configPath);
      if (!v.config || v.errorCount > 0) throw new Error(`${configPath} has errors`);
      return resolveConfig(v.config, { sourcePath: configPath });
    },
  });
  commands = new Commands({
    context, runs, panels, folders, tree, log,
    isTrusted: () => trustOverride ?? vscode.workspace.isTrusted,
  });

  context.subscriptions.push(
    log,
    folders,
    treeDisposable,
    features,
    panels,
    registerPanelSerializer(panels),
    registerDiagnostics(cache, () => features.refreshLenses()),
    registerProgressUi(runs),
    commands.register(),
    { dispose: offLog },
    { dispose: offLenses },
  );

  return { runs, commands, panels, folders, tree, setTrustOverride: (t) => { trustOverride = t; } };
}

/**
 * VS Code's JSON support serves the contributed schema (its validation, completion and hovers) for
 * the "actlab" language through contributes.jsonLanguageParticipants, but its activation events
 * name only json/jsonc. A window usually has some jsonc model (user settings) that wakes it; where
 * none does, the completions and hovers the extension leaves to the schema would be missing.
 */
function wakeJsonFeatures(log: vscode.LogOutputChannel): void {
  const json = vscode.extensions.getExtension(JSON_FEATURES_EXTENSION);
  if (json && !json.isActive) {
    json.activate().then(undefined, (e: unknown) => log.warn(`${JSON_FEATURES_EXTENSION} did not activate: ${String(e)}`));
  }
}

/** Window closing or extension stopping: no trainer may outlive the window. */
export async function deactivate(): Promise<void> {
  const runs = manager;
  manager = undefined;
  if (runs) {
    await runs.stopAll();
    runs.dispose();
  }
}
