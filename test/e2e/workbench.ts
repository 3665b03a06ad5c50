// Driving the VS Code workbench (code-server in Chromium) the way a user does: palette, quick
// open, Problems panel, views. Selectors are the workbench's stable class names.
import type { Frame, Page } from 'playwright-core';
import { findFrame, poll, sleep } from './browser';

const quickInput = '.quick-input-widget';
const quickInputBox = `${quickInput} .quick-input-box input`;
const quickInputRow = `${quickInput} .monaco-list-row`;

export async function waitForWorkbench(page: Page, timeoutMs = 90_000): Promise<void> {
  await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
  // The status bar fills in once the extension host is up.
  await page.waitForSelector('.statusbar', { timeout: timeoutMs });
}

async function quickInputOpen(page: Page): Promise<boolean> {
  return page.locator(quickInput).isVisible().catch(() => false);
}

async function closeQuickInput(page: Page): Promise<void> {
  for (let i = 0; i < 3 && (await quickInputOpen(page)); i++) {
    await page.keyboard.press('Escape');
    await sleep(150);
  }
}

/** Text of the visible quick-input rows (labels as the user sees them). */
export async function quickInputRows(page: Page): Promise<string[]> {
  return page.$$eval(quickInputRow, (rows) => rows.map((r) => r.getAttribute('aria-label') ?? r.textContent ?? ''));
}

/**
 * Runs a command by its palette title. The palette snapshots its commands when it opens and an
 * extension's commands arrive a few seconds after the workbench, so reopen until the row shows.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 60_000): Promise<void> {
  await poll(`the palette row "${title}"`, timeoutMs, async () => {
    await closeQuickInput(page);
    await page.keyboard.press('F1');
    await page.waitForSelector(quickInputBox, { timeout: 5000 });
    await page.fill(quickInputBox, `>${title}`);
    const row = page.locator(quickInputRow).filter({ hasText: title }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 2500 });
    } catch {
      await closeQuickInput(page);
      return undefined;
    }
    // Only an exact title match counts ("Run Experiment" must not pick "Run Experiment Again").
    const labels = await quickInputRows(page);
    if (!labels.some((l) => l === title || l.startsWith(`${title},`) || l.startsWith(`${title} `))) {
      await closeQuickInput(page);
      return undefined;
    }
    const exact = page.locator(quickInputRow).filter({ hasText: new RegExp(`^${escapeRegExp(title)}`) }).first();
    await exact.click();
    return true;
  }, 1000);
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Picks an item in an open quick pick by (part of) its label. */
export async function pickQuickItem(page: Page, label: string | RegExp, timeoutMs = 15_000): Promise<void> {
  const row = page.locator(quickInputRow).filter({ hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await row.click();
}

/** Whether a quick pick is open now (e.g. a command asks which run or file). */
export async function isQuickPickOpen(page: Page): Promise<boolean> {
  return quickInputOpen(page);
}

/** Opens a workspace file through Quick Open and waits for its editor tab. */
export async function openFile(page: Page, relativePath: string, timeoutMs = 30_000): Promise<void> {
  const base = relativePath.split('/').pop() ?? relativePath;
  await poll(`an editor for ${relativePath}`, timeoutMs, async () => {
    await closeQuickInput(page);
    await page.keyboard.press('Control+P');
    await page.waitForSelector(quickInputBox, { timeout: 5000 });
    await page.fill(quickInputBox, relativePath);
    const row = page.locator(quickInputRow).filter({ hasText: base }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 5000 });
    } catch {
      await closeQuickInput(page);
      return undefined;
    }
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active').filter({ hasText: base }).first().waitFor({ timeout: 5000 });
    return true;
  }, 500);
}

/** Opens the Problems panel and returns its rows (file rows and marker rows). */
export async function problems(page: Page): Promise<string[]> {
  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)').catch(async () => {
    await page.keyboard.press('Control+Shift+M');
  });
  await page.waitForSelector('.markers-panel', { timeout: 15_000 });
  return page.$$eval('.markers-panel .monaco-list-row', (rows) => rows.map((r) => r.getAttribute('aria-label') ?? r.textContent ?? ''));
}

/** The webview frame that holds `selector` (see browser.findFrame). */
export async function webviewFrame(page: Page, selector: string, timeoutMs = 60_000): Promise<Frame> {
  return findFrame(page, selector, timeoutMs);
}

export async function notifications(page: Page): Promise<string[]> {
  return page.$$eval('.notifications-toasts .notification-list-item, .notification-toast', (els) =>
    els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
}

/** The CodeLens texts of the visible editors. */
export async function codeLenses(page: Page): Promise<string[]> {
  return page.$$eval('.monaco-editor .codelens-decoration', (els) => els.map((e) => e.textContent ?? ''));
}
