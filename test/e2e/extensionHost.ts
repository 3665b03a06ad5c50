// Runs mocha extension-host suites inside code-server, the way VS Code's test-web does: the tests
// module is bundled to CommonJS, code-server opens a folder with a payload naming the extension
// under development and the tests module, and the workbench reports the exit code through
// `codeAutomationExit`.
//
//   node --import tsx test/e2e/extensionHost.ts <tests index.ts|index.js> [--folder <dir> | --copy <dir>] [--name <label>]
//
// Exit code: the suites' (0 pass, 1 fail), 2 when the harness itself failed.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { format, parseArgs } from 'node:util';
import type { ConsoleMessage } from 'playwright-core';
import { removeOnExit, startCodeServer, type CodeServer } from '../../scripts/e2e/codeServer';
import { launchBrowser, newPage, screenshot } from './browser';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');

function listEntries(indexTs: string): string[] {
  // Each suite file is its own entry so an index that globs `suite/*.test.js` next to itself
  // finds them; `packages: 'external'` keeps one shared copy of mocha and friends.
  const entries = [indexTs];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.test\.ts$/.test(name)) entries.push(p);
    }
  };
  walk(dirname(indexTs));
  return entries;
}

export async function bundleTests(indexTs: string, outdir: string): Promise<string> {
  rmSync(outdir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: listEntries(indexTs),
    outbase: dirname(indexTs),
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    packages: 'external',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return join(outdir, basename(indexTs).replace(/\.ts$/, '.js'));
}

interface ExitReport {
  code: number;
  logs: unknown;
}

export function payloadUrl(server: CodeServer, folder: string, extensionDir: string, testsJs: string): string {
  // The authority must be `remote`: the workbench resolves it to this code-server's own host.
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://remote${extensionDir}`],
    ['extensionTestsPath', `vscode-remote://remote${testsJs}`],
  ];
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

// Unreachable services (marketplace, open-vsx, github, telemetry) are expected offline.
const noise = /ENOTFOUND|authentication provider|open-vsx|marketplace|gallery|github\.com|telemetry|Failed to fetch|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED/i;

// The workbench's own INFO lines, interleaved with the suites' output.
const workbenchChatter = /^(Creating a socket|Resolv(ing|ed) connection token|\[reconnection-grace-time\]|Updating additional builtin|\[Service Worker\]|\[AgentHost|\[AccountPolicyGate\]|Started local extension host|\[perf\])/;

export async function formatConsole(msg: ConsoleMessage): Promise<{ level: string; text: string }> {
  const args = await Promise.all(msg.args().map((a) => a.jsonValue().catch(() => '[unserializable]') as Promise<unknown>));
  let level: string = msg.type();
  if (typeof args[0] === 'string' && args[0].startsWith('%c')) {
    level = args[0].slice(2).trim() || level;
    args.splice(0, 2); // the marker and its CSS
  }
  return { level, text: args.length ? format(...args) : msg.text() };
}

async function printConsole(msg: ConsoleMessage): Promise<void> {
  const { level, text } = await formatConsole(msg);
  if (process.env.E2E_VERBOSE) return void console.log(`[page ${level}] ${text}`);
  if (noise.test(text)) return;
  if (level === 'INFO' && !workbenchChatter.test(text)) console.log(text);
  else if (/ERR|error/.test(level)) console.error(`[page ${level}] ${text}`);
}

function printLogs(logs: unknown): void {
  // Newer workbenches pass the log files as [{ relativePath, contents }].
  if (!Array.isArray(logs)) return;
  for (const entry of logs) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { relativePath, contents } = entry as { relativePath?: unknown; contents?: unknown };
    if (typeof relativePath === 'string' && /exthost|extensionHost|remoteagent/i.test(relativePath) && typeof contents === 'string' && contents.trim()) {
      console.log(`--- ${relativePath} ---\n${contents.trim()}`);
    }
  }
}

export interface SuiteRun {
  indexTs: string;
  name: string;
  /** The folder to open; a fresh temp folder (removed afterwards) when omitted. */
  folder?: string;
  /** Copied into the temp folder first (e.g. examples/), so suites can edit files freely. */
  copyFrom?: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}

export async function runExtensionHostSuites(opts: SuiteRun): Promise<number> {
  const started = Date.now();
  // A built tests module (e.g. dist-test/vscode/index.js) runs as is; a .ts entry is bundled here.
  const testsJs = opts.indexTs.endsWith('.js') ? resolve(opts.indexTs) : await bundleTests(resolve(opts.indexTs), join(root, '.cache', 'e2e', 'suites', opts.name));
  const folder = opts.folder ?? mkdtempSync(join(tmpdir(), `actlab-e2e-${opts.name}-`));
  if (!opts.folder) removeOnExit(folder);
  if (!opts.folder && opts.copyFrom) cpSync(resolve(opts.copyFrom), folder, { recursive: true });
  // The suites find their scratch workspace through this variable (as under test-electron).
  const server = await startCodeServer({ env: { ACTLAB_TEST_WORKSPACE: folder, ...opts.env } });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    let report: (r: ExitReport) => void = () => undefined;
    const exited = new Promise<ExitReport>((r) => (report = r));
    await page.exposeFunction('codeAutomationExit', (code: unknown, logs: unknown) => {
      report({ code: typeof code === 'number' ? code : 1, logs });
    });
    // Mocha's reporter writes through console.log in the extension host; in extension-test mode
    // the workbench logs those lines to the page console as `%c INFO`, `color: …`, format, args.
    page.on('console', (msg) => void printConsole(msg));
    page.on('crash', () => report({ code: -1, logs: undefined }));
    await page.goto(payloadUrl(server, folder, root, testsJs));
    const timeoutMs = opts.timeoutMs ?? 180_000;
    const result = await Promise.race([
      exited,
      new Promise<ExitReport>((r) => setTimeout(() => r({ code: -1, logs: undefined }), timeoutMs)),
    ]);
    await screenshot(page, `${opts.name}-end`);
    if (result.code !== 0) printLogs(result.logs);
    if (result.code === -1) {
      console.error(`[e2e] ${opts.name}: no exit code (page crashed or ${timeoutMs} ms passed)\n--- code-server output ---\n${server.output()}`);
      return 2;
    }
    console.log(`[e2e] ${opts.name}: exit code ${result.code} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result.code;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    if (!opts.folder) rmSync(folder, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { folder: { type: 'string' }, copy: { type: 'string' }, name: { type: 'string' }, 'expect-exit': { type: 'string' } },
  });
  const indexTs = positionals[0];
  if (!indexTs || !existsSync(indexTs)) throw new Error(`usage: extensionHost.ts <tests index.ts|index.js> (got ${indexTs ?? 'nothing'})`);
  const name = values.name ?? basename(dirname(resolve(indexTs)));
  // --expect-exit lets the harness test its own failure path (a deliberately failing suite).
  const expected = values['expect-exit'] === undefined ? 0 : Number(values['expect-exit']);
  const env = expected !== 0 ? { ACTLAB_E2E_SELFTEST_FAIL: '1' } : undefined;
  const code = await runExtensionHostSuites({ indexTs, folder: values.folder, copyFrom: values.copy, name, env });
  if (code !== expected) {
    console.error(`[e2e] ${name}: expected exit code ${expected}, got ${code}`);
    process.exit(code === 0 ? 1 : code);
  }
  process.exit(0);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack : String(e));
    process.exit(2);
  });
}
