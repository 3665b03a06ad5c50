/**
 * The Sweep view on a recorded σ × learning-rate sweep (test/fixtures/webview/sweep:
 * `actlab run sigma-sweep.actlab.json`, ReLU + N-ReLU σ ∈ {0.01, 0.05, 0.1, 0.3} × lr ∈
 * {0.001, 0.003}, 3 seeds): plotted means and error bars equal the summary.json the run wrote;
 * the tie logic's stars and Δ column; a click highlights the arm in the table.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PROTOCOL_VERSION } from '../../src/core/protocol';
import type { Summary } from '../../src/core/summary';
import { tInv } from '../../src/core/tstat';
import { RESULTS, ROOT, chart, charts, cspViolations, ensureBundle, launch, loadFixture, openPanel, post, settle } from './browser';

const DIR = join(ROOT, 'test', 'fixtures', 'webview', 'sweep');
const fx = loadFixture(DIR);
const written = JSON.parse(readFileSync(join(DIR, 'summary.json'), 'utf8')) as Summary;
let browser: Browser;

before(async () => { ensureBundle(); browser = await launch(); });
after(async () => { await browser?.close(); });

async function open(state?: unknown): Promise<{ page: Page; problems: { console: string[] } }> {
  const r = await openPanel(browser, 'vscode-light', state === undefined ? {} : { state });
  await post(r.page, { type: 'init', v: PROTOCOL_VERSION, runId: fx.runId, config: fx.config, events: fx.events, live: false });
  await settle(r.page);
  return r;
}

const close = (a: number | null | undefined, b: number, why: string): void => assert.ok(a !== null && a !== undefined && Math.abs(a - b) <= 1e-12, `${why}: ${a} vs ${b}`);

test('sweep view: σ plot values and std bars equal summary.json; log-x; one line per lr', async () => {
  const { page, problems } = await open({ tab: 'sweep' });
  const sigma = chart(await charts(page, true), 'sweep.sigma');
  assert.ok(sigma.visible);
  const mains = sigma.datasets.filter((d) => d.role === 'main');
  assert.deepEqual(mains.map((d) => d.label), ['N-ReLU · lr=0.001', 'N-ReLU · lr=0.003']);
  for (const [si, lr] of [0.001, 0.003].entries()) {
    const arms = written.arms.filter((a) => a.sweep.lr === lr && a.sweep.sigma !== undefined).sort((a, b) => Number(a.sweep.sigma) - Number(b.sweep.sigma));
    const [main, lo, hi] = sigma.datasets.slice(3 * si, 3 * si + 3);
    assert.equal(main!.ys!.length, 4);
    arms.forEach((a, k) => {
      const s = a.finalTestAccuracy!;
      close(main!.ys![k], s.mean, `${a.armId} mean`);
      close(lo!.ys![k], s.mean - s.std, `${a.armId} low bar`);
      close(hi!.ys![k], s.mean + s.std, `${a.armId} high bar`);
    });
  }
  assert.match(await page.textContent('#chart-sweep-sigma .card-title') ?? '', /σ/);
  assert.ok(chart(await charts(page), 'sweep.lr').datasets.some((d) => d.label === 'ReLU'), 'ReLU is in the lr plot');
  await page.screenshot({ path: join(RESULTS, 'webview-sweep.png'), fullPage: true });
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(problems.console, []);
  await page.close();
});

test('sweep view: best-epoch metric with 95 % CI bars (toggle restored from the view state)', async () => {
  const { page } = await open({ tab: 'sweep', sweepWhich: 'best', sweepError: 'ci' });
  const sigma = chart(await charts(page, true), 'sweep.sigma');
  const arm = written.arms.find((a) => a.sweep.lr === 0.001 && a.sweep.sigma === 0.01)!;
  const s = arm.bestTestAccuracy!;
  const h = tInv(0.975, s.n - 1) * s.std / Math.sqrt(s.n);
  close(sigma.datasets[0]!.ys![0], s.mean, 'best mean');
  close(sigma.datasets[2]!.ys![0], s.mean + h, 'CI high');
  await page.close();
});

test('table: Δ vs best column and a star on every arm tied with the best (summary.json vsBest)', async () => {
  const { page } = await open();
  const rows = await page.$$eval('#summary-table vscode-table-row', (rs) => rs.map((r) => ({
    arm: (r as HTMLElement).dataset.armId ?? '',
    star: r.querySelector('.star') !== null,
    delta: r.querySelector('vscode-table-cell[data-key="vsBest"]')?.textContent ?? '',
  })));
  for (const r of rows) {
    const a = written.arms.find((x) => x.armId === r.arm)!;
    assert.equal(r.star, a.vsBest?.tied === true, `${r.arm}: star iff tied`);
    if (a.armId === written.best?.armId) assert.equal(r.delta, 'best');
    else assert.match(r.delta, a.vsBest?.tied ? /^tied with best/ : /^−\d/);
  }
  assert.ok(rows.filter((r) => r.star).length > 1, 'this sweep has ties');
  assert.ok(rows.some((r) => !r.star), 'and distinguishable arms');
  await page.close();
});

test('highlighting an arm (select, as a click does) marks it in the view state, the plot and the table', async () => {
  const { page } = await open({ tab: 'sweep' });
  const target = written.arms.find((a) => a.sweep.lr === 0.003 && a.sweep.sigma === 0.1)!;
  // The keyboard path of a click (the chart's onClick saves the same field): the labelled select.
  await page.evaluate((id) => { const s = document.getElementById('sel-sweep-highlight') as HTMLElement & { value: string }; s.value = id; s.dispatchEvent(new Event('change')); }, target.armId);
  await settle(page);
  const view = await page.evaluate(() => (window as unknown as { __actlab: { view(): { highlightArm: string } } }).__actlab.view());
  assert.equal(view.highlightArm, target.armId);
  const lit = await page.$$eval('#summary-table vscode-table-row.highlight', (rs) => rs.map((r) => (r as HTMLElement).dataset.armId));
  assert.deepEqual(lit, [target.armId]);
  await page.screenshot({ path: join(RESULTS, 'webview-sweep-highlight.png'), fullPage: true });
  await page.close();
});
