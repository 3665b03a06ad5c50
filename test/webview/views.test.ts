/**
 * The view registry (webview/views): every registered view gets its tab and title and draws,
 * on a recorded run and on a live-streamed one; a view state saved before the registry still
 * restores; the curves follow the metrics table; and a test-only view added to the registry by
 * one import and one list entry works with no other change (docs/recipes/chart.md).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { CURVE_METRICS } from '../../src/core/metrics';
import { PROTOCOL_VERSION } from '../../src/core/protocol';
import { curveAxis, curveMetrics } from '../../webview/charts/curves';
import { createModel } from '../../webview/state/runModel';
import { TABS, restoreView } from '../../webview/state/viewState';
import { VIEWS } from '../../webview/views';
import { RESULTS, ROOT, chart, charts, cspViolations, ensureBundle, launch, loadFixture, openPanel, post, selectValue, settle, type Problems } from './browser';

const fx = loadFixture(join(ROOT, 'test', 'fixtures', 'webview', 'recorded'));
const v = PROTOCOL_VERSION;
const epochs = fx.config.jobs[0]!.training.epochs;
const init = (live: boolean, events = fx.events): unknown => ({ type: 'init', v, runId: fx.runId, config: fx.config, events, live });

/** View-state fields added after that (the arm list's): an older state gets their defaults, all else as saved. */
const ADDED_SINCE = { hiddenArms: [], highlightArm: '', armFilter: '' };

/** A full view state as the panel saved it before views were a registry (tabs were a fixed list). */
const SAVED_BEFORE_REGISTRY = {
  tab: 'dead', xAxis: 'step', band: 'std', logScale: true, showSeeds: true, smoothing: 0.5,
  heatmapArm: 2, heatmapSeed: 2, heatmapLayer: 'dense2', sortKey: 'finalTestAccuracy', sortDir: 1,
} as const;

let browser: Browser;
before(async () => {
  ensureBundle();
  browser = await launch();
});
after(async () => { await browser?.close(); });

interface Hook { errors(): string[]; chartsCreated(): number; inits(): number; views(): { tab: string; title: string }[]; view(): Record<string, unknown> }
const hook = <T>(page: Page, read: (h: Hook) => T): Promise<T> =>
  page.evaluate(`(${read.toString()})(window.__actlab)`) as Promise<T>;

async function noProblems(page: Page, problems: Problems): Promise<void> {
  assert.deepEqual(await hook(page, (h) => h.errors()), [], 'errors reported by the panel');
  assert.deepEqual(await cspViolations(page), [], 'CSP violations');
  assert.deepEqual(problems.console, [], 'console errors or warnings');
}

/** The tab headers as drawn: id and text, in order. */
const headers = (page: Page): Promise<{ tab: string; title: string }[]> =>
  page.$$eval('#tabs [data-tab]', (hs) => hs.map((h) => ({ tab: (h as HTMLElement).dataset.tab ?? '', title: h.textContent ?? '' })));

/** Selects a tab and checks its panel shows, has content, and every canvas in it has a size. */
async function showsTab(page: Page, tab: string): Promise<void> {
  await page.click(`[data-tab="${tab}"]`);
  await settle(page);
  const p = await page.$eval(`[data-panel="${tab}"]`, (el) => ({
    height: el.getBoundingClientRect().height,
    children: el.childElementCount,
    canvases: [...el.querySelectorAll('canvas')].map((c) => [c.clientWidth, c.clientHeight]),
  }));
  assert.ok(p.children > 0 && p.height > 0, `${tab}: panel shows content (${JSON.stringify(p)})`);
  for (const [w, h] of p.canvases) assert.ok(w! > 0 && h! > 0, `${tab}: a canvas of ${w}×${h}`);
}

test('registry: unique tab ids, titles; TABS in registry order; a state saved before the registry restores', () => {
  const tabs = VIEWS.map((x) => x.tab);
  assert.equal(new Set(tabs).size, tabs.length, 'tab ids are unique');
  for (const x of VIEWS) assert.ok(x.title.trim().length > 0, `${x.tab} has a title`);
  assert.deepEqual(TABS, tabs);
  // Saved states hold these ids: a view keeps its id for good.
  for (const old of ['curves', 'sigma', 'dead', 'activations']) assert.ok(TABS.includes(old), `tab '${old}' still exists`);
  assert.deepEqual(restoreView(SAVED_BEFORE_REGISTRY), { ...SAVED_BEFORE_REGISTRY, ...ADDED_SINCE });
  assert.equal(restoreView({ ...SAVED_BEFORE_REGISTRY, tab: 'gone' }).tab, TABS[0], 'an unknown tab falls back to the first');
});

