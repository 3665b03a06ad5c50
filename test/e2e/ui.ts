// The user's path through the INSTALLED .vsix, in code-server + Chromium: open a copy of the
// examples, see diagnostics on a broken config, run a small experiment from the palette and watch
// the panel fill in, stop a longer one mid-way, reload and reopen a run from the Runs view, and
// compare two runs selected in the Runs view.
//
//   node --import tsx test/e2e/ui.ts <extension.vsix>      (scripts/e2e/run.sh sets the env)
//
// Screenshots of every step go to test-results/e2e-ui-*.png.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import type { Frame, Page } from 'playwright-core';
import type { RawActivation, RawConfig } from '../../src/core/config';
import type { ActlabEvent } from '../../src/core/protocol';
import type { Summary } from '../../src/core/summary';
import { createProfile, installExtension, removeOnExit, startCodeServer, type CodeServer, type Profile } from '../../scripts/e2e/codeServer';
import { launchBrowser, newPage, poll, resultsDir, screenshot, sleep } from './browser';
import { codeLenses, isQuickPickOpen, notifications, openFile, pickQuickItem, problems, runCommand, waitForWorkbench } from './workbench';

const root = resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes?: Contributes };

interface Contributes {
  commands?: { command: string; title: string; category?: string }[];
  views?: Record<string, { id: string; name: string }[]>;
  viewsContainers?: Record<string, { id: string; title: string }[]>;
}

/** "Category: Title" as the palette shows it, from package.json (the one source of titles). */
function paletteTitle(commandId: string): string {
  const c = manifest.contributes?.commands?.find((x) => x.command === commandId);
  if (!c) throw new Error(`package.json contributes no command ${commandId}`);
  return c.category ? `${c.category}: ${c.title}` : c.title;
}

// --- what the webview exposes for tests (webview/app.ts) -------------------------------------
interface ChartSnapshot { id: string; visible: boolean; datasets: { label: string; role: string; points: number; hidden: boolean }[] }
interface ActlabHook { charts(): ChartSnapshot[]; summary(): Summary | undefined; errors(): string[] }
type HookWindow = { __actlab?: ActlabHook };

// Playwright sends these functions to the frame as source: no closures over test variables.
const chartsOf = (frame: Frame): Promise<ChartSnapshot[] | undefined> =>
  frame.evaluate(() => (window as unknown as HookWindow).__actlab?.charts());
const summaryOf = (frame: Frame): Promise<Summary | undefined> =>
  frame.evaluate(() => (window as unknown as HookWindow).__actlab?.summary());

/** Points per arm on the main (mean) train-loss curves. */
function mainCounts(charts: readonly ChartSnapshot[]): Map<string, number> {
  const loss = charts.find((c) => c.id === 'curves.trainLoss');
  return new Map((loss?.datasets ?? []).filter((d) => d.role === 'main').map((d) => [d.label, d.points]));
}

/** Points on the main train-loss curves, summed over arms. */
const lossPoints = (charts: readonly ChartSnapshot[]): number => [...mainCounts(charts).values()].reduce((a, b) => a + b, 0);

/** The panel frame showing `runId`: webview frames are nested and unnamed, so ask each one. */
async function panelFrame(page: Page, runId: string, timeoutMs = 60_000): Promise<Frame> {
  return poll(`the results panel of ${runId}`, timeoutMs, async () => {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame() || frame.isDetached()) continue;
      const id = await summaryOf(frame).then((x) => x?.runId, () => undefined);
      if (id === runId) return frame;
    }
    return undefined;
  }, 500);
}

// --- the workspace -----------------------------------------------------------------------------
const firstOf = <T>(v: T | { sweep: T[] } | undefined): T | undefined =>
  v !== null && typeof v === 'object' && 'sweep' in (v as object) ? (v as { sweep: T[] }).sweep[0] : (v as T | undefined);

/** The quick-start experiment, shrunk: 2 arms, 1 seed, no sweeps, a few hundred digits. */
function shrink(base: RawConfig, name: string, epochs: number, trainSize: number): RawConfig {
  const activations: RawActivation[] = base.activations.slice(0, 2).map((a) => {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(a)) out[k] = firstOf(v as unknown);
    return out as unknown as RawActivation;
  });
  return {
    ...base,
    name,
    data: { ...base.data, dataset: 'mnist', trainSize, testSize: 200 },
    activations,
    training: {
      ...base.training,
      epochs,
      seeds: [1],
      batchSize: firstOf(base.training.batchSize) ?? 32,
      learningRate: firstOf(base.training.learningRate),
    },
  };
}

