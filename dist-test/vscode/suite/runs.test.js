"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// test/vscode/suite/runs.test.ts
var assert = __toESM(require("node:assert/strict"));
var fs2 = __toESM(require("node:fs"));
var path2 = __toESM(require("node:path"));
var vscode2 = __toESM(require("vscode"));

// src/extension/ids.ts
var COMMANDS = {
  run: "activationLab.runExperiment",
  stop: "activationLab.stopRun",
  openResults: "activationLab.openResults",
  newFromPreset: "activationLab.newFromPreset",
  preview: "activationLab.previewActivations",
  exportRun: "activationLab.exportRun",
  refreshRuns: "activationLab.refreshRuns",
  showLog: "activationLab.showLog"
};

// test/vscode/suite/helpers.ts
var fs = __toESM(require("node:fs"));
var os = __toESM(require("node:os"));
var path = __toESM(require("node:path"));
var vscode = __toESM(require("vscode"));
async function api() {
  const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === "activation-lab");
  if (!ext) throw new Error("the Activation Lab extension is not loaded (extensionDevelopmentPath?)");
  return await ext.activate();
}
function scratch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actlab-suite-"));
  const candidates = [path.join(__dirname, "..", "fixtures"), path.join(__dirname, "..", "..", "..", "test", "vscode", "fixtures")];
  const src = candidates.find((c) => fs.existsSync(c));
  if (!src) throw new Error(`fixtures not found near ${__dirname}`);
  fs.cpSync(src, dir, { recursive: true });
  return dir;
}
async function waitFor(what, probe, timeoutMs = 3e4, everyMs = 100) {
  const end = Date.now() + timeoutMs;
  for (; ; ) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

// test/vscode/suite/runs.test.ts
suite("Activation Lab: runs (run manager, Runs view, panel, stop, export, trust)", () => {
  let dir;
  let tinyRunDir;
  suiteSetup(async () => {
    await api();
    dir = scratch();
  });
  teardown(async () => {
    (await api()).setTrustOverride(void 0);
  });
  test("Run Experiment runs a tiny config to completion and writes the run folder", async () => {
    const lab = await api();
    const uri = vscode2.Uri.file(path2.join(dir, "tiny.actlab.json"));
    const runDir = await vscode2.commands.executeCommand(COMMANDS.run, uri);
    assert.ok(runDir, "the command returns the run folder");
    tinyRunDir = runDir;
    assert.equal(path2.dirname(runDir), path2.join(dir, ".actlab", "runs"), "default runs folder is next to the config");
    const run = lab.runs.get(runDir);
    assert.ok(run);
    const result = await run.done;
    assert.equal(result.status, "completed");
    for (const f of ["config.json", "events.jsonl", "summary.json", "run.json"]) assert.ok(fs2.existsSync(path2.join(runDir, f)), `${f} written`);
    const types = fs2.readFileSync(path2.join(runDir, "events.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l).type);
    assert.equal(types[0], "runStart");
    assert.equal(types[types.length - 1], "runEnd");
    assert.equal(types.filter((t) => t === "jobEnd").length, 2);
    assert.deepEqual(run.activePids(), []);
  });
  test("the results panel opened beside and the Runs view lists the run with its jobs", async () => {
    const lab = await api();
    assert.ok(lab.panels.openTargets().some((t) => t.kind === "run" && t.runDir === tinyRunDir));
    const runs = await lab.tree.getChildren();
    const node = runs.find((n) => n.kind === "run" && n.info.runDir === tinyRunDir);
    assert.ok(node && node.kind === "run");
    assert.equal(node.info.status, "completed");
    const item = lab.tree.getTreeItem(node);
    assert.equal(item.iconPath.id, "pass");
    const jobs = await lab.tree.getChildren(node);
    assert.equal(jobs.length, 2);
    assert.ok(jobs.every((j) => j.kind === "job" && j.row.state === "completed"));
  });
  test("Export Run writes the metrics CSV, the steps CSV and summary.json", async () => {
    const target = path2.join(dir, "export", "tiny.csv");
    const files = await vscode2.commands.executeCommand(COMMANDS.exportRun, tinyRunDir, target);
    assert.ok(files);
    const csv = fs2.readFileSync(files.csv, "utf8").trim().split("\n");
    assert.match(csv[0], /^jobId,armId,activationId,label,seed,.*epoch,step,trainLoss,testLoss/);
    assert.ok(csv.length >= 1 + 2 * 2, "a row per job and epoch");
    assert.ok(fs2.existsSync(files.steps));
    assert.equal(JSON.parse(fs2.readFileSync(files.summary, "utf8")).status, "completed");
  });
  test("Stop cancels a running run and leaves no trainer process", async () => {
    const lab = await api();
    const uri = vscode2.Uri.file(path2.join(dir, "long.actlab.json"));
    const runDir = await vscode2.commands.executeCommand(COMMANDS.run, uri);
    assert.ok(runDir);
    const run = lab.runs.get(runDir);
    assert.ok(run);
    await waitFor("a job to start", () => run.events.some((e) => e.type === "jobStart"));
    const lenses = await vscode2.commands.executeCommand("vscode.executeCodeLensProvider", uri);
    assert.ok(lenses.some((l) => l.command?.title === "$(debug-stop) Stop"), "the CodeLens offers Stop while running");
    const pids = run.activePids();
    assert.ok(pids.length > 0);
    assert.equal(await vscode2.commands.executeCommand(COMMANDS.stop, runDir), true);
    const result = await run.done;
    assert.equal(result.status, "cancelled");
    await waitFor("trainers to exit", () => pids.every((p) => !pidAlive(p)), 1e4);
    const lock = JSON.parse(fs2.readFileSync(path2.join(runDir, "run.json"), "utf8"));
    assert.equal(lock.status, "cancelled");
  });
  test("stopAll (what deactivate does) ends every run of the window", async () => {
    const lab = await api();
    const uri = vscode2.Uri.file(path2.join(dir, "long.actlab.json"));
    const runDir = await vscode2.commands.executeCommand(COMMANDS.run, uri);
    assert.ok(runDir);
    const run = lab.runs.get(runDir);
    assert.ok(run);
    await waitFor("a trainer", () => run.activePids().length > 0);
    const pids = run.activePids();
    await lab.runs.stopAll();
    assert.equal(lab.runs.active().length, 0);
    await waitFor("trainers to exit", () => pids.every((p) => !pidAlive(p)), 1e4);
  });
  test("Preview opens a panel for the config without training", async () => {
    const lab = await api();
    const uri = vscode2.Uri.file(path2.join(dir, "tiny.actlab.json"));
    const before = fs2.readdirSync(path2.join(dir, ".actlab", "runs")).length;
    assert.equal(await vscode2.commands.executeCommand(COMMANDS.preview, uri), uri.fsPath);
    assert.ok(lab.panels.openTargets().some((t) => t.kind === "preview" && t.configPath === uri.fsPath));
    assert.equal(fs2.readdirSync(path2.join(dir, ".actlab", "runs")).length, before, "no run folder created");
  });
  test("New Experiment from Preset writes a valid config without the relative $schema", async () => {
    const uri = await vscode2.commands.executeCommand(COMMANDS.newFromPreset, "quickstart.actlab.json", dir);
    assert.ok(uri);
    const text = fs2.readFileSync(uri.fsPath, "utf8");
    assert.doesNotMatch(text, /\$schema/);
    await waitFor("validation", () => vscode2.workspace.textDocuments.some((d) => d.uri.fsPath === uri.fsPath));
    await new Promise((r) => setTimeout(r, 600));
    assert.deepEqual(vscode2.languages.getDiagnostics(uri).filter((d) => d.source === "actlab" && d.severity === vscode2.DiagnosticSeverity.Error), []);
  });
  test("an untrusted workspace refuses to run but still validates", async () => {
    const lab = await api();
    lab.setTrustOverride(false);
    const active = lab.runs.active().length;
    const uri = vscode2.Uri.file(path2.join(dir, "tiny.actlab.json"));
    assert.equal(await vscode2.commands.executeCommand(COMMANDS.run, uri), void 0);
    assert.equal(lab.runs.active().length, active, "no run started");
    const broken = vscode2.Uri.file(path2.join(dir, "broken.actlab.json"));
    await vscode2.workspace.openTextDocument(broken);
    assert.ok(vscode2.languages.getDiagnostics(broken).every((d) => d.source !== "actlab" || d.code !== void 0), "diagnostics still computed");
  });
});
//# sourceMappingURL=runs.test.js.map
