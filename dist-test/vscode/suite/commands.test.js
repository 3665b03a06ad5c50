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

// test/vscode/suite/commands.test.ts
var assert = __toESM(require("node:assert/strict"));
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
var VIEW_RUNS = "activationLab.runs";

// test/vscode/suite/helpers.ts
var vscode = __toESM(require("vscode"));
async function api() {
  const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === "activation-lab");
  if (!ext) throw new Error("the Activation Lab extension is not loaded (extensionDevelopmentPath?)");
  return await ext.activate();
}

// test/vscode/suite/commands.test.ts
suite("Activation Lab: activation and commands", () => {
  test("activates and registers every command", async () => {
    await api();
    const all = new Set(await vscode2.commands.getCommands(true));
    for (const id of Object.values(COMMANDS)) assert.ok(all.has(id), `${id} is registered`);
  });
  test("contributes the Runs view and the jsonc language for *.actlab.json", async () => {
    const ext = vscode2.extensions.all.find((e) => e.packageJSON.name === "activation-lab");
    assert.ok(ext);
    const pkg = ext.packageJSON;
    assert.ok(Object.values(pkg.contributes.views).flat().some((v) => v.id === VIEW_RUNS));
    assert.ok(pkg.contributes.languages.some((l) => l.id === "jsonc" && l.filenamePatterns.includes("*.actlab.json")));
    await vscode2.commands.executeCommand(`${VIEW_RUNS}.focus`);
  });
});
//# sourceMappingURL=commands.test.js.map
