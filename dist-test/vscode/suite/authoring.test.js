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

// test/vscode/suite/authoring.test.ts
var assert = __toESM(require("node:assert/strict"));
var path2 = __toESM(require("node:path"));
var vscode2 = __toESM(require("vscode"));

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
function hoverText(h) {
  return h.contents.map((c) => typeof c === "string" ? c : c instanceof vscode.MarkdownString ? c.value : c.value).join("\n");
}

// test/vscode/suite/authoring.test.ts
var ours = (uri) => vscode2.languages.getDiagnostics(uri).filter((d) => d.source === "actlab");
suite("Activation Lab: authoring (diagnostics, hovers, completion, quick fixes, CodeLens)", () => {
  let dir;
  suiteSetup(async () => {
    await api();
    dir = scratch();
  });
  test("a config opens as jsonc and a broken one gets an error at the exact range", async () => {
    const uri = vscode2.Uri.file(path2.join(dir, "broken.actlab.json"));
    const doc = await vscode2.workspace.openTextDocument(uri);
    await vscode2.window.showTextDocument(doc);
    assert.equal(doc.languageId, "jsonc");
    const diags = await waitFor("diagnostics", () => {
      const d2 = ours(uri);
      return d2.length ? d2 : void 0;
    });
    const d = diags.find((x) => x.code === "unknown-activation");
    assert.ok(d, `unknown-activation among ${diags.map((x) => String(x.code)).join(", ")}`);
    assert.equal(d.severity, vscode2.DiagnosticSeverity.Error);
    const start = doc.getText().indexOf('"nrelu2"');
    assert.ok(d.range.isEqual(new vscode2.Range(doc.positionAt(start), doc.positionAt(start + '"nrelu2"'.length))), `range ${JSON.stringify(d.range)}`);
  });
  test("the quick fix replaces the unknown type and the error goes away", async () => {
    const uri = vscode2.Uri.file(path2.join(dir, "broken.actlab.json"));
    const doc = await vscode2.workspace.openTextDocument(uri);
    const start = doc.getText().indexOf('"nrelu2"');
    const range = new vscode2.Range(doc.positionAt(start + 1), doc.positionAt(start + 1));
    const actions = await vscode2.commands.executeCommand("vscode.executeCodeActionProvider", uri, range, vscode2.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.edit && /nrelu/.test(a.title) && a.diagnostics?.some((x) => x.code === "unknown-activation"));
    assert.ok(fix?.edit, `a fix among: ${actions.map((a) => a.title).join(" | ")}`);
    assert.ok(await vscode2.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), /"type": "nrelu"/);
    await waitFor("the error to clear", () => !ours(uri).some((x) => x.code === "unknown-activation"), 5e3);
  });
  test("hover over an activation type shows its formula and paper", async () => {
    const uri = vscode2.Uri.file(path2.join(dir, "tiny.actlab.json"));
    const doc = await vscode2.workspace.openTextDocument(uri);
    const pos = doc.positionAt(doc.getText().indexOf('"nrelu", "sigma"') + 2);
    const hovers = await vscode2.commands.executeCommand("vscode.executeHoverProvider", uri, pos);
    const text = hovers.map(hoverText).join("\n---\n");
    assert.match(text, /N-ReLU/);
    assert.match(text, /arXiv 2511\.07559/);
    assert.match(text, /f\(x\) =/);
  });
  test("hover over a parameter gives the recommended range", async () => {
    const uri = vscode2.Uri.file(path2.join(dir, "tiny.actlab.json"));
    const doc = await vscode2.workspace.openTextDocument(uri);
    const pos = doc.positionAt(doc.getText().indexOf('"sigma"') + 2);
    const hovers = await vscode2.commands.executeCommand("vscode.executeHoverProvider", uri, pos);
    assert.match(hovers.map(hoverText).join("\n"), /Recommended: 0\.05–0\.1/);
  });
  test('completion inside "type" offers every activation with documentation', async () => {
    const uri = vscode2.Uri.file(path2.join(dir, "tiny.actlab.json"));
    const doc = await vscode2.workspace.openTextDocument(uri);
    const pos = doc.positionAt(doc.getText().indexOf('"relu" }') + 2);
    const list = await vscode2.commands.executeCommand("vscode.executeCompletionItemProvider", uri, pos);
    const labels = list.items.map((i) => typeof i.label === "string" ? i.label : i.label.label);
    for (const t of ["nrelu", "smoothRelu", "leakyRelu", "gelu"]) assert.ok(labels.includes(t), `${t} offered`);
    const nrelu = list.items.find((i) => i.label === "nrelu" && i.documentation);
    assert.ok(nrelu, "our item carries documentation");
  });
  test("completion of keys offers only the entry type's parameters", async () => {
    const uri = vscode2.Uri.file(path2.join(dir, "tiny.actlab.json"));
    const doc = await vscode2.workspace.openTextDocument(uri);
    const editor = await vscode2.window.showTextDocument(doc);
    const at = doc.getText().indexOf('"sigma": 0.05') + '"sigma": 0.05'.length;
    await editor.edit((b) => b.insert(doc.positionAt(at), ", "));
    const pos = doc.positionAt(at + 2);
    const list = await vscode2.commands.executeCommand("vscode.executeCompletionItemProvider", uri, pos);
    const ourProps = list.items.filter((i) => i.kind === vscode2.CompletionItemKind.Property && typeof i.detail === "string" && i.detail.includes("N-ReLU"));
    assert.deepEqual(ourProps.map((i) => i.label).sort(), ["inference"]);
    await vscode2.commands.executeCommand("undo");
    await doc.save();
  });
  test("the CodeLens offers to run the config with its job count", async () => {
    const uri = vscode2.Uri.file(path2.join(dir, "tiny.actlab.json"));
    await vscode2.window.showTextDocument(uri);
    const lenses = await vscode2.commands.executeCommand("vscode.executeCodeLensProvider", uri);
    const titles = lenses.map((l) => l.command?.title ?? "");
    assert.ok(titles.some((t) => t.startsWith("$(play) Run 2 jobs")), titles.join(" | "));
    assert.ok(titles.includes("$(graph-line) Preview activations"));
  });
});
//# sourceMappingURL=authoring.test.js.map
