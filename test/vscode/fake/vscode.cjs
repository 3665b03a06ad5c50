// A minimal stand-in for the `vscode` module: enough of the API for dist/extension.js to activate
// and run in plain Node (smoke.cjs). It records what the extension does (commands, providers,
// diagnostics, panels and their messages) instead of drawing anything. Not a test double for
// behaviour VS Code itself owns (layout, menus, language services).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

class Disposable {
  constructor(fn) { this.fn = fn; }
  dispose() { if (this.fn) this.fn(); this.fn = undefined; }
  static from(...ds) { return new Disposable(() => ds.forEach((d) => d && d.dispose())); }
}
class EventEmitter {
  constructor() { this.listeners = new Set(); this.event = (l) => { this.listeners.add(l); return new Disposable(() => this.listeners.delete(l)); }; }
  fire(v) { for (const l of [...this.listeners]) l(v); }
  dispose() { this.listeners.clear(); }
}
const event = () => new EventEmitter();

class Uri {
  constructor(scheme, p) { this.scheme = scheme; this.path = p; this.fsPath = p; }
  static file(p) { return new Uri('file', path.resolve(p)); }
  static joinPath(u, ...parts) { return new Uri(u.scheme, path.join(u.path, ...parts)); }
  with(c) { return new Uri(c.scheme ?? this.scheme, c.path ?? this.path); }
  toString() { return `${this.scheme}://${this.path}`; }
}
class Position {
  constructor(line, character) { this.line = line; this.character = character; }
  isEqual(o) { return o.line === this.line && o.character === this.character; }
  isBefore(o) { return this.line < o.line || (this.line === o.line && this.character < o.character); }
}
class Range {
  constructor(a, b, c, d) {
    if (a instanceof Position) { this.start = a; this.end = b; } else { this.start = new Position(a, b); this.end = new Position(c, d); }
  }
  isEqual(o) { return this.start.isEqual(o.start) && this.end.isEqual(o.end); }
  intersection(o) {
    const start = this.start.isBefore(o.start) ? o.start : this.start;
    const end = this.end.isBefore(o.end) ? this.end : o.end;
    return end.isBefore(start) ? undefined : new Range(start, end);
  }
}
const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 };
class Diagnostic { constructor(range, message, severity) { this.range = range; this.message = message; this.severity = severity; } }
class ThemeIcon { constructor(id, color) { this.id = id; this.color = color; } }
class ThemeColor { constructor(id) { this.id = id; } }
class MarkdownString { constructor(value = '') { this.value = value; } }
class SnippetString { constructor(value) { this.value = value; } }
const TreeItemCollapsibleState = { None: 0, Collapsed: 1, Expanded: 2 };
class TreeItem { constructor(label, state) { this.label = label; this.collapsibleState = state; } }
const CompletionItemKind = { Function: 2, Property: 9, Value: 12, EnumMember: 19, Snippet: 14 };
class CompletionItem { constructor(label, kind) { this.label = label; this.kind = kind; } }
class CodeActionKind {
  constructor(value) { this.value = value; }
  contains(o) { return o.value === this.value || o.value.startsWith(`${this.value}.`); }
}
CodeActionKind.QuickFix = new CodeActionKind('quickfix');
class CodeAction { constructor(title, kind) { this.title = title; this.kind = kind; } }
class WorkspaceEdit {
  constructor() { this.edits = []; }
  replace(uri, range, newText) { this.edits.push({ uri, range, newText }); }
}
class CodeLens { constructor(range, command) { this.range = range; this.command = command; } }
class Hover { constructor(contents, range) { this.contents = [contents]; this.range = range; } }
class RelativePattern { constructor(base, pattern) { this.base = base; this.pattern = pattern; } }

class TextDocument {
  constructor(uri) { this.uri = uri; this.version = 1; this.text = fs.readFileSync(uri.fsPath, 'utf8'); this.isDirty = false; this.isClosed = false; this.languageId = uri.fsPath.endsWith('.actlab.json') ? 'actlab' : 'json'; }
  getText() { return this.text; }
  positionAt(offset) {
    const before = this.text.slice(0, Math.max(0, Math.min(offset, this.text.length)));
    const lines = before.split('\n');
    return new Position(lines.length - 1, lines[lines.length - 1].length);
  }
  offsetAt(pos) {
    const lines = this.text.split('\n');
    let o = 0;
    for (let i = 0; i < pos.line; i++) o += lines[i].length + 1;
    return o + pos.character;
  }
  async save() { return true; }
}

const recorded = { commands: new Map(), providers: [], diagnostics: new Map(), panels: [], messages: [], serializers: [], statusItems: [] };
const emitters = {
  open: event(), change: event(), save: event(), close: event(), config: event(), folders: event(),
};
const documents = new Map();

