/**
 * The panel fed a run recorded by the real CLI and trainer (test/fixtures/webview/recorded:
 * `actlab run recorded.actlab.json`, 3 arms × 2 seeds × 3 epochs on 600 digits). Unlike the
 * synthetic fixture, the expected counts come from the events themselves and the table is
 * checked against the summary.json the run store wrote.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { PROTOCOL_VERSION } from '../../src/core/protocol';
import type { Summary } from '../../src/core/summary';
import { COLUMNS } from '../../webview/components/summaryTable';
import { RESULTS, ROOT, chart, charts, cspViolations, ensureBundle, launch, loadFixture, openPanel, post, settle } from './browser';

const DIR = join(ROOT, 'test', 'fixtures', 'webview', 'recorded');
const fx = loadFixture(DIR);
const written = JSON.parse(readFileSync(join(DIR, 'summary.json'), 'utf8')) as Summary;
let browser: Browser;

before(async () => {
  ensureBundle();
  browser = await launch();
});
after(async () => { await browser?.close(); });

test('a real recorded run: charts hold what the events say, the table equals summary.json', async () => {
  const { page, problems } = await openPanel(browser);
  await post(page, { type: 'init', v: PROTOCOL_VERSION, runId: fx.runId, config: fx.config, events: fx.events, live: false });
  await settle(page);
  const snaps = await charts(page);

  const epochsOf = (jobId: string): number => fx.events.filter((e) => e.type === 'epoch' && e.jobId === jobId).length;
  for (const arm of fx.config.arms) {
    const jobs = fx.config.jobs.filter((j) => j.armId === arm.armId);
    const done = Math.max(...jobs.map((j) => epochsOf(j.jobId)));
    assert.equal(done, jobs[0]!.training.epochs, `${arm.armId}: every epoch was recorded`);
    const testAcc = chart(snaps, 'curves.testAccuracy').datasets.find((d) => d.role === 'main' && d.label === arm.label);
    assert.equal(testAcc?.points, done, `${arm.armId}: one mean point per epoch`);
  }

  const probe = fx.events.find((e) => e.type === 'probe');
  assert.ok(probe && probe.type === 'probe');
  const probesPerJob = fx.events.filter((e) => e.type === 'probe' && e.jobId === probe.jobId).length;
  const deadMains = chart(snaps, 'dead.deadGrad').datasets.filter((d) => d.role === 'main');
  assert.equal(deadMains.length, fx.config.arms.length * probe.layers.length, 'one line per arm and hidden layer');
  for (const d of deadMains) assert.equal(d.points, probesPerJob);

  const noisy = fx.config.arms.filter((a) => a.activation.type === 'nrelu');
  const sigmaMains = chart(snaps, 'sigma').datasets.filter((d) => d.role === 'main');
  assert.equal(sigmaMains.length, noisy.length, 'σ is drawn for the N-ReLU arms only');

  // Every numeric cell carries the mean that summary.json holds for that arm.
  const cells = await page.$$eval('#summary-table vscode-table-row', (rows) => rows.map((r) => ({
    arm: (r as HTMLElement).dataset.armId ?? '',
    means: Object.fromEntries([...r.querySelectorAll('vscode-table-cell')].map((c) => [(c as HTMLElement).dataset.key ?? '', (c as HTMLElement).dataset.mean])),
  })));
  assert.deepEqual(cells.map((c) => c.arm), written.arms.map((a) => a.armId));
  let compared = 0;
  for (const row of cells) {
    const arm = written.arms.find((a) => a.armId === row.arm)!;
    for (const col of COLUMNS.filter((c) => c.stat)) {
      const s = col.stat!(arm);
      if (!s) continue;
      assert.ok(Math.abs(Number(row.means[col.key]) - s.mean) <= 1e-12, `${row.arm} ${col.key}: ${row.means[col.key]} vs ${s.mean}`);
      compared++;
    }
  }
  assert.ok(compared >= fx.config.arms.length * 4, `compared ${compared} cells`);
  await page.screenshot({ path: join(RESULTS, 'webview-recorded.png'), fullPage: true });
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(problems.console, []);
  await page.close();
});
