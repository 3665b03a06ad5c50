/**
 * Comparing two recorded runs (test/fixtures/webview/recorded and …/sweep) in the panel: the
 * merged run of src/core/compare.ts, sent as an ordinary init, so every view works across
 * the runs; the table's rows are both runs' arms, prefixed, with each run's summary.json means.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { compareRuns } from '../../src/core/compare';
import { PROTOCOL_VERSION } from '../../src/core/protocol';
import type { Summary } from '../../src/core/summary';
import { RESULTS, ROOT, chart, charts, cspViolations, ensureBundle, launch, loadFixture, openPanel, post, settle } from './browser';

const FX = join(ROOT, 'test', 'fixtures', 'webview');
const runs = ['recorded', 'sweep'].map((d) => ({ ...loadFixture(join(FX, d)), written: JSON.parse(readFileSync(join(FX, d, 'summary.json'), 'utf8')) as Summary }));
let browser: Browser;

before(async () => { ensureBundle(); browser = await launch(); });
after(async () => { await browser?.close(); });

test('two recorded runs compared: prefixed arms in every view, table means equal each run\'s summary.json', async () => {
  const cmp = compareRuns(runs);
  const { page, problems } = await openPanel(browser);
  await post(page, { type: 'init', v: PROTOCOL_VERSION, runId: cmp.runId, config: cmp.config, events: cmp.events, live: false });
  await settle(page);
  const rows = await page.$$eval('#summary-table vscode-table-row', (rs) => rs.map((r) => ({
    arm: (r as HTMLElement).dataset.armId ?? '',
    label: r.querySelector('[data-key="arm"] .arm-label')?.textContent ?? '',
    acc: Number((r.querySelector('[data-key="finalTestAccuracy"]') as HTMLElement | null)?.dataset.mean),
  })));
  assert.equal(rows.length, runs[0]!.config.arms.length + runs[1]!.config.arms.length);
  runs.forEach((run, i) => {
    for (const arm of run.written.arms) {
      const row = rows.find((r) => r.arm === `${cmp.prefixes[i]}/${arm.armId}`);
      assert.ok(row, arm.armId);
      assert.ok(row.label.startsWith(`${cmp.prefixes[i]} · `), row.label);
      assert.ok(Math.abs(row.acc - arm.finalTestAccuracy!.mean) <= 1e-12, `${arm.armId}: ${row.acc}`);
    }
  });
  const snaps = await charts(page);
  const curves = chart(snaps, 'curves.testAccuracy').datasets.filter((d) => d.role === 'main');
  assert.equal(curves.length, rows.length, 'one curve per arm of both runs');
  assert.ok(snaps.some((s) => s.id === 'sweep.sigma'), 'the σ sweep plot, across runs');
  assert.ok(await page.textContent('body').then((t) => t?.includes('Compare: ')), 'the header names the comparison');
  await page.screenshot({ path: join(RESULTS, 'webview-compare.png'), fullPage: true });
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(problems.console, []);
  await page.close();
});