const window = {
  createOutputChannel: (name) => {
    const lines = [];
    recorded.log = lines;
    const at = (level) => (m) => lines.push(`${level} ${m}`);
    return { name, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug'), trace: at('trace'), appendLine: at(''), show() {}, dispose() {} };
  },
  createStatusBarItem: () => {
    const item = { text: '', visible: false, show() { this.visible = true; }, hide() { this.visible = false; }, dispose() {} };
    recorded.statusItems.push(item);
    return item;
  },
  createTreeView: (id, opts) => { recorded.tree = opts.treeDataProvider; return new Disposable(); },
  registerWebviewPanelSerializer: (viewType, s) => { recorded.serializers.push({ viewType, s }); return new Disposable(); },
  createWebviewPanel: (viewType, title, showOptions, options) => {
    const received = new EventEmitter();
    const disposed = new EventEmitter();
    const panel = {
      viewType, title, showOptions, visible: true,
      webview: {
        options, html: '', cspSource: 'vscode-resource:',
        asWebviewUri: (u) => u.with({ scheme: 'vscode-webview-resource' }),
        postMessage: async (m) => { recorded.messages.push({ panel, message: JSON.parse(JSON.stringify(m)) }); return true; },
        onDidReceiveMessage: received.event,
      },
      receive: (m) => received.fire(m),
      onDidChangeViewState: event().event,
      onDidDispose: disposed.event,
      reveal() {},
      dispose() { disposed.fire(); },
    };
    recorded.panels.push(panel);
    return panel;
  },
  showInformationMessage: async (...a) => { (recorded.notices ??= []).push(['info', a[0]]); return undefined; },
  showWarningMessage: async (...a) => { (recorded.notices ??= []).push(['warn', a[0]]); return undefined; },
  showErrorMessage: async (...a) => { (recorded.notices ??= []).push(['error', a[0]]); return undefined; },
  showQuickPick: async () => undefined,
  showSaveDialog: async () => undefined,
  showWorkspaceFolderPick: async () => undefined,
  showTextDocument: async (d) => d,
  withProgress: (opts, task) => {
    const reports = [];
    (recorded.progress ??= []).push({ opts, reports });
    return task({ report: (r) => reports.push(r) }, { onCancellationRequested: () => new Disposable() });
  },
  activeTextEditor: undefined,
};

const workspace = {
  isTrusted: true,
  workspaceFolders: undefined,
  textDocuments: [],
  getConfiguration: () => ({ get: () => undefined }),
  getWorkspaceFolder: () => undefined,
  asRelativePath: (p) => String(p),
  findFiles: async () => [],
  createFileSystemWatcher: () => ({ onDidCreate: event().event, onDidChange: event().event, onDidDelete: event().event, dispose() {} }),
  onDidChangeConfiguration: emitters.config.event,
  onDidChangeWorkspaceFolders: emitters.folders.event,
  onDidOpenTextDocument: emitters.open.event,
  onDidChangeTextDocument: emitters.change.event,
  onDidSaveTextDocument: emitters.save.event,
  onDidCloseTextDocument: emitters.close.event,
  openTextDocument: async (uri) => {
    const key = uri.toString();
    if (!documents.has(key)) { const d = new TextDocument(uri); documents.set(key, d); workspace.textDocuments.push(d); emitters.open.fire(d); }
    return documents.get(key);
  },
};

const languages = {
  createDiagnosticCollection: () => ({
    set: (uri, diags) => recorded.diagnostics.set(uri.toString(), diags),
    delete: (uri) => recorded.diagnostics.delete(uri.toString()),
    dispose() {},
  }),
};
for (const kind of ['Hover', 'CompletionItem', 'CodeActions', 'CodeLens']) {
  languages[`register${kind}Provider`] = (selector, provider) => { recorded.providers.push({ kind, selector, provider }); return new Disposable(); };
}

const commands = {
  registerCommand: (id, fn) => { recorded.commands.set(id, fn); return new Disposable(() => recorded.commands.delete(id)); },
  executeCommand: async (id, ...args) => { const fn = recorded.commands.get(id); return fn ? fn(...args) : undefined; },
};

module.exports = {
  Disposable, EventEmitter, Uri, Position, Range, Diagnostic, DiagnosticSeverity, ThemeIcon, ThemeColor, MarkdownString,
  SnippetString, TreeItem, TreeItemCollapsibleState, CompletionItem, CompletionItemKind, CodeAction, CodeActionKind,
  WorkspaceEdit, CodeLens, Hover, RelativePattern,
  StatusBarAlignment: { Left: 1, Right: 2 }, ProgressLocation: { Notification: 15 }, ViewColumn: { Beside: -2, One: 1 },
  window, workspace, languages, commands, env: { openExternal: async () => true },
  // No JSON language service here: the extension's own completions and hovers cover everything.
  extensions: { getExtension: () => undefined },
  __recorded: recorded,
};
