/**
 * Keyboard and high-contrast audit of the panel (issue 18), on the recorded σ sweep:
 * - every control (buttons, selects, checkboxes, inputs, sortable table headers, the arm list,
 *   the selected tab header) is a Tab stop, each with an accessible name;
 * - the focus is visible: each kind of control looks different focused and unfocused;
 * - each kind is operable from the keyboard (Enter / Space / arrows do what a click does);
 * - a high-contrast theme: a screenshot, and chart colours with ≥ 3:1 contrast to the background.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PROTOCOL_VERSION } from '../../src/core/protocol';
import { RESULTS, ROOT, ensureBundle, launch, loadFixture, openPanel, post, settle, type ThemeKind } from './browser';

const fx = loadFixture(join(ROOT, 'test', 'fixtures', 'webview', 'sweep'));
let browser: Browser;
before(async () => { ensureBundle(); browser = await launch(); });
after(async () => { await browser?.close(); });

async function open(theme: ThemeKind = 'vscode-light', state?: unknown): Promise<Page> {
  const { page } = await openPanel(browser, theme, state === undefined ? {} : { state });
  await post(page, { type: 'init', v: PROTOCOL_VERSION, runId: fx.runId, config: fx.config, events: fx.events, live: false });
  await settle(page);
  return page;
}

/** Controls a user operates, as found in the page (light DOM), with a key to name them by. */
const CONTROLS = 'vscode-button, vscode-single-select, vscode-checkbox, input, button, vscode-table-header-cell.sortable, vscode-tab-header[aria-selected="true"]';

interface Stop { key: string; name: string }

/** The element focused now, described (the light-DOM host when focus is inside a shadow root). */
async function focused(page: Page): Promise<Stop | undefined> {
  return page.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    if (!a || a === document.body) return undefined;
    const label = a.closest('label')?.querySelector('.control-label')?.textContent;
    const name = a.getAttribute('aria-label') ?? a.getAttribute('label') ?? label ?? a.textContent?.trim() ?? '';
    return { key: (window as unknown as { __key(e: Element): string }).__key(a), name: name.trim() };
  });
}

async function installKey(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __key(e: Element): string }).__key = (e: Element) => {
      const h = e as HTMLElement;
      const all = [...document.querySelectorAll(e.tagName)];
      return `${e.tagName.toLowerCase()}${h.id ? `#${h.id}` : ''}${h.dataset.tab ? `[tab=${h.dataset.tab}]` : ''}${h.dataset.key ? `[key=${h.dataset.key}]` : ''}@${all.indexOf(e)}`;
    };
  });
}

/** Tabs through the page from the top until the focus comes back round; the stops in order. */
async function tabStops(page: Page): Promise<Stop[]> {
  // A click on the page's top corner starts the keyboard walk at the top (a blur alone keeps
  // Chromium's starting point where the last click was).
  await page.evaluate(() => { (document.activeElement as HTMLElement | null)?.blur(); window.scrollTo(0, 0); });
  await page.mouse.click(2, 2);
  const stops: Stop[] = [];
  let empty = 0;
  for (let i = 0; i < 400 && empty < 3; i++) {
    await page.keyboard.press('Tab');
    const s = await focused(page);
    if (!s) { empty++; continue; }
    empty = 0;
    if (stops.some((x) => x.key === s.key)) break;
    stops.push(s);
  }
  return stops;
}

test('keyboard: every control is a Tab stop with a name, in every tab', async () => {
  const page = await open();
  await installKey(page);
  for (const tab of ['curves', 'sweep', 'sigma', 'dead', 'activations']) {
    if (tab !== 'curves') { await page.click(`[data-tab="${tab}"]`); await settle(page); }
    // document.querySelectorAll, not $$eval: Playwright's selectors pierce shadow roots (the
    // controls' own inner inputs are theirs to manage).
    const expected = await page.evaluate((sel) => [...document.querySelectorAll(sel)]
      .filter((e) => (e as HTMLElement).offsetParent !== null && !e.closest('[hidden]') && !(e as HTMLElement).hasAttribute('disabled'))
      .map((e) => (window as unknown as { __key(e: Element): string }).__key(e)), CONTROLS);
    const stops = await tabStops(page);
    const keys = new Set(stops.map((s) => s.key));
    const missed = expected.filter((k) => !keys.has(k));
    assert.deepEqual(missed, [], `${tab}: controls the keyboard cannot reach`);
    const unnamed = stops.filter((s) => !s.name).map((s) => s.key);
    assert.deepEqual(unnamed, [], `${tab}: tab stops without an accessible name`);
    assert.ok(stops.length >= expected.length, `${tab}: ${stops.length} stops`);
  }
  await page.close();
});

