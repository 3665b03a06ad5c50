/**
 * The results panel in Chromium, fed a recorded run by a fake VS Code host; and the static
 * report written from the same run. Screenshots go to test-results/webview-*.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PROTOCOL_VERSION } from '../../src/core/protocol';
import { summarize } from '../../src/core/summary';
import { buildReportHtml } from '../../src/report/reportHtml';
import { writeReportFile } from '../../src/runner/reportFile';
import { COLUMNS } from '../../webview/components/summaryTable';
import {
  FIXTURE_RUN, RESULTS, chart, charts, cspViolations, ensureBundle, launch, loadFixture, openPanel, post, selectValue, settle, watchProblems,
} from './browser';

const fx = loadFixture();
const v = PROTOCOL_VERSION;
const arms = fx.config.arms.length;
const seedsPerArm = fx.config.arms[0]!.seeds.length;
const epochs = fx.config.jobs[0]!.training.epochs;
let browser: Browser;

before(async () => {
  ensureBundle();
  browser = await launch();
});
after(async () => { await browser?.close(); });

async function noProblems(page: Page, problems: { console: string[] }): Promise<void> {
  assert.deepEqual(await cspViolations(page), [], 'CSP violations');
  assert.deepEqual(problems.console, [], 'console errors or warnings');
}

test('harness: each panel page loads its own file and has said "ready" before the test posts', async () => {
  // Test files run two at a time; one shared page file was once rewritten under a loading page.
  const [a, b] = [await openPanel(browser), await openPanel(browser)];
  assert.notEqual(a.page.url(), b.page.url());
  for (const { page } of [a, b]) {
    const posted = await page.evaluate(() => (window as unknown as { __posted: Array<{ type?: string }> }).__posted.map((m) => m.type));
    assert.deepEqual(posted, ['ready']);
    await page.close();
  }
});

test('recorded run: every chart has the expected datasets and point counts', async () => {
  const { page, problems } = await openPanel(browser);
  // The webview announces itself before the host sends anything.
  assert.deepEqual(await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted), [{ type: 'ready', v }]);
  await post(page, { type: 'init', v, runId: fx.runId, config: fx.config, events: fx.events, live: false });
  await settle(page);
  const snaps = await charts(page);

  for (const metric of ['trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy']) {
    const c = chart(snaps, `curves.${metric}`);
    const mains = c.datasets.filter((d) => d.role === 'main');
    assert.equal(mains.length, arms, metric);
    assert.deepEqual(mains.map((d) => d.label), fx.config.arms.map((a) => a.label));
    for (const d of mains) assert.equal(d.points, epochs, `${metric} ${d.label}`);
    assert.equal(c.datasets.filter((d) => d.role === 'band').length, 2 * arms, 'min–max band: low and high per arm');
  }
  const layers = 2;
  for (const id of ['dead.deadMean', 'dead.deadGrad']) {
    const mains = chart(snaps, id).datasets.filter((d) => d.role === 'main');
    assert.equal(mains.length, arms * layers, id);
    for (const d of mains) assert.equal(d.points, epochs + 1, `${id}: probe at init + one per epoch`);
  }
  const sigma = chart(snaps, 'sigma');
  assert.deepEqual(sigma.datasets.map((d) => [d.role, d.points]), [['planned', epochs], ['main', epochs]], 'only the N-ReLU arm has σ');
  for (const a of fx.config.arms) {
    const c = chart(snaps, `activation.${a.armId}`);
    assert.ok(c.datasets.every((d) => d.points === 241));
    assert.equal(c.datasets.some((d) => d.label.startsWith('5–95')), a.activation.type === 'nrelu', `${a.armId}: band only when stochastic`);
  }
  const heat = await page.evaluate(() => (window as unknown as { __actlab: { heatmap(): unknown } }).__actlab.heatmap());
  assert.deepEqual(heat, { arm: 0, seed: 1, layer: 'dense1', rows: 48, cols: epochs + 1, jobId: 'relu#1' });
  await selectValue(page, 'heat-arm', '2');
  await selectValue(page, 'heat-layer', 'dense2');
  await selectValue(page, 'heat-seed', '2');
  await settle(page);
  const heat2 = await page.evaluate(() => (window as unknown as { __actlab: { heatmap(): unknown } }).__actlab.heatmap());
  assert.deepEqual(heat2, { arm: 2, seed: 2, layer: 'dense2', rows: 24, cols: epochs + 1, jobId: `${fx.config.arms[2]!.armId}#2` });

  // Per-step view, seeds shown: step losses per seed, seed mean on the step grid.
  await selectValue(page, 'sel-xaxis', 'step');
  await page.click('#chk-seeds');
  await settle(page);
  const steps = chart(await charts(page), 'curves.trainLoss');
  const stepsPerJob = fx.events.filter((e) => e.type === 'step' && e.jobId === fx.config.jobs[0]!.jobId).length;
  const seeds = steps.datasets.filter((d) => d.role === 'seed');
  assert.equal(seeds.length, arms * seedsPerArm);
  for (const d of seeds) assert.equal(d.points, stepsPerJob);
  for (const d of steps.datasets.filter((x) => x.role === 'main')) assert.equal(d.points, stepsPerJob);
  await page.screenshot({ path: join(RESULTS, 'webview-steps-seeds.png'), fullPage: true });

  // Restored view state: what the user chose is saved through setState.
  const view = await page.evaluate(() => (window as unknown as { __actlab: { view(): Record<string, unknown> } }).__actlab.view());
  assert.equal(view.xAxis, 'step');
  assert.equal(view.showSeeds, true);
  await noProblems(page, problems);
  await page.close();
});

test('smoothing draws a separate EMA series and leaves the raw mean untouched', async () => {
  const { page, problems } = await openPanel(browser);
  await post(page, { type: 'init', v, runId: fx.runId, config: fx.config, events: fx.events, live: false });
  await settle(page);
  await selectValue(page, 'sel-xaxis', 'step');
  await settle(page);
  const before = chart(await charts(page, true), 'curves.trainLoss').datasets.filter((d) => d.role === 'main').map((d) => d.ys);
  await page.evaluate(() => {
    const s = document.getElementById('smoothing') as HTMLInputElement;
    s.value = '0.8';
    s.dispatchEvent(new Event('input'));
  });
  await settle(page);
  const c = chart(await charts(page, true), 'curves.trainLoss');
  const raw = c.datasets.filter((d) => d.role === 'raw').map((d) => d.ys);
  const smooth = c.datasets.filter((d) => d.role === 'main').map((d) => d.ys);
  assert.deepEqual(raw, before, 'raw mean shown unchanged under the smoothed line');
  assert.equal(smooth.length, arms);
  assert.notDeepEqual(smooth, before);
  // EMA with weight 0.8 damps step-to-step jumps.
  const jumps = (ys: (number | null)[]): number => ys.slice(1).reduce<number>((s, y, i) => s + Math.abs((y ?? 0) - (ys[i] ?? 0)), 0);
  assert.ok(jumps(smooth[0]!) < jumps(before[0]!));
  await page.screenshot({ path: join(RESULTS, 'webview-smoothed.png'), fullPage: true });
  await noProblems(page, problems);
  await page.close();
});

test('live: streamed events add points without re-initialising; Stop asks the host', async () => {
  const { page, problems } = await openPanel(browser);
  const cut = Math.floor(fx.events.length * 0.4);
  await post(page, { type: 'init', v, runId: fx.runId, config: fx.config, events: fx.events.slice(0, cut), live: true });
  await settle(page);
  const created = await page.evaluate(() => (window as unknown as { __actlab: { chartsCreated(): number } }).__actlab.chartsCreated());
  const count = async (): Promise<number> => chart(await charts(page), 'curves.testLoss').datasets
    .filter((d) => d.role === 'main').reduce((s, d) => s + d.points, 0);
  const early = await count();
  const statusEarly = await page.textContent('#status-line');
  assert.match(statusEarly ?? '', /running/);
  assert.equal(await page.isVisible('#btn-stop'), true);
  assert.equal(await page.isVisible('#btn-report'), false);
  await page.screenshot({ path: join(RESULTS, 'webview-live.png'), fullPage: true });

  await page.click('#btn-stop');
  const posted = await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
  assert.deepEqual(posted.at(-1), { type: 'request', v, requestId: 1, action: 'stop' });
  await post(page, { type: 'response', v, requestId: 1, ok: true });

  const rest = fx.events.slice(cut);
  for (let i = 0; i < rest.length; i += 40) await post(page, { type: 'events', v, runId: fx.runId, events: rest.slice(i, i + 40) });
  // Events for another run are not ours.
  await post(page, { type: 'events', v, runId: 'other-run', events: rest.slice(0, 5) });
  await settle(page);
  const late = await count();
  assert.ok(early < late, `points grew (${early} → ${late})`);
  assert.equal(late, arms * epochs);
  const hook = await page.evaluate(() => {
    const a = (window as unknown as { __actlab: { chartsCreated(): number; inits(): number; frames(): number } }).__actlab;
    return { created: a.chartsCreated(), inits: a.inits(), frames: a.frames() };
  });
  assert.equal(hook.created, created, 'no chart was recreated');
  assert.equal(hook.inits, 1);
  assert.ok(hook.frames < rest.length / 4, `updates are batched per frame (${hook.frames} frames for ${rest.length} events)`);
  assert.match((await page.textContent('#status-line')) ?? '', /6\/6 jobs done .* run completed/);
  assert.equal(await page.isVisible('#btn-stop'), false, 'Stop disappears when the run ends');
  assert.equal(await page.isVisible('#btn-report'), true, 'and the report can be opened');
  await noProblems(page, problems);
  await page.close();
});

test('summary table shows summarize() numbers and sorts by column', async () => {
  const { page, problems } = await openPanel(browser);
  await post(page, { type: 'init', v, runId: fx.runId, config: fx.config, events: fx.events, live: false });
  await settle(page);
  const expected = summarize(fx.config, fx.events, fx.runId);
  const read = (): Promise<{ arm: string; cells: Record<string, { mean?: string; text: string; best: boolean }> }[]> => page.$$eval('#summary-table vscode-table-row', (rows) => rows.map((r) => ({
    arm: (r as HTMLElement).dataset.armId ?? '',
    cells: Object.fromEntries([...r.querySelectorAll('vscode-table-cell')].map((c) => {
      const h = c as HTMLElement;
      return [h.dataset.key ?? '', { mean: h.dataset.mean, text: h.textContent ?? '', best: h.classList.contains('best') }];
    })),
  })));
  const rows = await read();
  assert.deepEqual(rows.map((r) => r.arm), fx.config.arms.map((a) => a.armId), 'config order by default');
  for (const row of rows) {
    const a = expected.arms.find((x) => x.armId === row.arm)!;
    for (const col of COLUMNS.filter((c) => c.stat)) {
      const s = col.stat!(a);
      assert.equal(row.cells[col.key]?.mean, s ? String(s.mean) : undefined, `${row.arm} ${col.key}`);
      if (s) assert.equal(row.cells[col.key]?.text, col.format!(s));
    }
  }
  const bestArm = expected.best!.armId;
  assert.equal(rows.find((r) => r.arm === bestArm)?.cells.finalTestAccuracy?.best, true, 'best accuracy cell marked');
  assert.equal(rows.filter((r) => r.cells.finalTestAccuracy?.best).length, 1);

  const order = async (): Promise<string[]> => (await read()).map((r) => r.arm);
  const byAcc = [...expected.arms].sort((a, b) => b.finalTestAccuracy!.mean - a.finalTestAccuracy!.mean).map((a) => a.armId);
  await page.click('#summary-table vscode-table-header-cell[data-key="finalTestAccuracy"]');
  assert.deepEqual(await order(), byAcc, 'descending');
  await page.click('#summary-table vscode-table-header-cell[data-key="finalTestAccuracy"]');
  assert.deepEqual(await order(), [...byAcc].reverse(), 'ascending');
  await page.click('#summary-table vscode-table-header-cell[data-key="finalTestAccuracy"]');
  assert.deepEqual(await order(), fx.config.arms.map((a) => a.armId), 'back to config order');
  await noProblems(page, problems);
  await page.close();
});

test('theme switch recolours the charts; malformed messages are rejected', async () => {
  const { page, problems } = await openPanel(browser, 'vscode-light');
  await post(page, { type: 'init', v, runId: fx.runId, config: fx.config, events: fx.events, live: false });
  await settle(page);
  const colour = async (): Promise<string> => chart(await charts(page), 'curves.testAccuracy').datasets.find((d) => d.role === 'main')!.color;
  const light = await colour();
  assert.equal(light, '#1a85ff', 'first arm takes --vscode-charts-blue');
  await page.screenshot({ path: join(RESULTS, 'webview-light.png'), fullPage: true });
  await page.evaluate(() => (window as unknown as { __setTheme(k: string): void }).__setTheme('vscode-dark'));
  await settle(page);
  assert.equal(await colour(), '#3794ff');
  await page.click('[data-tab="dead"]');
  await settle(page);
  await page.screenshot({ path: join(RESULTS, 'webview-dark-dead.png'), fullPage: true });
  await page.click('[data-tab="sigma"]');
  await page.screenshot({ path: join(RESULTS, 'webview-dark-sigma.png'), fullPage: true });
  await page.click('[data-tab="activations"]');
  await page.screenshot({ path: join(RESULTS, 'webview-dark-activations.png'), fullPage: true });

  const before = chart(await charts(page), 'curves.testLoss').datasets.map((d) => d.points);
  await post(page, { type: 'events', v, runId: fx.runId, events: [{ type: 'epoch', v, t: 1, jobId: 'relu#1' }] });
  await post(page, { type: 'events', v: 99, runId: fx.runId, events: [] });
  await settle(page);
  const errors = await page.evaluate(() => (window as unknown as { __actlab: { errors(): string[] } }).__actlab.errors());
  assert.deepEqual(errors, ["malformed 'epoch' event", 'unsupported protocol version 99']);
  assert.deepEqual(chart(await charts(page), 'curves.testLoss').datasets.map((d) => d.points), before);
  // The two rejects were reported as warnings by design; nothing else.
  assert.equal(problems.console.length, 2);
  problems.console.length = 0;
  await noProblems(page, problems);
  await page.close();
});

test('static report: self-contained, light by default, dark under prefers-color-scheme', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'actlab-report-'));
  try {
    cpSync(FIXTURE_RUN, dir, { recursive: true });
    const file = writeReportFile(dir, buildReportHtml);
    const colours: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, colorScheme: scheme, acceptDownloads: true });
      const problems = watchProblems(page);
      await page.addInitScript(() => {
        const w = window as unknown as { __csp: string[] };
        w.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective}: ${e.blockedURI}`));
      });
      const requests: string[] = [];
      page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) requests.push(r.url()); });
      await page.goto(`file://${file}`);
      await settle(page);
      assert.equal(await page.evaluate(() => (window as unknown as { __actlab: { mode: string } }).__actlab.mode), 'static');
      const snaps = await charts(page);
      assert.equal(chart(snaps, 'curves.testAccuracy').datasets.filter((d) => d.role === 'main' && d.points === epochs).length, arms);
      colours.push(chart(snaps, 'curves.testAccuracy').datasets.find((d) => d.role === 'main')!.color);
      assert.equal(await page.isVisible('#btn-stop'), false);
      assert.equal(await page.isVisible('#btn-export'), true);
      if (scheme === 'light') {
        // No host to ask: the report builds the CSV itself (src/core/csv.ts, one row per job and epoch).
        const [download] = await Promise.all([page.waitForEvent('download'), page.click('#btn-export')]);
        const csv = await readFile((await download.path())!, 'utf8');
        const lines = csv.trim().split('\n');
        assert.match(lines[0]!, /^jobId,armId,/);
        assert.equal(lines.length, 1 + fx.config.jobs.length * (epochs + 1), 'header + (probe at init + epochs) per job');
      }
      await page.screenshot({ path: join(RESULTS, `webview-report-${scheme}.png`), fullPage: true });
      await page.click('[data-tab="dead"]');
      await settle(page);
      await page.screenshot({ path: join(RESULTS, `webview-report-${scheme}-dead.png`), fullPage: true });
      assert.deepEqual(requests, [], 'no network');
      await noProblems(page, problems);
      await page.close();
    }
    assert.notEqual(colours[0], colours[1], 'dark scheme uses other colours');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('long run: step series are decimated for drawing (LTTB), raw data kept', async () => {
  const { page, problems } = await openPanel(browser);
  const S = 600; const E = 5;
  const config = structuredClone(fx.config);
  for (const j of config.jobs) j.training.epochs = E;
  const events: unknown[] = config.jobs.map((j) => ({ type: 'jobStart', v, t: 0, jobId: j.jobId, backend: { name: 'cpu', notes: [] },
    parameters: 1, stepsPerEpoch: S, epochs: E, trainSize: 1, testSize: 1 }));
  for (let s = 0; s < S * E; s++) {
    for (const j of config.jobs) events.push({ type: 'step', v, t: s, jobId: j.jobId, epoch: Math.floor(s / S), step: s, loss: 2 * Math.exp(-s / 500) + 0.05 * Math.sin(s) });
  }
  await post(page, { type: 'init', v, runId: 'long', config, events, live: true });
  await selectValue(page, 'sel-xaxis', 'step');
  await page.click('#chk-seeds');
  await settle(page);
  const c = chart(await charts(page), 'curves.trainLoss');
  const seeds = c.datasets.filter((d) => d.role === 'seed');
  assert.equal(seeds.length, config.jobs.length);
  for (const d of seeds) {
    assert.equal(d.points, S * E);
    assert.ok(d.drawn < d.points / 2, `decimated: ${d.drawn} of ${d.points} drawn`);
  }
  // The seed mean sits on a grid of at most 400 buckets.
  for (const d of c.datasets.filter((x) => x.role === 'main')) assert.equal(d.points, Math.ceil((S * E) / Math.ceil((S * E) / 400)));
  await page.screenshot({ path: join(RESULTS, 'webview-long-run.png'), fullPage: true });
  await noProblems(page, problems);
  await page.close();
});
