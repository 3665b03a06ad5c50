/**
 * Export from the panel (issue 18): each chart's PNG and SVG buttons and the Sweep view's CSV
 * button. In VS Code the panel sends a typed 'saveFile' request (recorded here by the fake
 * host); a static report.html downloads the file. Checked: the PNG is a PNG of the canvas's
 * size, the SVG parses and holds one line per visible dataset with the points Chart.js drew
 * (plus band fills, axis titles, the Sweep view's error bars), the CSV is summary.json's sweep table.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PROTOCOL_VERSION } from '../../src/core/protocol';
import type { Summary } from '../../src/core/summary';
import { sweepPlots } from '../../src/core/sweep';
import { buildReportHtml } from '../../src/report/reportHtml';
import { RESULTS, ROOT, chart, charts, cspViolations, ensureBundle, launch, loadFixture, openPanel, post, settle } from './browser';

const FX = join(ROOT, 'test', 'fixtures', 'webview');
const sweepFx = loadFixture(join(FX, 'sweep'));
const written = JSON.parse(readFileSync(join(FX, 'sweep', 'summary.json'), 'utf8')) as Summary;
let browser: Browser;

before(async () => { ensureBundle(); browser = await launch(); });
after(async () => { await browser?.close(); });

interface Saved { name: string; mime: string; data: string }

/** One CSV line's cells (RFC 4180 quotes). */
function csvCells(line: string): string[] {
  return [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => (m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/""/g, '"') : m[1]!));
}

async function open(state?: unknown): Promise<{ page: Page; problems: { console: string[] } }> {
  const r = await openPanel(browser, 'vscode-light', state === undefined ? {} : { state });
  await post(r.page, { type: 'init', v: PROTOCOL_VERSION, runId: sweepFx.runId, config: sweepFx.config, events: sweepFx.events, live: false });
  await settle(r.page);
  return r;
}

/** Clicks a button and returns the saveFile request the panel posted (answered as VS Code would). */
async function clickSave(page: Page, id: string): Promise<Saved> {
  const before = await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted.length);
  await page.click(`#${id}`);
  await page.waitForFunction((n) => (window as unknown as { __posted: unknown[] }).__posted.length > n, before);
  const req = await page.evaluate(() => (window as unknown as { __posted: { type: string; action?: string; requestId?: number; args?: unknown }[] }).__posted.at(-1)!);
  assert.equal(req.type, 'request');
  assert.equal(req.action, 'saveFile');
  await post(page, { type: 'response', v: PROTOCOL_VERSION, requestId: req.requestId, ok: true, result: { path: '/tmp/x' } });
  return req.args as Saved;
}

/** What an SVG document holds, parsed by the browser. */
async function svgFacts(page: Page, svg: string): Promise<{ ok: boolean; lines: number[]; fills: number; bars: number; texts: string[]; width: number }> {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    const ds = [...doc.querySelectorAll('[data-role="datasets"] > path')];
    // No named helpers in here: tsx would wrap them in a function the page lacks.
    return {
      ok: root.nodeName === 'svg' && doc.querySelector('parsererror') === null,
      lines: ds.filter((p) => p.getAttribute('fill') === 'none' && !p.hasAttribute('data-role')).map((p) => ((p.getAttribute('d') ?? '').match(/[ML]/g) ?? []).length),
      fills: ds.filter((p) => p.getAttribute('stroke') === 'none').length,
      bars: doc.querySelectorAll('[data-role="error-bars"]').length,
      texts: [...doc.querySelectorAll('text')].map((t) => t.textContent ?? ''),
      width: Number(root.getAttribute('width')),
    };
  }, svg);
}

test('a curve chart as SVG: one line per arm with the points drawn, band fills, axes; as PNG: the canvas', async () => {
  const { page, problems } = await open();
  const acc = chart(await charts(page), 'curves.testAccuracy');
  const mains = acc.datasets.filter((d) => d.role === 'main' && !d.hidden);
  const svg = await clickSave(page, 'chart-testAccuracy-svg');
  assert.equal(svg.mime, 'image/svg+xml');
  assert.match(svg.name, /testAccuracy\.svg$/);
  const f = await svgFacts(page, svg.data);
  assert.ok(f.ok, 'the SVG parses');
  assert.deepEqual(f.lines, mains.map((d) => d.drawn), 'one line per visible arm, with as many points as the canvas drew');
  assert.equal(f.fills, acc.datasets.filter((d) => d.role === 'band' && !d.hidden).length / 2, 'one fill per band (low + high datasets)');
  assert.ok(f.texts.includes('epoch'), 'the x axis title');
  assert.ok(f.texts.some((t) => / %$/.test(t)), 'the y ticks as the canvas labels them');
  writeFileSync(join(RESULTS, 'export-testAccuracy.svg'), svg.data);

  const png = await clickSave(page, 'chart-testAccuracy-png');
  assert.equal(png.mime, 'image/png');
  const bytes = Buffer.from(png.data, 'base64');
  assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'a PNG signature');
  const size = await page.evaluate(() => { const c = document.querySelector('#chart-testAccuracy canvas') as HTMLCanvasElement; return [c.width, c.height]; });
  assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], size, 'the canvas\'s pixel size');
  writeFileSync(join(RESULTS, 'export-testAccuracy.png'), bytes);
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(problems.console, []);
  await page.close();
});

