// Offline smoke test of the built extension (dist/extension.js) in plain Node against the fake
// `vscode` module: activation, commands, diagnostics, providers, a real run of a tiny config
// (real scheduler and trainer processes), the panel protocol (ready → init → batched events,
// requests), the Runs tree, export, stop, untrusted refusal, panel restore and deactivate.
// Usage: npm run build && node test/vscode/fake/smoke.cjs
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Module = require('node:module');
const vscode = require('./vscode.cjs');

const root = path.resolve(__dirname, '..', '..', '..');
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? vscode : load.call(this, request, ...rest); };
const ext = require(path.join(root, 'dist', 'extension.js'));
const rec = vscode.__recorded;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitFor(what, probe, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) { const v = await probe(); if (v) return v; if (Date.now() > end) throw new Error(`timeout: ${what}`); await sleep(50); }
}
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const step = (s) => console.log(`ok - ${s}`);

async function main() {
  const state = new Map();
  const context = {
    subscriptions: [], extensionUri: vscode.Uri.file(root), extensionPath: root,
    workspaceState: { get: (k, d) => (state.has(k) ? state.get(k) : d), update: async (k, v) => { state.set(k, v); } },
  };
  const t0 = Date.now();
  const api = ext.activate(context);
  step(`activate() in ${Date.now() - t0} ms`);

  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  for (const c of pkg.contributes.commands) assert.ok(rec.commands.has(c.command), `${c.command} registered`);
  assert.equal(rec.commands.size, pkg.contributes.commands.length);
  step(`${rec.commands.size} commands registered = contributed`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actlab-smoke-'));
  fs.cpSync(path.join(root, 'test', 'vscode', 'fixtures'), dir, { recursive: true });
  const uri = (name) => vscode.Uri.file(path.join(dir, name));

  // Diagnostics, hover, quick fix, CodeLens
  const broken = await vscode.workspace.openTextDocument(uri('broken.actlab.json'));
  const diags = rec.diagnostics.get(broken.uri.toString());
  const unknown = diags.find((d) => d.code === 'unknown-activation');
  assert.ok(unknown);
  const at = broken.getText().indexOf('"nrelu2"');
  assert.deepEqual([unknown.range.start, unknown.range.end], [broken.positionAt(at), broken.positionAt(at + 8)]);
  assert.equal(unknown.severity, vscode.DiagnosticSeverity.Error);
  step(`diagnostic ${unknown.code} at ${unknown.range.start.line}:${unknown.range.start.character}-${unknown.range.end.character}`);
  const provider = (kind) => rec.providers.find((p) => p.kind === kind).provider;
  const fixes = provider('CodeActions').provideCodeActions(broken, unknown.range, { diagnostics: [unknown] });
  assert.ok(fixes.length > 0 && fixes[0].edit.edits.length > 0);
  step(`quick fixes: ${fixes.map((f) => `${f.title}${f.isPreferred ? ' (preferred)' : ''}`).join(' | ')}`);
  const tinyDoc = await vscode.workspace.openTextDocument(uri('tiny.actlab.json'));
  const hover = provider('Hover').provideHover(tinyDoc, tinyDoc.positionAt(tinyDoc.getText().indexOf('"nrelu", "sigma"') + 2));
  assert.match(hover.contents[0].value, /N-ReLU/);
  const items = provider('CompletionItem').provideCompletionItems(tinyDoc, tinyDoc.positionAt(tinyDoc.getText().indexOf('"relu" }') + 2));
  assert.ok(items.some((i) => i.label === 'smoothRelu'));
  const lenses = provider('CodeLens').provideCodeLenses(tinyDoc);
  assert.match(lenses[0].command.title, /^\$\(play\) Run 2 jobs/);
  step(`hover, ${items.length} completions, CodeLens "${lenses.map((l) => l.command.title).join(' · ')}"`);

  // A real run, with a webview that connects mid-run
  const runDir = await vscode.commands.executeCommand('activationLab.runExperiment', uri('tiny.actlab.json'));
  assert.ok(runDir && fs.existsSync(runDir));
  const run = api.runs.get(runDir);
  const panel = rec.panels.find((p) => p.title.startsWith('Results: tiny'));
  assert.ok(panel, 'panel opened');
  assert.equal(panel.showOptions.viewColumn, vscode.ViewColumn.Beside);
  assert.match(panel.webview.html, /Content-Security-Policy/);
  assert.match(panel.webview.html, /dist\/webview\.js/);
  assert.deepEqual(panel.webview.options.localResourceRoots.map((u) => path.relative(root, u.fsPath)), ['dist', 'media']);
  assert.equal(panel.webview.options.retainContextWhenHidden, false);
  await waitFor('a few events', () => run.events.length >= 3);
  assert.ok(rec.statusItems.some((s) => s.visible && /tiny: \d+\/2 jobs/.test(s.text)), 'status bar shows progress');
  panel.receive({ type: 'ready', v: 1 });
  const result = await run.done;
  assert.equal(result.status, 'completed');
  await sleep(250);
  const msgs = rec.messages.filter((m) => m.panel === panel).map((m) => m.message);
  const init = msgs.find((m) => m.type === 'init');
  const batches = msgs.filter((m) => m.type === 'events');
  const delivered = init.events.length + batches.reduce((n, b) => n + b.events.length, 0);
  assert.equal(delivered, run.events.length, 'init + batches deliver every event exactly once');
  assert.ok(batches.length < run.events.length - init.events.length || batches.length <= 1, 'batched, not per event');
  step(`run completed in ${((Date.now() - run.startedAt) / 1000).toFixed(1)} s: ${run.events.length} events; init had ${init.events.length}, then ${batches.length} batch(es)`);
  assert.ok(!rec.statusItems.some((s) => s.visible), 'status bar hidden after the run');
  assert.ok(rec.progress.some((p) => p.opts.cancellable), 'cancellable progress notification');

  panel.receive({ type: 'request', v: 1, requestId: 7, action: 'openReport' });
  panel.receive({ type: 'request', v: 1, requestId: 8, action: 'stop' });
  panel.receive({ type: 'request', v: 1, requestId: 9, action: 'launchMissiles' });
  // The panel's export answers with the files written (it once always answered none).
  const saveDialog = vscode.window.showSaveDialog;
  vscode.window.showSaveDialog = async () => vscode.Uri.file(path.join(dir, 'out', 'panel.csv'));
  panel.receive({ type: 'request', v: 1, requestId: 10, action: 'exportCsv' });
  await sleep(150);
  vscode.window.showSaveDialog = saveDialog;
  const responses = rec.messages.filter((m) => m.panel === panel && m.message.type === 'response').map((m) => m.message);
  assert.deepEqual(responses.map((r) => [r.requestId, r.ok]).sort((a, b) => a[0] - b[0]), [[7, true], [8, false], [10, true]]);
  const exported = responses.find((r) => r.requestId === 10).result.files;
  assert.equal(exported.length, 3, 'exportCsv answers with the CSV, steps CSV and summary it wrote');
  assert.ok(exported.every((f) => fs.existsSync(f)));
  assert.ok(rec.log.some((l) => /malformed message/.test(l)));
  step(`requests answered: ${responses.map((r) => `${r.requestId}:${r.ok}${r.error ? ` (${r.error})` : ''}`).join(', ')}; bad action rejected`);

  // Runs tree
  const nodes = await api.tree.getChildren();
  const node = nodes.find((n) => n.info.runDir === runDir);
  assert.equal(node.info.status, 'completed');
  const jobs = await api.tree.getChildren(node);
  assert.deepEqual(jobs.map((j) => j.row.state), ['completed', 'completed']);
  const item = api.tree.getTreeItem(node);
  step(`Runs view: "${item.label}" — ${item.description} [${item.iconPath.id}], jobs: ${jobs.map((j) => api.tree.getTreeItem(j).description).join(' | ')}`);

  // Export
  const files = await vscode.commands.executeCommand('activationLab.exportRun', runDir, path.join(dir, 'out', 'tiny.csv'));
  const csvLines = fs.readFileSync(files.csv, 'utf8').trim().split('\n');
  assert.ok(csvLines.length >= 5 && fs.existsSync(files.steps) && fs.existsSync(files.summary));
  step(`export: ${csvLines.length - 1} metric rows, ${csvLines[0].split(',').length} columns`);

  // Stop
  const longDir = await vscode.commands.executeCommand('activationLab.runExperiment', uri('long.actlab.json'));
  const longRun = api.runs.get(longDir);
  await waitFor('trainers', () => longRun.activePids().length > 0 && longRun.events.some((e) => e.type === 'epoch'));
  const pids = longRun.activePids();
  const stopLens = provider('CodeLens').provideCodeLenses(await vscode.workspace.openTextDocument(uri('long.actlab.json')));
  assert.equal(stopLens[0].command.title, '$(debug-stop) Stop');
  const tStop = Date.now();
  assert.equal(await vscode.commands.executeCommand('activationLab.stopRun', longDir), true);
  assert.equal((await longRun.done).status, 'cancelled');
  await waitFor('trainers gone', () => pids.every((p) => !alive(p)), 10000);
  step(`stop: cancelled in ${Date.now() - tStop} ms, ${pids.length} trainer(s) gone`);

  // Untrusted
  vscode.workspace.isTrusted = false;
  assert.equal(await vscode.commands.executeCommand('activationLab.runExperiment', uri('tiny.actlab.json')), undefined);
  assert.ok(rec.notices.some(([, m]) => /Restricted Mode/.test(m)));
  vscode.workspace.isTrusted = true;
  step('untrusted: run refused with the Restricted Mode message');

  // Preview
  await vscode.commands.executeCommand('activationLab.previewActivations', uri('tiny.actlab.json'));
  const preview = rec.panels.find((p) => p.title.startsWith('Preview:'));
  preview.receive({ type: 'ready', v: 1 });
  await sleep(20);
  const pinit = rec.messages.find((m) => m.panel === preview && m.message.type === 'init').message;
  assert.equal(pinit.events.length, 0);
  assert.equal(pinit.config.arms.length, 2);
  step('preview: init with the config\'s 2 arms and no events');

  // Restore after a reload: by state, and by the remembered title
  panel.dispose();
  const restored = vscode.window.createWebviewPanel('activationLab.results', 'whatever', {}, {});
  await rec.serializers[0].s.deserializeWebviewPanel(restored, { target: { kind: 'run', runDir } });
  assert.match(restored.webview.html, /webview\.js/);
  restored.dispose();
  const byTitle = vscode.window.createWebviewPanel('activationLab.results', panel.title, {}, {});
  await rec.serializers[0].s.deserializeWebviewPanel(byTitle, undefined);
  byTitle.receive({ type: 'ready', v: 1 });
  await sleep(20);
  assert.ok(rec.messages.some((m) => m.panel === byTitle && m.message.type === 'init' && m.message.events.length === run.events.length));
  step('serializer restores a panel from its state or its title');

  // Preset
  const created = await vscode.commands.executeCommand('activationLab.newFromPreset', 'quickstart.actlab.json', dir);
  assert.doesNotMatch(fs.readFileSync(created.fsPath, 'utf8'), /\$schema/);
  step(`preset → ${path.basename(created.fsPath)}`);

  // Deactivate with a run in flight
  const lastDir = await vscode.commands.executeCommand('activationLab.runExperiment', uri('long.actlab.json'));
  const last = api.runs.get(lastDir);
  await waitFor('trainers', () => last.activePids().length > 0);
  const lastPids = last.activePids();
  const tDeact = Date.now();
  await ext.deactivate();
  assert.ok(lastPids.every((p) => !alive(p)), 'no trainer outlives deactivate');
  step(`deactivate: ${lastPids.length} trainer(s) stopped in ${Date.now() - tDeact} ms`);
  for (const d of context.subscriptions) d.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().then(() => { console.log('smoke: all ok'); process.exit(0); }, (e) => { console.error('smoke FAILED:', e); process.exit(1); });