test('curves: which charts, titles and axes come from the metrics table', () => {
  const keys = (c: typeof fx.config): string[] => curveMetrics(createModel('r', c, false)).map((d) => d.key);
  const unmasked = CURVE_METRICS.filter((d) => d.needs !== 'inputMasks');
  assert.ok(unmasked.length < CURVE_METRICS.length, 'the table has curves that need input masks');
  assert.deepEqual(keys(fx.config), unmasked.map((d) => d.key), 'classification without masks: every curve metric but the clean ones');
  const masked = structuredClone(fx.config);
  masked.jobs[0]!.data.kappa = 0.2;
  assert.deepEqual(keys(masked), CURVE_METRICS.map((d) => d.key), 'with masks on any job: every curve metric');
  const regression = structuredClone(fx.config);
  for (const j of regression.jobs) j.training.loss = 'mse';
  assert.deepEqual(keys(regression), unmasked.filter((d) => d.kind !== 'accuracy').map((d) => d.key), 'regression: no accuracy');
  for (const d of CURVE_METRICS) {
    for (const logScale of [false, true]) {
      const a = curveAxis(d, logScale);
      assert.equal(a.logY, d.kind === 'loss' && logScale, `${d.key}: log scale only for losses`);
      assert.equal(a.yPercent, d.kind === 'accuracy' || d.kind === 'fraction', `${d.key}: fractions as percentages`);
    }
  }
});

test('every registered view has its tab and title and draws the recorded run without errors', async () => {
  const { page, problems } = await openPanel(browser);
  await post(page, init(false));
  await settle(page);
  const expected = VIEWS.map(({ tab, title }) => ({ tab, title }));
  assert.deepEqual(await headers(page), expected);
  assert.deepEqual(await hook(page, (h) => h.views()), expected);
  for (const x of VIEWS) await showsTab(page, x.tab);
  // Chart titles are the metrics table's.
  for (const d of CURVE_METRICS.filter((m) => m.needs !== 'inputMasks')) {
    assert.equal(await page.textContent(`#chart-${d.key} .card-title`), d.title);
    assert.equal(chart(await charts(page), `curves.${d.key}`).datasets.filter((s) => s.role === 'main').length, fx.config.arms.length);
  }
  await noProblems(page, problems);
  await page.close();
});

test('every registered view keeps up with a live-streamed run, charts created once', async () => {
  const { page, problems } = await openPanel(browser);
  const cut = Math.floor(fx.events.length * 0.3);
  await post(page, init(true, fx.events.slice(0, cut)));
  await settle(page);
  const created = await hook(page, (h) => h.chartsCreated());
  const rest = fx.events.slice(cut);
  let batch = 0;
  for (let i = 0; i < rest.length; i += 25, batch++) {
    await post(page, { type: 'events', v, runId: fx.runId, events: rest.slice(i, i + 25) });
    // Switch tabs while data streams in: hidden and shown views both keep up.
    if (batch % 4 === 0) await page.click(`[data-tab="${VIEWS[(batch / 4) % VIEWS.length]!.tab}"]`);
  }
  await settle(page);
  for (const x of VIEWS) await showsTab(page, x.tab);
  assert.equal(await hook(page, (h) => h.chartsCreated()), created, 'no chart was recreated');
  assert.equal(await hook(page, (h) => h.inits()), 1);
  for (const d of chart(await charts(page), 'curves.testAccuracy').datasets.filter((s) => s.role === 'main')) assert.equal(d.points, epochs);
  assert.match((await page.textContent('#status-line')) ?? '', /run completed/);
  await noProblems(page, problems);
  await page.close();
});

