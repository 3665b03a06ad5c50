/**
 * Hovers, completions, quick fixes and the CodeLens for config documents. The logic lives in the
 * pure models (hoverModel, completionModel, codeLensModel); this file only converts.
 */
import { availableParallelism } from 'node:os';
import * as vscode from 'vscode';
import { resolveConfig } from '../core/expand';
import { estimateRunSeconds, formatDuration } from '../core/estimate';
import { codeLenses, type LensSpec } from './codeLensModel';
import { completionsAt, type Suggestion } from './completionModel';
import { CONFIG_SELECTOR, isConfigDocument, type ValidationCache } from './configDocs';
import { toRange, toVsDiagnostic } from './diagnostics';
import { hoverAt } from './hoverModel';
import { COMMANDS, DIAGNOSTIC_SOURCE } from './ids';
import type { RunManager } from './runManager';

const KIND: Record<Suggestion['kind'], vscode.CompletionItemKind> = {
  activation: vscode.CompletionItemKind.Function,
  enum: vscode.CompletionItemKind.EnumMember,
  property: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  snippet: vscode.CompletionItemKind.Snippet,
};

export function toCompletionItem(doc: vscode.TextDocument, s: Suggestion): vscode.CompletionItem {
  const item = new vscode.CompletionItem(s.label, KIND[s.kind]);
  item.insertText = new vscode.SnippetString(s.insertText);
  item.range = toRange(doc, s.range.offset, s.range.length);
  if (s.detail) item.detail = s.detail;
  if (s.documentation) item.documentation = new vscode.MarkdownString(s.documentation);
  if (s.filterText) item.filterText = s.filterText;
  if (s.sortText) item.sortText = s.sortText;
  return item;
}

/**
 * Whether VS Code's built-in JSON language features serve the contributed schema here (they do
 * in VS Code and code-server unless disabled); then enum values and keys are left to them.
 */
export function schemaServed(): boolean {
  return vscode.extensions.getExtension('vscode.json-language-features') !== undefined;
}

class Hovers implements vscode.HoverProvider {
  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const h = hoverAt(doc.getText(), doc.offsetAt(pos), { schemaServed: schemaServed() });
    return h ? new vscode.Hover(new vscode.MarkdownString(h.markdown), toRange(doc, h.range.offset, h.range.length)) : undefined;
  }
}

class Completions implements vscode.CompletionItemProvider {
  provideCompletionItems(doc: vscode.TextDocument, pos: vscode.Position): vscode.CompletionItem[] {
    return completionsAt(doc.getText(), doc.offsetAt(pos), { schemaServed: schemaServed() }).map((s) => toCompletionItem(doc, s));
  }
}

/** Quick fixes from the validator's own fixes (computed for the current document version). */
export class QuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly cache: ValidationCache) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    if (ctx.only && !ctx.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const actions: vscode.CodeAction[] = [];
    for (const d of this.cache.get(doc).diagnostics) {
      if (!d.fixes?.length) continue;
      const vsDiag = toVsDiagnostic(d);
      if (!vsDiag.range.intersection(range)) continue;
      // Prefer the instance VS Code passed in, so the fix is linked to the shown problem.
      const shown = ctx.diagnostics.find((x) => x.source === DIAGNOSTIC_SOURCE && x.code === d.code && x.range.isEqual(vsDiag.range)) ?? vsDiag;
      for (const fix of d.fixes) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        const edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits) edit.replace(doc.uri, toRange(doc, e.offset, e.length), e.newText);
        action.edit = edit;
        action.diagnostics = [shown];
        action.isPreferred = fix.preferred === true;
        actions.push(action);
      }
    }
    return actions;
  }
}

class Lenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly cache: ValidationCache, private readonly runs: RunManager, private readonly parallel: (uri: vscode.Uri) => number) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!isConfigDocument(doc)) return [];
    const v = this.cache.get(doc);
    const run = doc.uri.scheme === 'file' ? this.runs.activeForConfig(doc.uri.fsPath) : undefined;
    const progress = run?.progress();
    const specs = codeLenses({
      jobCount: v.jobCount, errorCount: v.errorCount,
      running: progress ? { jobsDone: progress.jobsDone, jobsTotal: progress.jobsTotal } : undefined,
    });
    const estimate = !run && v.errorCount === 0 && v.config ? this.estimate(v.config, doc) : undefined;
    const range = new vscode.Range(0, 0, 0, 0);
    return specs.map((s) => new vscode.CodeLens(range, this.command(s, doc, run?.runDir, estimate)));
  }

  private estimate(config: Parameters<typeof resolveConfig>[0], doc: vscode.TextDocument): string | undefined {
    try {
      const resolved = resolveConfig(config, { sourcePath: doc.uri.fsPath });
      return formatDuration(estimateRunSeconds(resolved.jobs, this.parallel(doc.uri), availableParallelism()));
    } catch {
      return undefined; // an estimate is a nicety; a config the expander rejects just shows none
    }
  }

  private command(s: LensSpec, doc: vscode.TextDocument, runDir: string | undefined, estimate: string | undefined): vscode.Command {
    const title = s.action === 'run' && estimate ? `${s.title} (${estimate})` : s.title;
    switch (s.action) {
      case 'run': return { title, tooltip: s.tooltip, command: COMMANDS.run, arguments: [doc.uri] };
      case 'preview': return { title, tooltip: s.tooltip, command: COMMANDS.preview, arguments: [doc.uri] };
      case 'stop': return { title, tooltip: s.tooltip, command: COMMANDS.stop, arguments: [runDir] };
      case 'openResults': return { title, tooltip: s.tooltip, command: COMMANDS.openResults, arguments: [runDir] };
      case 'showProblems': return { title, tooltip: s.tooltip, command: 'workbench.actions.view.problems' };
    }
  }
}

export interface LanguageFeatures extends vscode.Disposable {
  refreshLenses(): void;
}

export function registerLanguageFeatures(cache: ValidationCache, runs: RunManager, parallel: (uri: vscode.Uri) => number): LanguageFeatures {
  const lenses = new Lenses(cache, runs, parallel);
  const disposable = vscode.Disposable.from(
    vscode.languages.registerHoverProvider(CONFIG_SELECTOR, new Hovers()),
    vscode.languages.registerCompletionItemProvider(CONFIG_SELECTOR, new Completions(), '"', ':'),
    vscode.languages.registerCodeActionsProvider(CONFIG_SELECTOR, new QuickFixes(cache), { providedCodeActionKinds: QuickFixes.kinds }),
    vscode.languages.registerCodeLensProvider(CONFIG_SELECTOR, lenses),
  );
  return { dispose: () => disposable.dispose(), refreshLenses: () => lenses.refresh() };
}
