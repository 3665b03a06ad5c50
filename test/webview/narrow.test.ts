/**
 * The panel as users often see it: beside the editor (~480 px), and after a run was stopped.
 * Screenshots go to test-results/webview-narrow*.png and webview-cancelled.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PROTOCOL_VERSION, type ActlabEvent } from '../../src/core/protocol';
import { summarize } from '../../src/core/summary';
import { COLUMNS } from '../../webview/components/summaryTable';
import { RESULTS, chart, charts, cspViolations, ensureBundle, launch, loadFixture, openPanel, post, settle } from './browser';

const fx = loadFixture();
const v = PROTOCOL_VERSION;
let browser: Browser;

before(async () => {
  ensureBundle();
  browser = await launch();
});
after(async () => { await browser?.close(); });

interface CellFit { key: string; text: string; scroll: number; client: number; textRight: number; boxRight: number; overflow: string }

/** For every header and body cell of the summary: its text extent against its box. */
function measureCells(page: Page): Promise<CellFit[]> {
  return page.$$eval('#summary-table vscode-table-cell, #summary-table vscode-table-header-cell', (cells) => cells.map((c) => {
    const h = c as HTMLElement;
    const range = document.createRange();
    range.selectNodeContents(h);
    const text = range.getBoundingClientRect();
    const box = h.getBoundingClientRect();
    const pad = parseFloat(getComputedStyle(h).paddingRight) || 0;
    return {
      key: h.dataset.key ?? '', text: h.textContent ?? '', scroll: h.scrollWidth, client: h.clientWidth,
      textRight: text.right, boxRight: box.right - pad, overflow: getComputedStyle(h).textOverflow,
    };
  }));
}

