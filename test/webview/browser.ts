/**
 * Shared set-up for the webview tests: Debian's chromium driven by playwright-core, the panel
 * page rendered by renderPanelHtml with the built bundle inlined, and a fake VS Code host
 * (acquireVsCodeApi that records what the webview posts; theme variables on <html> as VS Code
 * sets them).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ResolvedConfig } from '../../src/core/config';
import { decodeEventLine, type ActlabEvent } from '../../src/core/protocol';
import { renderPanelHtml } from '../../src/report/html';

export const ROOT = join(__dirname, '..', '..');
export const FIXTURE_RUN = join(ROOT, 'test', 'fixtures', 'webview', 'run');
export const RESULTS = join(ROOT, 'test-results');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function ensureBundle(): { script: string; style: string } {
  const script = join(ROOT, 'dist', 'webview.js');
  if (!existsSync(script)) {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  }
  return { script: readFileSync(script, 'utf8'), style: readFileSync(join(ROOT, 'media', 'panel.css'), 'utf8') };
}

export function loadFixture(dir = FIXTURE_RUN): { config: ResolvedConfig; events: ActlabEvent[]; runId: string } {
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as ResolvedConfig;
  const events: ActlabEvent[] = [];
  for (const line of readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const e = decodeEventLine(line);
    if (typeof e === 'string') throw new Error(`fixture: ${e}`);
    events.push(e);
  }
  const start = events.find((e) => e.type === 'runStart');
  return { config, events, runId: start?.type === 'runStart' ? start.runId : 'fixture' };
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** VS Code-like theme variables (a subset; enough to tell themes apart). */
export const THEMES = {
  'vscode-light': { '--vscode-editor-foreground': '#1f1f1f', '--vscode-editor-background': '#ffffff', '--vscode-foreground': '#3b3b3b',
    '--vscode-descriptionForeground': '#717171', '--vscode-charts-blue': '#1a85ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#388a34',
    '--vscode-charts-red': '#e51400', '--vscode-charts-purple': '#652d90', '--vscode-charts-yellow': '#bf8803', '--vscode-font-family': 'sans-serif',
    '--vscode-settings-dropdownBackground': '#ffffff', '--vscode-settings-dropdownForeground': '#3b3b3b', '--vscode-settings-dropdownBorder': '#cecece',
    '--vscode-settings-checkboxBackground': '#f8f8f8', '--vscode-settings-checkboxBorder': '#cecece', '--vscode-settings-checkboxForeground': '#3b3b3b',
    '--vscode-panelTitle-activeForeground': '#3b3b3b', '--vscode-panelTitle-inactiveForeground': '#7a7a7a', '--vscode-panelTitle-activeBorder': '#005fb8',
    '--vscode-panel-background': '#ffffff', '--vscode-settings-headerBorder': '#e5e5e5', '--vscode-editorGroup-border': '#e5e5e5',
    '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b', '--vscode-textLink-foreground': '#005fb8' },
  'vscode-dark': { '--vscode-editor-foreground': '#cccccc', '--vscode-editor-background': '#1f1f1f', '--vscode-foreground': '#cccccc',
    '--vscode-descriptionForeground': '#9d9d9d', '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#89d185',
    '--vscode-charts-red': '#f14c4c', '--vscode-charts-purple': '#b180d7', '--vscode-charts-yellow': '#cca700', '--vscode-font-family': 'sans-serif',
    '--vscode-settings-dropdownBackground': '#313131', '--vscode-settings-dropdownForeground': '#cccccc', '--vscode-settings-dropdownBorder': '#3c3c3c',
    '--vscode-settings-checkboxBackground': '#313131', '--vscode-settings-checkboxBorder': '#3c3c3c', '--vscode-settings-checkboxForeground': '#cccccc',
    '--vscode-panelTitle-activeForeground': '#e7e7e7', '--vscode-panelTitle-inactiveForeground': '#9d9d9d', '--vscode-panelTitle-activeBorder': '#0078d4',
    '--vscode-panel-background': '#1f1f1f', '--vscode-settings-headerBorder': '#2b2b2b', '--vscode-editorGroup-border': '#333333',
    '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc', '--vscode-textLink-foreground': '#4daafc' },
  // VS Code's "Dark High Contrast" defaults (its colour registry's hcDark values).
  'vscode-high-contrast': { '--vscode-editor-foreground': '#ffffff', '--vscode-editor-background': '#000000', '--vscode-foreground': '#ffffff',
    '--vscode-descriptionForeground': 'rgba(255, 255, 255, 0.7)', '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#89d185',
    '--vscode-charts-red': '#f14c4c', '--vscode-charts-purple': '#b180d7', '--vscode-charts-yellow': '#cca700', '--vscode-font-family': 'sans-serif',
    '--vscode-settings-dropdownBackground': '#000000', '--vscode-settings-dropdownForeground': '#ffffff', '--vscode-settings-dropdownBorder': '#6fc3df',
    '--vscode-settings-checkboxBackground': '#000000', '--vscode-settings-checkboxBorder': '#6fc3df', '--vscode-settings-checkboxForeground': '#ffffff',
    '--vscode-panelTitle-activeForeground': '#ffffff', '--vscode-panelTitle-inactiveForeground': '#ffffff', '--vscode-panelTitle-activeBorder': '#6fc3df',
    '--vscode-panel-background': '#000000', '--vscode-settings-headerBorder': '#6fc3df', '--vscode-editorGroup-border': '#6fc3df',
    '--vscode-button-secondaryBackground': '#000000', '--vscode-button-secondaryForeground': '#ffffff', '--vscode-textLink-foreground': '#21a6ff',
    '--vscode-contrastBorder': '#6fc3df', '--vscode-contrastActiveBorder': '#f38518', '--vscode-focusBorder': '#f38518', '--vscode-button-border': '#6fc3df' },
} as const;
export type ThemeKind = keyof typeof THEMES;

