// Debian's Chromium driven by playwright-core: no browser download, works offline.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

export const resultsDir = join(process.cwd(), 'test-results');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--no-default-browser-check',
    ],
  });
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  // The workbench asks for the clipboard and similar; deny silently rather than block.
  page.on('dialog', (d) => void d.dismiss());
  return page;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `e2e-${name}.png`);
  try {
    await page.screenshot({ path });
  } catch (e) {
    console.error(`[e2e] screenshot ${name} failed: ${String(e)}`);
  }
  return path;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `probe` returns a value other than undefined, or throws after `timeoutMs`. */
export async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}

/**
 * Webview content lives in a nested iframe whose names are unreliable: the first frame other
 * than the main one that contains `selector` is the one.
 */
export async function findFrame(page: Page, selector: string, timeoutMs: number): Promise<Frame> {
  return poll(`a frame containing ${selector}`, timeoutMs, async () => {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame() || frame.isDetached()) continue;
      try {
        if (await frame.$(selector)) return frame;
      } catch {
        // The frame navigated away while we looked.
      }
    }
    return undefined;
  }, 500);
}