interface Workspace {
  dir: string;
  /** Paths relative to `dir`. */
  quick: string;
  long: string;
  broken: string;
}

/** A copy of examples/ (and schemas/, which their `$schema` points at) with three more configs. */
function makeWorkspace(): Workspace {
  const quickstart = join(root, 'examples', 'quickstart.actlab.json');
  if (!existsSync(quickstart)) throw new Error(`${quickstart} does not exist`);
  const dir = mkdtempSync(join(tmpdir(), 'actlab-e2e-ws-'));
  removeOnExit(dir);
  for (const sub of ['examples', 'schemas']) {
    // Run folders of earlier runs in the working tree are not part of the examples.
    if (existsSync(join(root, sub))) cpSync(join(root, sub), join(dir, sub), { recursive: true, filter: (src) => !src.includes('/.actlab') });
  }
  const base = parseJsonc(readFileSync(quickstart, 'utf8')) as RawConfig;
  if (base.activations.length < 2) throw new Error('the quick-start config needs at least 2 activations');
  const write = (file: string, cfg: unknown): string => {
    writeFileSync(join(dir, 'examples', file), `${JSON.stringify(cfg, null, 2)}\n`);
    return `examples/${file}`;
  };
  const quick = write('e2e-quick.actlab.json', shrink(base, 'e2e quick', 1, 300));
  // Long enough (tens of seconds) to be watched growing and stopped half-way.
  const long = write('e2e-long.actlab.json', shrink(base, 'e2e long', 200, 2000));
  // Two independent mistakes: an unknown activation type and a negative epoch count.
  const bad = shrink(base, 'e2e broken', 1, 300);
  const broken = write('e2e-broken.actlab.json', {
    ...bad,
    activations: [{ ...bad.activations[0], type: 'notAnActivation' }, ...bad.activations.slice(1)],
    training: { ...bad.training, epochs: -3 },
  });
  return { dir, quick, long, broken };
}

// --- the run folders ---------------------------------------------------------------------------
// Runs go to .actlab/runs next to the config (the extension's default `runsFolder`).
const runsDir = (ws: Workspace): string => join(ws.dir, 'examples', '.actlab', 'runs');

function runIds(ws: Workspace): string[] {
  const d = runsDir(ws);
  if (!existsSync(d)) return [];
  return readdirSync(d).filter((n) => statSync(join(d, n)).isDirectory()).sort();
}

function readEvents(ws: Workspace, runId: string): ActlabEvent[] {
  const file = join(runsDir(ws), runId, 'events.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).flatMap((l) => {
    try {
      return [JSON.parse(l) as ActlabEvent];
    } catch {
      return []; // a line being written right now
    }
  });
}

function readSummary(ws: Workspace, runId: string): Summary | undefined {
  const file = join(runsDir(ws), runId, 'summary.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Summary;
  } catch {
    return undefined;
  }
}

async function newRunId(ws: Workspace, before: readonly string[], timeoutMs = 60_000): Promise<string> {
  return poll('a new run folder', timeoutMs, async () => runIds(ws).find((id) => !before.includes(id)));
}