/** Pixels of an element's box (with room for an outline) focused and not. */
async function focusDiffers(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box, selector);
  const clip = { x: Math.max(0, box.x - 4), y: Math.max(0, box.y - 4), width: box.width + 8, height: box.height + 8 };
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.mouse.move(0, 0);
  const plain = await page.screenshot({ clip });
  // Reach it by keyboard (focus-visible): focus the element before it, then Tab.
  await page.locator(selector).first().focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const ring = await page.screenshot({ clip });
  return !plain.equals(ring);
}

test('keyboard: the focus is visible on each kind of control', async () => {
  const page = await open();
  for (const sel of ['#btn-export', '#sel-band', '#chk-seeds', '#smoothing', '#chart-testAccuracy-png', '#arm-search',
    '#arm-list .arm-toggle', 'vscode-table-header-cell.sortable']) {
    assert.ok(await focusDiffers(page, sel), `${sel}: no visible focus`);
  }
  await page.close();
});

test('keyboard: Enter, Space and arrows operate the controls', async () => {
  const page = await open();
  const view = (): Promise<Record<string, unknown>> => page.evaluate(() => (window as unknown as { __actlab: { view(): Record<string, unknown> } }).__actlab.view());
  // A chart's PNG button by Enter: the panel asks the host to save.
  await page.focus('#chart-testAccuracy-png');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => (window as unknown as { __posted: { action?: string }[] }).__posted.some((m) => m.action === 'saveFile'));
  // A checkbox by Space.
  await page.focus('#chk-seeds');
  await page.keyboard.press('Space');
  await settle(page);
  assert.equal((await view()).showSeeds, true);
  // A select: open with Enter, move down, choose with Enter.
  await page.focus('#sel-band');
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await settle(page);
  assert.equal((await view()).band, 'std');
  // A sortable column header by Enter.
  await page.focus('vscode-table-header-cell[data-key="finalTestAccuracy"]');
  await page.keyboard.press('Enter');
  await settle(page);
  assert.equal((await view()).sortKey, 'finalTestAccuracy');
  // An arm of the arm list by Space: hidden in every chart.
  await page.focus('#arm-list .arm-toggle');
  await page.keyboard.press('Space');
  await settle(page);
  assert.equal((await view()).hiddenArms instanceof Array && (await view() as { hiddenArms: string[] }).hiddenArms.length, 1);
  // Tabs: arrows move between headers, Enter selects (vscode-tabs' manual activation).
  await page.focus('vscode-tab-header[data-tab="curves"]');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await settle(page);
  assert.equal((await view()).tab, 'sweep');
  await page.close();
});

/** WCAG contrast ratios of the panel's colours to its background, computed in the page (which parses CSS colours). */
const CONTRASTS = `(() => {
  const cs = getComputedStyle(document.body);
  const x = document.createElement('canvas').getContext('2d');
  const rgb = (c) => {
    x.fillStyle = '#000'; x.fillStyle = c;
    const s = String(x.fillStyle);
    if (s.startsWith('#')) { const n = parseInt(s.slice(1, 7), 16); return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 1]; }
    return s.replace(/[^\\d.,]/g, '').split(',').map(Number);
  };
  const bgc = rgb(cs.getPropertyValue('--actlab-bg').trim());
  // A translucent colour is seen over the background.
  const over = (c) => { const [r, g, b, a = 1] = rgb(c); return [r, g, b].map((v, i) => v * a + bgc[i] * (1 - a)); };
  const lum = (c) => { const [r, g, b] = c.map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (c) => { const [a, b] = [lum(over(c)), lum(bgc)].sort((p, q) => q - p); return (a + 0.05) / (b + 0.05); };
  const out = {};
  for (const v of ['fg', 'muted', 'blue', 'orange', 'green', 'red', 'purple', 'yellow']) out[v] = Math.round(ratio(cs.getPropertyValue('--actlab-' + v).trim()) * 100) / 100;
  return out;
})()`;

test('high contrast: legible colours (≥ 4.5:1 text, ≥ 3:1 chart lines) and a screenshot', async () => {
  for (const tab of ['curves', 'sweep']) {
    const page = await open('vscode-high-contrast', { tab });
    const ratios = await page.evaluate(CONTRASTS) as Record<string, number>;
    assert.ok(ratios.fg! >= 4.5 && ratios.muted! >= 4.5, `text: ${JSON.stringify(ratios)}`);
    for (const [k, r] of Object.entries(ratios)) assert.ok(r >= 3, `${k}: ${r}:1`);
    await page.screenshot({ path: join(RESULTS, `webview-high-contrast-${tab}.png`), fullPage: true });
    await page.close();
  }
});