export interface Problems { console: string[]; csp: string[] }

/** Collects console errors/warnings and CSP violations of a page. */
export function watchProblems(page: Page): Problems {
  const p: Problems = { console: [], csp: [] };
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') p.console.push(m.text()); });
  page.on('pageerror', (e) => p.console.push(`pageerror: ${e.message}`));
  return p;
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

let panelPages = 0;
let panelDir: string | undefined;

/** This process's folder of page files, removed when it exits. */
function pageDir(): string {
  if (!panelDir) {
    const dir = mkdtempSync(join(tmpdir(), 'actlab-webview-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    panelDir = dir;
  }
  return panelDir;
}

export interface PanelOptions {
  /** Another build of the panel bundle (default: dist/webview.js). */
  script?: string;
  /** What VS Code's getState returns on load: a view state saved earlier. */
  state?: unknown;
}

/** Opens the panel page as VS Code would show it, with a fake acquireVsCodeApi. */
export async function openPanel(browser: Browser, theme: ThemeKind = 'vscode-light', opts: PanelOptions = {}): Promise<{ page: Page; problems: Problems }> {
  const bundle = ensureBundle();
  const script = opts.script ?? bundle.script;
  const style = bundle.style;
  const html = renderPanelHtml({ nonce: 'dGVzdC1ub25jZQ', inlineScript: script, inlineStyle: style, cspSource: 'https://*.vscode-cdn.net' });
  mkdirSync(RESULTS, { recursive: true });
  // One file per page: test files run two at a time, and a shared file could be rewritten while
  // another page loads it (once a page read it half-written and never drew).
  const file = join(pageDir(), `panel-${++panelPages}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const problems = watchProblems(page);
  // A string, not a function: tsx would wrap named functions in a helper the page lacks.
  await page.addInitScript(`(() => {
    const themes = ${JSON.stringify(THEMES)};
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ': ' + e.blockedURI));
    window.__posted = [];
    let state = ${JSON.stringify(opts.state ?? null)} ?? undefined;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__posted.push(m),
      getState: () => state,
      setState: (s) => { state = s; },
    });
    window.__setTheme = (k) => {
      for (const [name, value] of Object.entries(themes[k])) document.documentElement.style.setProperty(name, value);
      document.body.className = k;
      document.body.dataset.vscodeThemeKind = k;
    };
    // VS Code themes <body> before any webview script runs: apply as soon as <body> exists.
    const obs = new MutationObserver(() => { if (document.body) { obs.disconnect(); window.__setTheme(${JSON.stringify(theme)}); } });
    obs.observe(document, { childList: true, subtree: true });
  })();`);
  await page.goto(`file://${file}`);
  // As the extension does: send nothing before the page says it listens.
  await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type?: string }> }).__posted.some((m) => m.type === 'ready'));
  return { page, problems };
}

/** Posts a host message into the page as the extension would. */
export async function post(page: Page, message: unknown): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), JSON.parse(JSON.stringify(message)) as unknown);
}

/** Waits until queued events are applied and drawn. */
/** Sets a control's value and fires its change event, as a user's choice would. */
export async function selectValue(page: Page, id: string, value: string): Promise<void> {
  await page.evaluate(([i, val]) => {
    const el = document.getElementById(i!) as HTMLElement & { value: string };
    el.value = val!;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, [id, value]);
}

export async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const a = (window as unknown as { __actlab?: { pending(): number; frames(): number } }).__actlab;
    return a !== undefined && a.frames() > 0 && a.pending() === 0;
  });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
}

export interface DatasetSnap { label: string; role: string; points: number; drawn: number; color: string; hidden: boolean; ys?: (number | null)[] }
export interface LegendSnap { text: string; hidden: boolean; x: number; y: number }
export interface ChartSnap { id: string; visible: boolean; datasets: DatasetSnap[]; legend: LegendSnap[]; yRange?: [number, number] }

export async function charts(page: Page, withValues = false): Promise<ChartSnap[]> {
  return page.evaluate((v) => (window as unknown as { __actlab: { charts(v: boolean): unknown } }).__actlab.charts(v) as ChartSnap[], withValues);
}

export function chart(snaps: ChartSnap[], id: string): ChartSnap {
  const c = snaps.find((s) => s.id === id);
  if (!c) throw new Error(`no chart ${id}; have ${snaps.map((s) => s.id).join(', ')}`);
  return c;
}