test('narrow panel (480 px): no summary cell is cut; the table scrolls with the arm column kept; nothing else overflows', async () => {
  const { page, problems } = await openPanel(browser);
  await page.setViewportSize({ width: 480, height: 1100 });
  await post(page, { type: 'init', v, runId: fx.runId, config: fx.config, events: fx.events, live: false });
  await settle(page);

  const cells = await measureCells(page);
  assert.equal(cells.length, COLUMNS.length * (1 + fx.config.arms.length));
  for (const c of cells) {
    const where = `${c.key} "${c.text}"`;
    assert.ok(c.scroll <= c.client, `${where}: content ${c.scroll} px in a ${c.client} px cell`);
    assert.ok(c.textRight <= c.boxRight + 1, `${where}: text ends at ${c.textRight}, cell content box at ${c.boxRight}`);
    assert.notEqual(c.overflow, 'ellipsis', where);
  }
  // Numbers keep to one line.
  const lines = await page.$$eval('#summary-table vscode-table-cell:not([data-key="arm"])', (cs) => cs.map((c) => {
    const r = document.createRange();
    r.selectNodeContents(c);
    return r.getClientRects().length;
  }));
  for (const n of lines) assert.equal(n, 1, 'one line box per value');

  // The page itself never scrolls sideways: the table does, inside its box.
  const page0 = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
  assert.ok(page0.doc <= page0.view, `page is ${page0.doc} px wide in a ${page0.view} px viewport`);
  const box = await page.$eval('.table-scroll', (s) => ({ scroll: s.scrollWidth, client: s.clientWidth }));
  assert.ok(box.scroll > box.client, 'the table is wider than the panel and scrolls');
  for (const sel of ['.topbar', '.summary', '.toolbar', '#tabs']) {
    const r = await page.$eval(sel, (e) => e.getBoundingClientRect().right);
    assert.ok(r <= 480, `${sel} ends at ${r}`);
  }
  await page.screenshot({ path: join(RESULTS, 'webview-narrow.png'), fullPage: true });

  // Scrolled to the far right, the arm names are still there, at the left edge of the box.
  const before = await page.$eval('#summary-table vscode-table-cell[data-key="arm"]', (c) => c.getBoundingClientRect().left);
  await page.$eval('.table-scroll', (s) => { s.scrollLeft = s.scrollWidth; });
  const sticky = await page.evaluate(() => {
    const s = document.querySelector('.table-scroll')!;
    const arm = document.querySelector('#summary-table vscode-table-cell[data-key="arm"]')!;
    const last = document.querySelector('#summary-table vscode-table-cell[data-key="backend"]')!;
    return { scrolled: s.scrollLeft, armLeft: arm.getBoundingClientRect().left, lastRight: last.getBoundingClientRect().right, boxRight: s.getBoundingClientRect().right };
  });
  assert.ok(sticky.scrolled > 0);
  assert.equal(sticky.armLeft, before, 'arm column stays put');
  assert.ok(Math.abs(sticky.lastRight - sticky.boxRight) <= 1, 'the last column comes into view');
  await page.locator('.summary').screenshot({ path: join(RESULTS, 'webview-narrow-scrolled.png') });

  // The same across the usual side-panel widths.
  for (const width of [420, 600]) {
    await page.setViewportSize({ width, height: 1100 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))));
    for (const c of await measureCells(page)) {
      assert.ok(c.scroll <= c.client && c.textRight <= c.boxRight + 1, `${width} px: ${c.key} "${c.text}" is cut`);
    }
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${width} px: the page scrolls sideways`);
  }
  await page.setViewportSize({ width: 480, height: 1100 });

  // The other tabs at this width (dark theme, as most users have it).
  await page.evaluate(() => (window as unknown as { __setTheme(k: string): void }).__setTheme('vscode-dark'));
  await page.click('[data-tab="dead"]');
  await settle(page);
  await page.screenshot({ path: join(RESULTS, 'webview-narrow-dead.png'), fullPage: true });
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(problems.console, []);
  await page.close();
});

test('a stopped run keeps its finished epochs: partial values in italics, marked, never best', async () => {
  // The fixture cut after the N-ReLU arm's epoch 2 of 3, then stopped. Its accuracies are raised
  // above the finished arms' so that "never best" is tested against the best numbers.
  const cut = fx.events.findIndex((e) => e.type === 'epoch' && e.jobId === 'nrelu-cos#2' && e.epoch === 2) + 1;
  const events: ActlabEvent[] = fx.events.slice(0, cut).map((e) => (e.type === 'epoch' && e.jobId.startsWith('nrelu') && e.testAccuracy !== undefined
    ? { ...e, testAccuracy: e.testAccuracy + 0.05 } : e));
  for (const jobId of ['nrelu-cos#1', 'nrelu-cos#2']) events.push({ type: 'jobEnd', v, t: 1, jobId, status: 'cancelled', epoch: 2, step: 40, seconds: 1.5 });
  events.push({ type: 'runEnd', v, t: 2, runId: fx.runId, status: 'cancelled', seconds: 6 });

  const { page, problems } = await openPanel(browser);
  await post(page, { type: 'init', v, runId: fx.runId, config: fx.config, events, live: false });
  await settle(page);
  const rows = await page.$$eval('#summary-table vscode-table-row', (rs) => rs.map((r) => ({
    arm: (r as HTMLElement).dataset.armId ?? '',
    armText: r.querySelector('vscode-table-cell[data-key="arm"]')?.textContent ?? '',
    cells: Object.fromEntries([...r.querySelectorAll('vscode-table-cell')].map((c) => {
      const h = c as HTMLElement;
      return [h.dataset.key ?? '', { mean: h.dataset.mean, text: h.textContent ?? '', best: h.classList.contains('best'), partial: h.classList.contains('partial'),
        italic: getComputedStyle(h).fontStyle === 'italic', title: h.title }];
    })),
  })));
  const nrelu = rows.find((r) => r.arm === 'nrelu-cos')!;
  // The values are the last epoch events of the stopped jobs, read here from the events themselves.
  const lastAcc = ['nrelu-cos#1', 'nrelu-cos#2'].map((j) => events.filter((e) => e.type === 'epoch' && e.jobId === j).at(-1)!)
    .map((e) => (e.type === 'epoch' ? e.testAccuracy! : Number.NaN));
  const mean = (lastAcc[0]! + lastAcc[1]!) / 2;
  assert.ok(Math.abs(Number(nrelu.cells.finalTestAccuracy!.mean) - mean) < 1e-12, `partial final acc ${nrelu.cells.finalTestAccuracy!.mean} vs ${mean}`);
  const expected = summarize(fx.config, events, fx.runId).arms.find((a) => a.armId === 'nrelu-cos')!;
  for (const col of COLUMNS.filter((c) => c.stat)) {
    const s = col.stat!(expected);
    if (!s) continue;
    const cell = nrelu.cells[col.key]!;
    assert.equal(cell.text, col.format!(s), col.key);
    assert.ok(cell.partial && cell.italic, `${col.key} shown as partial`);
    assert.match(cell.title, /partial · 2\/3 epochs/);
    assert.equal(cell.best, false, `${col.key}: a stopped arm is never best`);
  }
  assert.match(nrelu.armText, /partial · 2\/3 epochs/);
  assert.doesNotMatch(nrelu.armText, /★/);
  // Best among the finished arms: ReLU (95.2 %) over |x| (94.4 %), though N-ReLU's partial is higher.
  const relu = rows.find((r) => r.arm === 'relu')!;
  assert.ok(Number(nrelu.cells.finalTestAccuracy!.mean) > Number(relu.cells.finalTestAccuracy!.mean));
  assert.equal(relu.cells.finalTestAccuracy!.best, true);
  assert.match(relu.armText, /★/);
  assert.equal(relu.cells.finalTestAccuracy!.partial, false);
  // Sorting by accuracy puts the finished arms first.
  await page.click('#summary-table vscode-table-header-cell[data-key="finalTestAccuracy"]');
  assert.deepEqual(await page.$$eval('#summary-table vscode-table-row', (rs) => rs.map((r) => (r as HTMLElement).dataset.armId)), ['relu', 'abs', 'nrelu-cos']);
  assert.match((await page.textContent('#status-line')) ?? '', /cancelled/);
  await page.screenshot({ path: join(RESULTS, 'webview-cancelled.png'), fullPage: true });
  assert.deepEqual(problems.console, []);
  await page.close();
});

test('dead-unit legend: one entry per arm and per layer; clicking one hides it in both charts', async () => {
  const { page, problems } = await openPanel(browser);
  await post(page, { type: 'init', v, runId: fx.runId, config: fx.config, events: fx.events, live: false });
  await settle(page);
  await page.click('[data-tab="dead"]');
  await settle(page);
  const layers = ['dense1', 'dense2'];
  const relu = fx.config.arms[0]!.label;
  const frame = (): Promise<unknown> => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  const hiddenMains = async (id: string): Promise<string[]> => chart(await charts(page), id).datasets.filter((d) => d.role === 'main' && d.hidden).map((d) => d.label);
  /** Polls (the charts resize when their tab shows, and a loaded machine is slow) until `want` holds. */
  async function until<T>(what: string, read: () => Promise<T>, want: (x: T) => boolean): Promise<T> {
    let x = await read();
    for (let i = 0; i < 100 && !want(x); i++) { await frame(); x = await read(); }
    assert.ok(want(x), `${what}: ${JSON.stringify(x)}`);
    return x;
  }
  /** Clicks a legend entry where it is drawn now, once the legend has held still for a frame. */
  async function clickLegend(text: string): Promise<void> {
    let prev = '';
    const item = await until(`legend entry ${text}`, async () => {
      const l = chart(await charts(page), 'dead.deadMean').legend.find((x) => x.text === text);
      const same = JSON.stringify(l) === prev;
      prev = JSON.stringify(l);
      return same ? l : undefined;
    }, (l) => l !== undefined && Number.isFinite(l.x));
    await page.mouse.click(item!.x, item!.y);
  }

  const legend = chart(await charts(page), 'dead.deadMean').legend;
  assert.deepEqual(legend.map((l) => l.text), [...fx.config.arms.map((a) => a.label), ...layers]);

  await clickLegend('dense2');
  for (const id of ['dead.deadMean', 'dead.deadGrad']) {
    await until(`${id} after hiding dense2`, () => hiddenMains(id), (h) => JSON.stringify(h) === JSON.stringify(fx.config.arms.map((a) => `${a.label} · dense2`)));
    assert.equal(chart(await charts(page), id).legend.find((l) => l.text === 'dense2')?.hidden, true);
  }
  await clickLegend(relu);
  await until('ReLU hidden too', () => hiddenMains('dead.deadGrad'), (h) => h.length === fx.config.arms.length + 1);
  await clickLegend('dense2');
  const onlyRelu = JSON.stringify(layers.map((l) => `${relu} · ${l}`));
  await until('dense2 shown again, ReLU still hidden', () => hiddenMains('dead.deadGrad'), (h) => JSON.stringify(h) === onlyRelu);
  // A rebuild (band change) keeps what the user hid.
  await page.evaluate(() => {
    const el = document.getElementById('sel-band') as HTMLElement & { value: string };
    el.value = 'std';
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await settle(page);
  assert.equal(JSON.stringify(await hiddenMains('dead.deadMean')), onlyRelu);
  assert.deepEqual(problems.console, []);
  await page.close();
});
