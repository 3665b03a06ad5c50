/**
 * Run progress in the window: a status bar item while jobs run (click: open the results), a
 * cancellable progress notification per run (cancel = stop), the `activationLab.running` context
 * key for menus, and a message when a run ends.
 */
import * as vscode from 'vscode';
import { COMMANDS, CONTEXT_RUNNING } from './ids';
import { endMessage, progressMessage, statusBarText } from './progress';
import type { ActiveRun, RunManager } from './runManager';

export function registerProgressUi(runs: RunManager): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('activationLab.progress', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Activation Lab';

  const update = (): void => {
    const active = runs.active();
    void vscode.commands.executeCommand('setContext', CONTEXT_RUNNING, active.length > 0);
    if (active.length === 0) { item.hide(); return; }
    const progress = active.map((r) => r.progress());
    item.text = statusBarText(progress);
    item.tooltip = new vscode.MarkdownString(progress.map((p) => `**${p.name}**: ${progressMessage(p)}`).join('  \n') + '\n\nClick to open the results.');
    const newest = active[active.length - 1];
    item.command = { title: 'Open Results', command: COMMANDS.openResults, arguments: [newest.runDir] };
    item.show();
  };

  const notify = (run: ActiveRun): void => {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Activation Lab: ${run.resolved.name}`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => runs.stop(run.runDir));
        let reported = 0;
        const off = runs.onChange.on((c) => {
          if (c.run !== run) return;
          const p = run.progress();
          const pct = Math.floor(p.fraction * 100);
          progress.report({ message: run.stopRequested ? 'stopping…' : progressMessage(p), increment: pct - reported });
          reported = pct;
        });
        progress.report({ message: progressMessage(run.progress()) });
        return run.done.then(() => undefined, () => undefined).finally(off);
      },
    );
  };

  const ended = async (run: ActiveRun): Promise<void> => {
    const p = run.progress();
    const seconds = (Date.now() - run.startedAt) / 1000;
    const text = endMessage({ ...p, status: run.status }, seconds);
    const open = 'Open Results';
    const show = run.status === 'failed' ? vscode.window.showErrorMessage
      : run.status === 'diverged' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    if ((await show(text, open)) === open) await vscode.commands.executeCommand(COMMANDS.openResults, run.runDir);
  };

  const off = runs.onChange.on((c) => {
    update();
    if (c.kind === 'start') notify(c.run);
    if (c.kind === 'end') void ended(c.run);
  });
  update();
  return vscode.Disposable.from(item, { dispose: off });
}
