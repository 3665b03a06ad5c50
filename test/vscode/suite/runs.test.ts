/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../../../src/extension/ids';
import { api, pidAlive, scratch, waitFor } from './helpers';

suite('Activation Lab: runs (run manager, Runs view, panel, stop, export, trust)', () => {
  let dir: string;
  let tinyRunDir: string;
  suiteSetup(async () => {
    await api();
    dir = scratch();
  });
  suiteTeardown(async () => {
    await (await api()).runs.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  teardown(async () => {
    (await api()).setTrustOverride(undefined);
  });

  test('Run Experiment runs a tiny config to completion and writes the run folder', async () => {
    const lab = await api();
    const uri = vscode.Uri.file(path.join(dir, 'tiny.actlab.json'));
    const runDir = await vscode.commands.executeCommand<string | undefined>(COMMANDS.run, uri);
    assert.ok(runDir, 'the command returns the run folder');
    tinyRunDir = runDir;
    assert.equal(path.dirname(runDir), path.join(dir, '.actlab', 'runs'), 'default runs folder is next to the config');
    const run = lab.runs.get(runDir);
    assert.ok(run);
    const result = await run.done;
    assert.equal(result.status, 'completed');
    for (const f of ['config.json', 'events.jsonl', 'summary.json', 'run.json']) assert.ok(fs.existsSync(path.join(runDir, f)), `${f} written`);
    const types = fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
    assert.equal(types[0], 'runStart');
    assert.equal(types[types.length - 1], 'runEnd');
    assert.equal(types.filter((t) => t === 'jobEnd').length, 2);
    assert.deepEqual(run.activePids(), []);
  });

  test('the results panel opened beside and the Runs view lists the run with its jobs', async () => {
    const lab = await api();
    assert.ok(lab.panels.openTargets().some((t) => t.kind === 'run' && t.runDir === tinyRunDir));
    // The real webview (strict CSP, dist/webview.js) loaded, said 'ready' and got its init.
    const stats = await waitFor('the webview handshake', () => {
      const s = lab.panels.stats({ kind: 'run', runDir: tinyRunDir });
      return s && s.readies > 0 && s.inits > 0 ? s : undefined;
    });
    assert.equal(stats.rejected, 0, 'every webview message was well-formed');
    const runs = await lab.tree.getChildren();
    const node = runs.find((n) => n.kind === 'run' && n.info.runDir === tinyRunDir);
    assert.ok(node && node.kind === 'run');
    assert.equal(node.info.status, 'completed');
    const item = lab.tree.getTreeItem(node);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');
    const jobs = await lab.tree.getChildren(node);
    assert.equal(jobs.length, 2);
    assert.ok(jobs.every((j) => j.kind === 'job' && j.row.state === 'completed'));
  });

  test('Compare Runs with two runs selected in the Runs view opens one comparison panel in VS Code', async () => {
    const lab = await api();
    // A second finished run: the recorded webview fixture, copied beside the tiny run.
    const root = vscode.extensions.all.find((e) => (e.packageJSON as { name?: string }).name === 'activation-lab')?.extensionPath;
    assert.ok(root, 'the extension under test');
    const other = path.join(path.dirname(tinyRunDir), 'recorded-fixture');
    fs.cpSync(path.join(root, 'test', 'fixtures', 'webview', 'recorded'), other, { recursive: true });
    const runs = await lab.tree.getChildren();
    const tiny = runs.find((n) => n.kind === 'run' && n.info.runDir === tinyRunDir);
    assert.ok(tiny);
    const selected = [tiny, { kind: 'run', info: { ...(tiny.kind === 'run' ? tiny.info : {}), runDir: other } }];
    // A context-menu command on a multi-selection gets (clicked node, every selected node).
    const target = await vscode.commands.executeCommand<{ kind: string; runDirs: string[] }>(COMMANDS.compareRuns, tiny, selected);
    assert.deepEqual(target, { kind: 'compare', runDirs: [tinyRunDir, other] });
    assert.ok(lab.panels.openTargets().some((t) => t.kind === 'compare' && t.runDirs.length === 2));
    const stats = await waitFor('the comparison webview handshake', () => {
      const s = lab.panels.stats({ kind: 'compare', runDirs: [tinyRunDir, other] });
      return s && s.inits > 0 ? s : undefined;
    });
    assert.equal(stats.rejected, 0);
  });

  test('Export Run writes the metrics CSV, the steps CSV and summary.json', async () => {
    const target = path.join(dir, 'export', 'tiny.csv');
    const files = await vscode.commands.executeCommand<{ csv: string; steps: string; summary: string }>(COMMANDS.exportRun, tinyRunDir, target);
    assert.ok(files);
    const csv = fs.readFileSync(files.csv, 'utf8').trim().split('\n');
    assert.match(csv[0], /^jobId,armId,activationId,label,seed,.*epoch,step,trainLoss,testLoss/);
    assert.ok(csv.length >= 1 + 2 * 2, 'a row per job and epoch');
    assert.ok(fs.existsSync(files.steps));
    assert.equal((JSON.parse(fs.readFileSync(files.summary, 'utf8')) as { status: string }).status, 'completed');
  });

  test('Stop cancels a running run and leaves no trainer process', async () => {
    const lab = await api();
    const uri = vscode.Uri.file(path.join(dir, 'long.actlab.json'));
    const runDir = await vscode.commands.executeCommand<string | undefined>(COMMANDS.run, uri);
    assert.ok(runDir);
    const run = lab.runs.get(runDir);
    assert.ok(run);
    await waitFor('a job to start', () => run.events.some((e) => e.type === 'jobStart'));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.ok(lenses.some((l) => l.command?.title === '$(debug-stop) Stop'), 'the CodeLens offers Stop while running');
    const pids = run.activePids();
    assert.ok(pids.length > 0);
    // Live events reach the visible panel in batches (never one message per event).
    const stats = await waitFor('batched events', () => {
      const s = lab.panels.stats({ kind: 'run', runDir });
      return s && s.batches > 0 ? s : undefined;
    });
    assert.ok(stats.batches < stats.eventsPosted, `${stats.batches} batches for ${stats.eventsPosted} events`);
    assert.equal(await vscode.commands.executeCommand<boolean>(COMMANDS.stop, runDir), true);
    const result = await run.done;
    assert.equal(result.status, 'cancelled');
    await waitFor('trainers to exit', () => pids.every((p) => !pidAlive(p)), 10_000);
    const lock = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as { status: string };
    assert.equal(lock.status, 'cancelled');
  });

  test('stopAll (what deactivate does) ends every run of the window', async () => {
    const lab = await api();
    const uri = vscode.Uri.file(path.join(dir, 'long.actlab.json'));
    const runDir = await vscode.commands.executeCommand<string | undefined>(COMMANDS.run, uri);
    assert.ok(runDir);
    const run = lab.runs.get(runDir);
    assert.ok(run);
    await waitFor('a trainer', () => run.activePids().length > 0);
    const pids = run.activePids();
    await lab.runs.stopAll();
    assert.equal(lab.runs.active().length, 0);
    await waitFor('trainers to exit', () => pids.every((p) => !pidAlive(p)), 10_000);
  });

  test('a run started by the CLI appears in the Runs view and its panel follows it live', async () => {
    const lab = await api();
    const ext = vscode.extensions.all.find((e) => (e.packageJSON as { name?: unknown }).name === 'activation-lab');
    assert.ok(ext);
    const outDir = path.join(dir, '.actlab', 'runs');
    const changed = new Promise<void>((resolve) => { const d = lab.tree.onDidChangeTreeData(() => { d.dispose(); resolve(); }); });
    const cli = spawn(process.execPath, [path.join(ext.extensionPath, 'dist', 'cli.js'), 'run', path.join(dir, 'long.actlab.json'), '--out', outDir, '--quiet'], { stdio: 'ignore' });
    try {
      const info = await waitFor('the CLI run in the Runs view', async () => (await lab.tree.allRuns()).find((r) => r.status === 'running' && !lab.runs.get(r.runDir)));
      await waitFor('the folder watcher to refresh the view', () => changed.then(() => true), 15_000);
      assert.equal(await vscode.commands.executeCommand(COMMANDS.openResults, info.runDir), info.runDir);
      const stats = await waitFor('live events from the folder', () => {
        const st = lab.panels.stats({ kind: 'run', runDir: info.runDir });
        return st && st.inits > 0 && st.batches > 0 ? st : undefined;
      });
      assert.ok(stats.eventsPosted > 0);
      // A CLI run is stopped where it runs: the window only offers to stop its own runs.
      assert.equal(await vscode.commands.executeCommand<boolean>(COMMANDS.stop, info.runDir), false);
    } finally {
      cli.kill('SIGINT');
      await new Promise((r) => cli.once('exit', r));
    }
  });

  test('Preview opens a panel for the config without training', async () => {
    const lab = await api();
    const uri = vscode.Uri.file(path.join(dir, 'tiny.actlab.json'));
    const before = fs.readdirSync(path.join(dir, '.actlab', 'runs')).length;
    assert.equal(await vscode.commands.executeCommand(COMMANDS.preview, uri), uri.fsPath);
    assert.ok(lab.panels.openTargets().some((t) => t.kind === 'preview' && t.configPath === uri.fsPath));
    assert.equal(fs.readdirSync(path.join(dir, '.actlab', 'runs')).length, before, 'no run folder created');
  });

  test('New Experiment from Preset writes a valid config without the relative $schema', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(COMMANDS.newFromPreset, 'quickstart.actlab.json', dir);
    assert.ok(uri);
    const text = fs.readFileSync(uri.fsPath, 'utf8');
    assert.doesNotMatch(text, /\$schema/);
    await waitFor('validation', () => vscode.workspace.textDocuments.some((d) => d.uri.fsPath === uri.fsPath));
    await new Promise((r) => setTimeout(r, 600));
    assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'actlab' && d.severity === vscode.DiagnosticSeverity.Error), []);
  });

  test('an untrusted workspace refuses to run but still validates', async () => {
    const lab = await api();
    lab.setTrustOverride(false);
    const active = lab.runs.active().length;
    const uri = vscode.Uri.file(path.join(dir, 'tiny.actlab.json'));
    assert.equal(await vscode.commands.executeCommand(COMMANDS.run, uri), undefined);
    assert.equal(lab.runs.active().length, active, 'no run started');
    const broken = vscode.Uri.file(path.join(dir, 'broken.actlab.json'));
    await vscode.workspace.openTextDocument(broken);
    await waitFor('diagnostics while untrusted', () => vscode.languages.getDiagnostics(broken).some((d) => d.source === 'actlab' && d.code === 'unknown-activation'));
    // Past runs stay viewable.
    assert.equal(await vscode.commands.executeCommand(COMMANDS.openResults, tinyRunDir), tinyRunDir);
  });
});
