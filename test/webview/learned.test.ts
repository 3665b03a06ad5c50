/**
 * The panel's parts of issue 13. Learnable expression parameters in the σ tab: the recorded run with its first arm
 * turned into `max(x, a * x)` with a learnable `a`, and epoch events carrying a different value
 * per seed (going negative). The "Learned parameters" chart plots the mean over seeds (not the
 * first job's values), a min–max band over seeds, on a y axis that fits the values. Shapes:
 * E[f] ± 1 sd for noisy activations, built-in (exact) and expression (Monte Carlo).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { ActivationSpec } from '../../src/core/config';
import { PROTOCOL_VERSION, type ActlabEvent } from '../../src/core/protocol';
import { RESULTS, chart, charts, ensureBundle, launch, loadFixture, openPanel, post, settle } from './browser';

const fx = loadFixture(join(__dirname, '..', 'fixtures', 'webview', 'recorded'));
let browser: Browser;
before(async () => { ensureBundle(); browser = await launch(); });
after(async () => { await browser?.close(); });

const learnedLeak = { type: 'expr', expr: 'max(x, a * x)', params: { a: { init: 0.25, learnable: true, per: 'layer' } }, inference: 'deterministic' } as unknown as ActivationSpec;
/** Seed s at epoch e: a slope that starts at 0.25 and falls, faster for later seeds. */
const value = (seed: number, epoch: number): number => 0.25 - 0.2 * epoch * seed;

test('learned parameters: the mean over seeds per epoch, a band over seeds, a y axis that fits', async () => {
  const arm = fx.config.arms[0]!;
  const config = {
    ...fx.config,
    arms: fx.config.arms.map((a) => (a === arm ? { ...a, activation: learnedLeak } : a)),
    jobs: fx.config.jobs.map((j) => (j.armId === arm.armId ? { ...j, activation: learnedLeak } : j)),
  };
  const seedOf = new Map(config.jobs.map((j) => [j.jobId, j.seed]));
  const armJobs = new Set(config.jobs.filter((j) => j.armId === arm.armId).map((j) => j.jobId));
  const events: ActlabEvent[] = fx.events.map((e) => (e.type === 'epoch' && armJobs.has(e.jobId) ? { ...e, params: { a: value(seedOf.get(e.jobId)!, e.epoch) } } : e));
  const { page, problems } = await openPanel(browser, 'vscode-light', { state: { tab: 'sigma' } });
  await post(page, { type: 'init', v: PROTOCOL_VERSION, runId: fx.runId, config, events, live: false });
  await settle(page);
  const learned = chart(await charts(page, true), 'learned');
  const main = learned.datasets.find((d) => d.role === 'main')!;
  assert.equal(main.label, `${arm.label} a`);
  const seeds = arm.seeds;
  const epochs = config.jobs[0]!.training.epochs;
  const mean = (e: number): number => seeds.reduce((t, s) => t + value(s, e), 0) / seeds.length;
  assert.deepEqual(main.ys!.map((y) => Math.round(y! * 1e9) / 1e9), Array.from({ length: epochs }, (_, i) => Math.round(mean(i + 1) * 1e9) / 1e9), 'mean over seeds');
  const [lo, hi] = learned.datasets.filter((d) => d.role === 'band');
  assert.deepEqual(lo!.ys!.map((y) => Math.round(y! * 1e9) / 1e9), Array.from({ length: epochs }, (_, i) => Math.round(Math.min(...seeds.map((s) => value(s, i + 1))) * 1e9) / 1e9));
  assert.ok(hi, 'band high');
  const lowest = Math.min(...lo!.ys!.map(Number));
  assert.ok(lowest < 0);
  assert.ok(learned.yRange![0] <= lowest && learned.yRange![0] > lowest - 0.5, `y axis from ${learned.yRange![0]} fits ${lowest}`);
  // The σ chart keeps only the σ arm; no learned parameter on a σ axis.
  assert.ok(chart(await charts(page), 'sigma').datasets.every((d) => !d.label.endsWith(' a')));
  await page.screenshot({ path: join(RESULTS, 'webview-learned.png'), fullPage: true });
  assert.deepEqual(problems.console, []);
  await page.close();
});

test('shapes: E[f] ± 1 sd beside the 5–95 % band, for a built-in (exact) and a noisy expression (Monte Carlo)', async () => {
  const noisy = { type: 'expr', expr: 'x > 0 ? x : s * randn()', params: { s: 0.3 }, inference: 'deterministic' } as unknown as ActivationSpec;
  const arm = fx.config.arms[0]!;
  const config = {
    ...fx.config,
    arms: fx.config.arms.map((a) => (a === arm ? { ...a, activation: noisy } : a)),
    jobs: fx.config.jobs.map((j) => (j.armId === arm.armId ? { ...j, activation: noisy } : j)),
  };
  const { page, problems } = await openPanel(browser, 'vscode-light', { state: { tab: 'activations' } });
  await post(page, { type: 'init', v: PROTOCOL_VERSION, runId: fx.runId, config, events: fx.events, live: false });
  await settle(page);
  const snaps = await charts(page, true);
  const xs = Array.from({ length: 241 }, (_, i) => -3 + (6 * i) / 240);
  const sdHi = (id: string): number[] => chart(snaps, id).datasets.find((d) => d.label === 'E[f] ± 1 sd')!.ys!.map(Number);
  const nrelu = fx.config.arms.find((a) => a.activation.type === 'nrelu')!;
  const sigma0 = (nrelu.activation as unknown as { sigma: { start: number } }).sigma.start;
  sdHi(`activation.${nrelu.armId}`).forEach((y, i) => assert.ok(Math.abs(y - (xs[i]! > 0 ? xs[i]! : sigma0)) <= 1e-12, `N-ReLU at ${xs[i]}: ${y}`));
  const expr = sdHi(`activation.${arm.armId}`);
  // 400 draws per point: E[f] + sd has the errors of a sample mean (0.3/√400) and a sample sd (0.3/√800).
  const se = Math.sqrt(0.3 ** 2 / 400 + 0.3 ** 2 / 800);
  xs.forEach((x, i) => { if (x < -0.5) assert.ok(Math.abs(expr[i]! - 0.3) <= 4 * se, `expression at ${x}: ${expr[i]}`); });
  assert.ok(chart(snaps, `activation.${arm.armId}`).datasets.some((d) => d.label.startsWith('5–95')), 'the quantile band stays');
  assert.equal(chart(snaps, 'activation.abs').datasets.some((d) => d.label === 'E[f] ± 1 sd'), false, 'no sd band when deterministic');
  await page.screenshot({ path: join(RESULTS, 'webview-shapes-sd.png'), fullPage: true });
  assert.deepEqual(problems.console, []);
  await page.close();
});