test('the sweep plot as SVG keeps its error bars; its CSV button saves summary.json\'s sweep table', async () => {
  const { page } = await open({ tab: 'sweep' });
  const svg = await clickSave(page, 'chart-sweep-sigma-svg');
  const f = await svgFacts(page, svg.data);
  assert.ok(f.ok);
  const series = chart(await charts(page), 'sweep.sigma').datasets.filter((d) => d.role === 'main').length;
  assert.equal(f.bars, series, 'one error-bar path per series');
  writeFileSync(join(RESULTS, 'export-sweep-sigma.svg'), svg.data);

  const csv = await clickSave(page, 'btn-sweep-csv');
  assert.equal(csv.mime, 'text/csv');
  const rows = csv.data.trim().split('\n').map(csvCells);
  assert.deepEqual(rows[0], ['parameter', 'series', 'value', 'arm', 'final_testAccuracy_mean', 'std', 'seeds']);
  const expected = sweepPlots(written, 'final', 'std').flatMap((p) => p.series.flatMap((s) => s.points.map((pt) => ({ p: p.param, arm: pt.armId, mean: pt.mean, err: pt.err }))));
  assert.equal(rows.length - 1, expected.length);
  expected.forEach((e, i) => {
    const r = rows[i + 1]!;
    assert.equal(r[0], e.p);
    assert.equal(r[3], e.arm);
    assert.ok(Math.abs(Number(r[4]) - e.mean) <= 1e-12, `${e.arm} mean`);
    assert.ok(Math.abs(Number(r[5]) - (e.err ?? NaN)) <= 1e-12, `${e.arm} std`);
  });
  await page.close();
});

test('the heatmap as SVG: one cell per unit and probe epoch, as the canvas drew them', async () => {
  const { page, problems } = await open({ tab: 'dead' });
  const info = await page.evaluate(() => (window as unknown as { __actlab: { heatmap(): { rows: number; cols: number } } }).__actlab.heatmap());
  assert.ok(info.rows > 0 && info.cols > 0);
  const svg = await clickSave(page, 'chart-heatmap-svg');
  assert.match(svg.name, /heatmap\.svg$/);
  const facts = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { ok: doc.querySelector('parsererror') === null, rects: doc.querySelectorAll('rect').length, texts: [...doc.querySelectorAll('text')].map((t) => t.textContent) };
  }, svg.data);
  assert.ok(facts.ok);
  // Cells, plus the background and the colour bar's strips (one per pixel row of the grid).
  assert.ok(facts.rects > info.rows * info.cols, `${facts.rects} rects for ${info.rows} × ${info.cols} cells`);
  assert.ok(facts.texts.includes('epoch (0 = at init)') && facts.texts.includes('unit'));
  const png = await clickSave(page, 'chart-heatmap-png');
  assert.deepEqual([...Buffer.from(png.data, 'base64').subarray(0, 4)], [137, 80, 78, 71]);
  writeFileSync(join(RESULTS, 'export-heatmap.svg'), svg.data);
  assert.deepEqual(problems.console, []);
  await page.close();
});

test('report.html (no host): the SVG and CSV buttons download files', async () => {
  const { script, style } = ensureBundle();
  const dir = mkdtempSync(join(tmpdir(), 'actlab-export-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, buildReportHtml({ ...sweepFx, script, style, nonce: 'ZXhwb3J0LXRlc3Q' }));
  const page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1280, height: 1000 } });
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-rendered]');
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('#chart-testLoss-svg')]);
  const text = readFileSync((await svg.path())!, 'utf8');
  assert.match(svg.suggestedFilename(), /testLoss\.svg$/);
  assert.ok((await svgFacts(page, text)).ok);
  await page.click('[data-tab="sweep"]');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#btn-sweep-csv')]);
  assert.match(readFileSync((await csv.path())!, 'utf8'), /^parameter,series,value,arm,/);
  await page.close();
});