test('a view state saved before the registry restores in the panel', async () => {
  const { page, problems } = await openPanel(browser, 'vscode-light', { state: SAVED_BEFORE_REGISTRY });
  await post(page, init(false));
  await settle(page);
  assert.deepEqual(await hook(page, (h) => h.view()), { ...SAVED_BEFORE_REGISTRY, ...ADDED_SINCE });
  assert.equal(await page.isVisible('[data-panel="dead"]'), true, 'the saved tab is selected');
  assert.equal(await page.isVisible('[data-panel="curves"]'), false);
  assert.equal(await page.$eval('#sel-xaxis', (e) => (e as HTMLElement & { value: string }).value), 'step');
  const loss = chart(await charts(page), 'curves.trainLoss');
  assert.equal(loss.datasets.filter((d) => d.role === 'seed').length, fx.config.jobs.length, 'seeds shown');
  assert.equal(loss.datasets.filter((d) => d.role === 'raw').length, fx.config.arms.length, 'smoothed over the raw mean');
  const heat = await page.evaluate(() => (window as unknown as { __actlab: { heatmap(): { arm: number; seed: number; layer: string } } }).__actlab.heatmap());
  assert.deepEqual([heat.arm, heat.seed, heat.layer], [2, 2, 'dense2']);
  await noProblems(page, problems);
  await page.close();
});

/** The panel bundle with the test-only view registered as a contributor would: in index.ts. */
async function bundleWithExtraView(): Promise<string> {
  const index = join(ROOT, 'webview', 'views', 'index.ts');
  const source = readFileSync(index, 'utf8');
  assert.equal(source.split('\n];').length, 2, 'index.ts ends its list once');
  const edited = `import { extra } from '../../test/webview/extraView';\n${source.replace('\n];', '\n  extra,\n];')}`;
  assert.equal(edited.split('\n').length - source.split('\n').length, 2, 'one import, one entry');
  const out = await build({
    bundle: true, platform: 'browser', format: 'iife', target: 'es2022', write: false, logLevel: 'silent',
    entryPoints: [join(ROOT, 'webview', 'main.ts')], loader: { '.css': 'text' },
    plugins: [{
      name: 'registry-entry',
      setup(b) { b.onLoad({ filter: /webview[\\/]views[\\/]index\.ts$/ }, () => ({ contents: edited, loader: 'ts', resolveDir: dirname(index) })); },
    }],
  });
  return out.outputFiles[0]!.text;
}

test('a new chart is one file and one registry entry: a test-only view gets its tab, data, rebuilds and theme', async () => {
  const script = await bundleWithExtraView();
  const { page, problems } = await openPanel(browser, 'vscode-light', { script });
  const cut = Math.floor(fx.events.length * 0.3);
  await post(page, init(true, fx.events.slice(0, cut)));
  await settle(page);
  const tabs = await headers(page);
  assert.deepEqual(tabs.at(-1), { tab: 'extra', title: 'Test-only: mean test loss' }, 'its tab comes last, with its title');
  assert.deepEqual(tabs.slice(0, -1), VIEWS.map(({ tab, title }) => ({ tab, title })));
  const mains = async (): Promise<number[]> => chart(await charts(page), 'extra.testLoss').datasets.filter((d) => d.role === 'main').map((d) => d.points);
  const early = await mains();
  assert.equal(early.length, fx.config.arms.length);

  const rest = fx.events.slice(cut);
  for (let i = 0; i < rest.length; i += 25) await post(page, { type: 'events', v, runId: fx.runId, events: rest.slice(i, i + 25) });
  await settle(page);
  assert.deepEqual(await mains(), fx.config.arms.map(() => epochs), 'fed by update(dirty) as events arrive');
  const counts = (): Promise<Record<string, string | undefined>> => page.$eval('#chart-extra', (e) => ({ ...(e as HTMLElement).dataset }));
  assert.ok(Number((await counts()).updates) >= 1);

  await selectValue(page, 'sel-band', 'std');
  await settle(page);
  assert.equal((await counts()).rebuilds, '1', 'a toolbar option reaches its rebuild hook');
  await page.evaluate(() => (window as unknown as { __setTheme(k: string): void }).__setTheme('vscode-dark'));
  await settle(page);
  assert.equal((await counts()).themes, '1');
  assert.equal(chart(await charts(page), 'extra.testLoss').datasets[0]!.color, '#3794ff', 'recoloured by its theme hook');
  await showsTab(page, 'extra');
  await page.screenshot({ path: join(RESULTS, 'webview-extra-view.png'), fullPage: true });
  await noProblems(page, problems);
  await page.close();
});
