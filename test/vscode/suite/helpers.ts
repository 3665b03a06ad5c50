/** Shared by the extension-host suites: the extension's API, scratch copies of the fixtures, polling. */
/// <reference types="mocha" />
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ActivationLabApi } from '../../../src/extension/extension';

export async function api(): Promise<ActivationLabApi> {
  const ext = vscode.extensions.all.find((e) => (e.packageJSON as { name?: unknown } | undefined)?.name === 'activation-lab');
  if (!ext) throw new Error('the Activation Lab extension is not loaded (extensionDevelopmentPath?)');
  return (await ext.activate()) as ActivationLabApi;
}

/** A fresh folder with the fixture configs (the suites' runs are written there, never into the repo). */
export function scratch(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actlab-suite-'));
  // Bundled suites live in dist-test/vscode/suite; the fixtures are copied next to them.
  const candidates = [path.join(__dirname, '..', 'fixtures'), path.join(__dirname, '..', '..', '..', 'test', 'vscode', 'fixtures')];
  const src = candidates.find((c) => fs.existsSync(c));
  if (!src) throw new Error(`fixtures not found near ${__dirname}`);
  fs.cpSync(src, dir, { recursive: true });
  return dir;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// The runner's own liveness check, so the suites judge "no trainer left" exactly as the product does.
export { pidAlive } from '../../../src/runner/runs';

/** The plain text of a hover's contents. */
export function hoverText(h: vscode.Hover): string {
  return h.contents.map((c) => (typeof c === 'string' ? c : c instanceof vscode.MarkdownString ? c.value : c.value)).join('\n');
}