/** Trainer processes of the installed extension (other trainers on the machine are not ours). */
function ourTrainers(profile: Profile): number[] {
  try {
    const out = execFileSync('pgrep', ['-f', `${profile.extensionsDir}/.*dist/trainer\\.js`], { encoding: 'utf8' });
    return out.split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

// --- steps -------------------------------------------------------------------------------------
let page: Page | undefined;
async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
  const started = Date.now();
  console.log(`[e2e ui] ${name} ...`);
  try {
    const r = await body();
    if (page) await screenshot(page, `ui-${name}`);
    console.log(`[e2e ui] ${name}: ok in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return r;
  } catch (e) {
    if (page) {
      await screenshot(page, `ui-${name}-FAILED`);
      const toasts = await notifications(page).catch(() => []);
      if (toasts.length) console.error(`[e2e ui] notifications: ${toasts.join(' | ')}`);
    }
    console.error(`[e2e ui] ${name}: FAILED after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    throw e;
  }
}

/** Runs the open config from the palette; answers a config picker if the command shows one. */
async function runFromPalette(p: Page, configFile: string): Promise<void> {
  await runCommand(p, paletteTitle('activationLab.runExperiment'));
  await sleep(500);
  if (await isQuickPickOpen(p)) await pickQuickItem(p, configFile.split('/').pop() ?? configFile);
}

async function main(): Promise<void> {
  const vsix = process.argv[2];
  if (!vsix || !existsSync(vsix)) throw new Error(`usage: ui.ts <extension.vsix> (got ${vsix ?? 'nothing'})`);
  // Only this test's screenshots: other parts (and other people's runs) keep theirs.
  for (const f of existsSync(resultsDir) ? readdirSync(resultsDir) : []) {
    if (/^e2e-ui-.*\.png$/.test(f)) rmSync(join(resultsDir, f), { force: true });
  }
  const ws = makeWorkspace();
  const profile = createProfile();
  let server: CodeServer | undefined;
  const browser = await launchBrowser();
  try {
    await step('install', async () => installExtension(resolve(vsix), profile));
    server = await startCodeServer({ profile });
    const p = await newPage(browser);
    page = p;
    const pageErrors: string[] = [];
    p.on('pageerror', (e) => pageErrors.push(String(e)));

    await step('workbench', async () => {
      await p.goto(`${server!.url}/?folder=${encodeURIComponent(ws.dir)}`);
      await waitForWorkbench(p);
    });

    await step('diagnostics', async () => {
      await openFile(p, ws.broken);
      const rows = await poll('actlab diagnostics in the Problems panel', 60_000, async () => {
        const r = await problems(p);
        const ours = r.filter((x) => /actlab/i.test(x) && /error/i.test(x));
        return ours.length >= 2 ? ours : undefined;
      }, 1000);
      console.log(`[e2e ui] problems: ${rows.join(' | ')}`);
      await screenshot(p, 'ui-diagnostics');
      // The Problems panel would cover the results panel in the later screenshots.
      await runCommand(p, 'View: Hide Panel');
      assert.ok(rows.some((r) => /notAnActivation/.test(r)), 'no diagnostic names the unknown activation type');
      assert.ok(rows.some((r) => /epochs/i.test(r)), 'no diagnostic about the negative epoch count');
    });

    const quickRun = await step('run-quick', async () => {
      await openFile(p, ws.quick);
      const before = runIds(ws);
      await runFromPalette(p, ws.quick);
      const runId = await newRunId(ws, before);
      const frame = await panelFrame(p, runId);
      // Live data: the loss chart has points before the run ends or, for a run this small, at least
      // once it has (the growth check is on the long run below).
      await poll('points on the loss chart', 120_000, async () => {
        const charts = await chartsOf(frame);
        return charts && lossPoints(charts) > 0 ? true : undefined;
      }, 500);
      const onDisk = await poll('summary.json of the finished run', 180_000, async () => {
        const s = readSummary(ws, runId);
        return s && s.status !== 'running' ? s : undefined;
      }, 1000);
      assert.equal(onDisk.status, 'completed', `the quick run ended ${onDisk.status}`);
      assert.equal(onDisk.arms.length, 2);
      // The panel's table shows those numbers (cells carry the raw mean in data-mean).
      const cells = await poll('the summary table of the finished run', 30_000, async () => {
        const s = await summaryOf(frame);
        if (!s || s.status !== 'completed') return undefined;
        const rows = await frame.$$eval('#summary-table vscode-table-row', (els) => els.map((r) => ({
          armId: (r as HTMLElement).dataset.armId ?? '',
          cells: Object.fromEntries([...r.querySelectorAll('vscode-table-cell')].map((c) => [(c as HTMLElement).dataset.key ?? '', (c as HTMLElement).dataset.mean ?? c.textContent ?? ''])),
        })));
        return rows.length === onDisk.arms.length ? rows : undefined;
      }, 500);
      for (const arm of onDisk.arms) {
        const row = cells.find((r) => r.armId === arm.armId);
        assert.ok(row, `no table row for ${arm.armId}`);
        for (const key of ['finalTestAccuracy', 'finalTestLoss', 'bestTestAccuracy'] as const) {
          const expected = arm[key]?.mean;
          assert.ok(expected !== undefined, `summary.json has no ${key} for ${arm.armId}`);
          assert.ok(Math.abs(Number(row.cells[key]) - expected) < 1e-9, `${arm.armId} ${key}: table ${row.cells[key]}, summary.json ${expected}`);
        }
      }
      const charts = (await chartsOf(frame)) ?? [];
      console.log(`[e2e ui] quick run ${runId}: ${lossPoints(charts)} train-loss points, arms ${onDisk.arms.map((a) => `${a.label} ${a.finalTestAccuracy?.mean.toFixed(3)}`).join(', ')}`);
      return runId;
    });

    const longRun = await step('run-and-stop', async () => {
      await openFile(p, ws.long);
      const before = runIds(ws);
      await runFromPalette(p, ws.long);
      const runId = await newRunId(ws, before);
      const frame = await panelFrame(p, runId);
      // Growth of one and the same curve (not a second arm's first point): an arm that already had
      // points must gain more while the run goes on.
      const first = await poll('the first loss points of the long run', 120_000, async () => {
        const counts = mainCounts((await chartsOf(frame)) ?? []);
        return [...counts.values()].some((n) => n > 0) ? counts : undefined;
      }, 250);
      const grown = await poll('a loss curve gaining points while the run goes on', 120_000, async () => {
        const counts = mainCounts((await chartsOf(frame)) ?? []);
        return [...first].find(([label, n]) => n > 0 && (counts.get(label) ?? 0) > n)?.[0];
      }, 250);
      const later = mainCounts((await chartsOf(frame)) ?? []);
      assert.ok(!readEvents(ws, runId).some((e) => e.type === 'runEnd'), 'the long run ended before it could be stopped');
      assert.ok(ourTrainers(profile).length > 0, 'no trainer process of the installed extension is running');
      console.log(`[e2e ui] long run ${runId}: ${grown} train-loss points ${first.get(grown)} -> ${later.get(grown)} while running; stopping`);
      // The config's CodeLens follows the run: Stop while it runs, Run again once it has ended.
      await poll('a Stop CodeLens on the running config', 15_000, async () => ((await codeLenses(p)).some((t) => /Stop/.test(t)) ? true : undefined), 250);
      await screenshot(p, 'ui-run-and-stop-live');
      await runCommand(p, paletteTitle('activationLab.stopRun'));
      await sleep(500);
      if (await isQuickPickOpen(p)) await pickQuickItem(p, /e2e long/);
      const ended = await poll('the cancelled job in events.jsonl', 60_000, async () => {
        const events = readEvents(ws, runId);
        const end = events.find((e) => e.type === 'runEnd');
        return end ? events : undefined;
      }, 500);
      const jobEnds = ended.filter((e) => e.type === 'jobEnd');
      assert.ok(jobEnds.some((e) => e.type === 'jobEnd' && e.status === 'cancelled'), `no job ended cancelled: ${JSON.stringify(jobEnds)}`);
      const runEnd = ended.find((e) => e.type === 'runEnd');
      assert.equal(runEnd?.type === 'runEnd' ? runEnd.status : undefined, 'cancelled');
      await poll('no trainer process left', 15_000, async () => (ourTrainers(profile).length === 0 ? true : undefined), 500);
      await poll('the Run CodeLens back on the stopped config', 15_000, async () => {
        const lenses = await codeLenses(p);
        return lenses.some((t) => /Run/.test(t)) && !lenses.some((t) => /Stop/.test(t)) ? true : undefined;
      }, 250);
      return runId;
    });

    await step('reload-and-reopen', async () => {
      // Reload as a user does: the workbench saves its state (open editors and panels) on the way
      // down. A bare page reload can beat that save; once it restored the older of two panels.
      const reloaded = p.waitForEvent('framenavigated', { predicate: (f) => f === p.mainFrame(), timeout: 60_000 });
      await runCommand(p, 'Developer: Reload Window');
      await reloaded;
      await waitForWorkbench(p);
      // The panel that was in front comes back by itself (the webview serializer), with its data.
      const restored = await panelFrame(p, longRun, 60_000);
      assert.equal((await summaryOf(restored))?.status, 'cancelled');
      await screenshot(p, 'ui-reload-restored');
      // Then, with every editor closed, the Runs view is the way back to a run.
      await runCommand(p, 'View: Close All Editors');
      const views = Object.values(manifest.contributes?.views ?? {}).flat();
      const runsView = views.find((v) => v.id === 'activationLab.runs');
      assert.ok(runsView, 'package.json contributes no activationLab.runs view');
      // Every view gets a "<Container>: Focus on <Name> View" command.
      const containerId = Object.entries(manifest.contributes?.views ?? {}).find(([, vs]) => vs.some((v) => v.id === runsView.id))?.[0] ?? '';
      const builtIn: Record<string, string> = { explorer: 'Explorer', scm: 'Source Control', debug: 'Run and Debug', test: 'Testing' };
      const container = Object.values(manifest.contributes?.viewsContainers ?? {}).flat().find((c) => c.id === containerId);
      await runCommand(p, `${container?.title ?? builtIn[containerId] ?? containerId}: Focus on ${runsView.name} View`);
      const row = p.locator('.pane-body .monaco-list-row').filter({ hasText: 'e2e quick' }).first();
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      // A run's row opens its results (the tree item's command).
      await row.click();
      const opened = await panelFrame(p, quickRun, 30_000);
      await poll('the reopened run\'s loss curves', 30_000, async () => {
        const charts = await chartsOf(opened);
        return charts && lossPoints(charts) > 0 ? true : undefined;
      }, 500);
      assert.equal((await summaryOf(opened))?.status, 'completed');
      // Compared as JSON: structuredClone keeps `undefined` members that summary.json omits.
      const asJson = (x: unknown): unknown => JSON.parse(JSON.stringify(x ?? null));
      assert.deepEqual(asJson(await summaryOf(opened)), asJson(readSummary(ws, quickRun)), 'the reopened panel\'s summary differs from summary.json');
    });

    await step('compare-two-runs', async () => {
      // Two runs selected in the Runs view (it allows several), compared from the context menu:
      // one results panel with both runs' arms, prefixed by the run.
      const quickRow = p.locator('.pane-body .monaco-list-row').filter({ hasText: 'e2e quick' }).first();
      const longRow = p.locator('.pane-body .monaco-list-row').filter({ hasText: 'e2e long' }).first();
      await quickRow.click();
      await longRow.click({ modifiers: ['ControlOrMeta'] });
      await longRow.click({ button: 'right' });
      const item = p.locator('.context-view .action-label').filter({ hasText: 'Compare Runs' }).first();
      await item.waitFor({ state: 'visible', timeout: 15_000 });
      // The workbench's menu ignores a click that comes right as it opens: hover first, and if it
      // is still open, choose by keyboard (the item is the menu's last: ArrowUp from the top wraps to it).
      await item.hover();
      await sleep(300);
      await item.click();
      await sleep(1000);
      if (await item.isVisible()) { await p.keyboard.press('ArrowUp'); await p.keyboard.press('Enter'); }
      const compared = await poll('the comparison panel', 60_000, async () => {
        for (const frame of p.frames()) {
          if (frame === p.mainFrame() || frame.isDetached()) continue;
          const id = await summaryOf(frame).then((x) => x?.runId, () => undefined);
          if (id?.startsWith('compare:') && id.includes(quickRun) && id.includes(longRun)) return frame;
        }
        return undefined;
      }, 500);
      const summary = await summaryOf(compared);
      const armsOf = (runId: string): number => readSummary(ws, runId)?.arms.length ?? 0;
      assert.equal(summary?.arms.length, armsOf(quickRun) + armsOf(longRun), 'the comparison holds every arm of both runs');
      assert.ok(summary?.arms.every((a) => / · /.test(a.label)), 'each arm is prefixed by its run');
      await poll('the comparison\'s loss curves', 30_000, async () => ((await chartsOf(compared))?.some((c) => c.id === 'curves.trainLoss' && c.datasets.some((d) => d.points > 0)) ? true : undefined), 500);
      await screenshot(p, 'ui-compare');
    });

    const ours = pageErrors.filter((e) => /actlab|activation/i.test(e));
    assert.deepEqual(ours, [], 'uncaught errors in the page');
  } finally {
    await browser.close().catch(() => undefined);
    await server?.stop();
    rmSync(profile.root, { recursive: true, force: true });
    if (!process.env.E2E_KEEP) rmSync(ws.dir, { recursive: true, force: true });
    else console.log(`[e2e ui] kept the workspace ${ws.dir}`);
  }
}

main().then(() => process.exit(0), (e: unknown) => {
  console.error(e instanceof Error ? e.stack ?? e.message : String(e));
  process.exit(1);
});
