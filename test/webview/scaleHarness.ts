/**
 * Timing of report.html at scale: a synthetic run (test/fixtures/webview/synthetic.ts) built into
 * a report as src/report/reportHtml.ts builds it, opened in headless Chromium; first render (from
 * navigation to the app's body[data-rendered] marker), the longest task (PerformanceObserver
 * 'longtask'), and each control's time (from the change to the next full draw).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildReportHtml } from '../../src/report/reportHtml';
import { makeSynthetic, type SyntheticSize } from '../fixtures/webview/synthetic';
import { ensureBundle, RESULTS, THEMES, type ThemeKind } from './browser';

export interface ScaleFigures { size: string; mb: number; firstRenderMs: number; longestTaskMs: number; controls: Record<string, number> }

export function writeReport(size: SyntheticSize): { file: string; bytes: number } {
  const { script, style } = ensureBundle();
  const run = makeSynthetic(size);
  const html = buildReportHtml({ ...run, script, style, nonce: 'c2NhbGUtdGVzdA' });
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `report-${size.arms}x${size.seeds}x${size.epochs}.html`);
  writeFileSync(file, html);
  return { file, bytes: Buffer.byteLength(html) };
}

/** Opens a report file with a long-task observer installed before any of its scripts run. */
export async function openReport(browser: Browser, file: string, theme: ThemeKind = 'vscode-light'): Promise<{ page: Page; firstRenderMs: number }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.addInitScript(`(() => {
    window.__longtasks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longtasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
    const themes = ${JSON.stringify(THEMES)};
    window.__setTheme = (k) => {
      for (const [n, v] of Object.entries(themes[k])) document.documentElement.style.setProperty(n, v);
      document.body.className = k;
      // As VS Code marks it: without it, report.html's own light/dark defaults (on body) win.
      document.body.dataset.vscodeThemeKind = k;
    };
    const obs = new MutationObserver(() => { if (document.body) { obs.disconnect(); window.__setTheme(${JSON.stringify(theme)}); } });
    obs.observe(document, { childList: true, subtree: true });
  })();`);
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-rendered]', { timeout: 120_000 });
  const firstRenderMs = await page.evaluate(() => performance.now());
  return { page, firstRenderMs };
}

export async function longestTask(page: Page): Promise<number> {
  // Entries are delivered asynchronously: give the observer a task to report the last ones.
  await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
  return page.evaluate(() => Math.max(0, ...(window as unknown as { __longtasks: number[] }).__longtasks));
}

/** Time from a control's change to the app's next full draw (body[data-rendered] again). */
export async function timeControl(page: Page, act: string): Promise<number> {
  return page.evaluate(async (code) => {
    delete document.body.dataset.rendered;
    const t0 = performance.now();
    new Function(code)();
    while (!document.body.dataset.rendered) await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  }, act);
}

/** Toggles a vscode-checkbox the way a click does (its change event), by id. */
export const toggleCheck = (id: string): string =>
  `const c = document.getElementById(${JSON.stringify(id)}); c.checked = !c.checked; c.dispatchEvent(new Event('change'));`;
export const selectValue = (id: string, value: string): string =>
  `const s = document.getElementById(${JSON.stringify(id)}); s.value = ${JSON.stringify(value)}; s.dispatchEvent(new Event('change'));`;
