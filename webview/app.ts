/**
 * Wires host messages → model → views. Events are queued as they arrive and applied once per
 * animation frame; only the views whose data changed redraw, and toggles restructure datasets
 * without recreating charts.
 */
import { eventsToCsv } from '../src/core/csv';
import type { ActlabEvent, HostToWebview } from '../src/core/protocol';
import { summarize, type Summary } from '../src/core/summary';
import { ActivationsView } from './charts/activations';
import { chartsCreated, destroyCharts, snapshotCharts } from './charts/base';
import { CurvesView } from './charts/curves';
import { DeadView } from './charts/dead';
import { Heatmap } from './charts/heatmap';
import { SigmaView } from './charts/sigma';
import { Select, button, checkbox, slider } from './components/controls';
import { el } from './components/dom';
import { statusText } from './components/statusLine';
import { SummaryTable } from './components/summaryTable';
import { connectHost, type Host } from './host';
import { applyEvents, createModel, type RunModel } from './state/runModel';
import { TABS, restoreView, type ViewState } from './state/viewState';
import { readTheme, watchTheme, type Theme } from './theme';

type Rebuild = 'curves' | 'dead' | 'heatmap';

interface Views {
  model: RunModel;
  curves: CurvesView;
  sigma: SigmaView;
  dead: DeadView;
  activations: ActivationsView;
  heatmap: Heatmap;
  heatSelects: { arm: Select; seed: Select; layer: Select };
  table: SummaryTable;
  status: HTMLElement;
  logLine: HTMLElement;
  stop: HTMLElement | undefined;
  report: HTMLElement | undefined;
  summary?: Summary;
}

export function startApp(): void {
  const host = connectHost();
  const root = document.getElementById('app') ?? document.body.appendChild(el('div'));
  root.id = 'app';
  let view = restoreView(host.getState());
  let theme = readTheme();
  let v: Views | undefined;
  let queue: ActlabEvent[] = [];
  const rebuild = new Set<Rebuild>();
  let frame = 0;
  let frames = 0;
  let inits = 0;
  const errors: string[] = [];

  const saveView = (patch: Partial<ViewState>): void => {
    view = { ...view, ...patch };
    host.setState(view);
  };

  const schedule = (): void => {
    if (!frame) frame = requestAnimationFrame(flush);
  };

  function flush(): void {
    frame = 0;
    if (!v) return;
    frames++;
    const m = v.model;
    if (queue.length) { applyEvents(m, queue); queue = []; }
    if (rebuild.has('curves')) { v.curves.rebuild(m, view, theme); m.dirty.delete('curves'); m.dirty.delete('steps'); }
    if (m.dirty.has('curves') || m.dirty.has('steps')) v.curves.refresh(view);
    if (m.dirty.has('sigma') || m.dirty.has('status')) v.sigma.refresh();
    if (rebuild.has('dead') || (m.dirty.has('probes') && v.dead.needsRebuild(m))) v.dead.rebuild(m, view, theme);
    else if (m.dirty.has('probes')) v.dead.refresh();
    if (m.dirty.has('probes') || rebuild.has('heatmap')) updateHeatmap(v);
    if (m.dirty.has('status')) {
      v.status.textContent = statusText(m);
      const last = m.logs[m.logs.length - 1];
      v.logLine.textContent = last ? `${last.level}: ${last.jobId ? `${last.jobId}: ` : ''}${last.message}` : '';
      v.logLine.className = `log-line ${last?.level ?? ''}`;
      if (v.stop) v.stop.hidden = !m.live;
      if (v.report) v.report.hidden = m.live;
    }
    if (m.dirty.has('summary')) {
      v.summary = summarize(m.config, m.events, m.runId);
      v.table.render(v.summary);
    }
    m.dirty.clear();
    rebuild.clear();
  }

  function updateHeatmap(views: Views): void {
    const m = views.model;
    const arm = m.arms[view.heatmapArm] ?? m.arms[0];
    if (!arm) return;
    const seeds = arm.jobs.map((j) => ({ value: String(j.spec.seed), label: `seed ${j.spec.seed}` }));
    const seed = arm.jobs.some((j) => j.spec.seed === view.heatmapSeed) ? view.heatmapSeed : (arm.jobs[0]?.spec.seed ?? 0);
    const layer = m.layerNames.includes(view.heatmapLayer) ? view.heatmapLayer : (m.layerNames[0] ?? '');
    if (views.heatSelects.seed.element.childElementCount !== seeds.length || views.heatSelects.seed.value !== String(seed)) views.heatSelects.seed.setOptions(seeds, String(seed));
    if (views.heatSelects.layer.element.childElementCount !== m.layerNames.length) views.heatSelects.layer.setOptions(m.layerNames.map((l) => ({ value: l, label: l })), layer);
    views.heatmap.draw(m, { arm: arm.index, seed, layer }, theme);
  }

  function build(msg: Extract<HostToWebview, { type: 'init' }>): void {
    inits++;
    destroyCharts();
    root.replaceChildren();
    const model = createModel(msg.runId, msg.config, msg.live);
    queue = [...msg.events];

    const top = root.appendChild(el('header', 'topbar'));
    const titles = top.appendChild(el('div', 'titles'));
    titles.appendChild(el('h1', '', msg.config.name));
    const status = titles.appendChild(el('div', 'status-line'));
    status.id = 'status-line';
    const logLine = titles.appendChild(el('div', 'log-line'));
    logLine.id = 'log-line';
    const actions = top.appendChild(el('div', 'actions'));
    let stop: HTMLElement | undefined;
    const fail = (e: unknown): void => { logLine.textContent = (e as Error).message; };
    if (host.mode === 'vscode') {
      stop = button(actions, 'Stop', () => { stop?.setAttribute('disabled', ''); host.request('stop').catch(fail); }, { id: 'btn-stop' });
      stop.hidden = !msg.live;
    }
    button(actions, 'Export CSV', () => {
      if (host.mode === 'vscode') host.request('exportCsv').catch(fail);
      else download(`${msg.runId || 'run'}.csv`, eventsToCsv(model.config, model.events));
    }, { id: 'btn-export', secondary: true });
    let report: HTMLElement | undefined;
    if (host.mode === 'vscode') {
      button(actions, 'Open config', () => { host.request('openConfig').catch(fail); }, { id: 'btn-config', secondary: true });
      // report.html is written when the run ends.
      report = button(actions, 'Open report', () => { host.request('openReport').catch(fail); }, { id: 'btn-report', secondary: true });
      report.hidden = msg.live;
    }

    const summarySection = root.appendChild(el('section', 'summary'));
    const table = new SummaryTable(summarySection, view.sortKey, view.sortDir, (sortKey, sortDir) => saveView({ sortKey, sortDir }));

    const toolbar = root.appendChild(el('div', 'toolbar'));
    new Select(toolbar, 'x axis', [{ value: 'epoch', label: 'per epoch' }, { value: 'step', label: 'per step' }], view.xAxis,
      (x) => { saveView({ xAxis: x === 'step' ? 'step' : 'epoch' }); rebuild.add('curves'); schedule(); }, 'sel-xaxis');
    new Select(toolbar, 'band over seeds', [{ value: 'minmax', label: 'min–max' }, { value: 'std', label: '± std' }, { value: 'none', label: 'none' }], view.band,
      (b) => { saveView({ band: b === 'std' || b === 'none' ? b : 'minmax' }); rebuild.add('curves').add('dead'); schedule(); }, 'sel-band');
    slider(toolbar, 'step-loss smoothing (EMA)', view.smoothing, (s) => { saveView({ smoothing: s }); rebuild.add('curves'); schedule(); }, 'smoothing');
    const checks = toolbar.appendChild(el('div', 'checks'));
    checkbox(checks, 'log scale (loss)', view.logScale, (c) => { saveView({ logScale: c }); rebuild.add('curves'); schedule(); }, 'chk-log');
    checkbox(checks, 'show seeds', view.showSeeds, (c) => { saveView({ showSeeds: c }); rebuild.add('curves'); schedule(); }, 'chk-seeds');

    const tabs = root.appendChild(document.createElement('vscode-tabs'));
    tabs.id = 'tabs';
    const tabTitles: Record<(typeof TABS)[number], string> = { curves: 'Loss & accuracy', sigma: 'σ schedule', dead: 'Dead units', activations: 'Activation shapes' };
    const panels: Record<string, HTMLElement> = {};
    for (const t of TABS) {
      const h = tabs.appendChild(document.createElement('vscode-tab-header'));
      h.setAttribute('slot', 'header');
      // vscode-tabs assigns its own ids to headers and panels: tests find them by data-tab.
      h.dataset.tab = t;
      h.textContent = tabTitles[t];
    }
    for (const t of TABS) {
      const p = tabs.appendChild(document.createElement('vscode-tab-panel'));
      p.dataset.panel = t;
      panels[t] = p;
    }
    tabs.setAttribute('selected-index', String(TABS.indexOf(view.tab)));
    tabs.addEventListener('vsc-tabs-select', (ev) => {
      const i = (ev as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
      const t = TABS[i];
      if (t) saveView({ tab: t });
      rebuild.add('heatmap');
      schedule();
    });

    const curves = new CurvesView(panels.curves!, model, view, theme);
    const sigma = new SigmaView(panels.sigma!, model, theme);
    const dead = new DeadView(panels.dead!, model, view, theme);
    const heatCard = panels.dead!.appendChild(el('section', 'card wide'));
    heatCard.appendChild(el('h3', 'card-title', 'Per-unit fraction of positive pre-activations')).appendChild(
      el('span', 'card-sub', '0 (dark) = never positive: a dead ReLU unit'));
    const heatControls = heatCard.appendChild(el('div', 'toolbar inline'));
    const armSel = new Select(heatControls, 'arm', model.arms.map((a) => ({ value: String(a.index), label: a.spec.label })), String(view.heatmapArm),
      (a) => { saveView({ heatmapArm: Number(a) }); rebuild.add('heatmap'); schedule(); }, 'heat-arm');
    const seedSel = new Select(heatControls, 'seed', [], '', (s) => { saveView({ heatmapSeed: Number(s) }); rebuild.add('heatmap'); schedule(); }, 'heat-seed');
    const layerSel = new Select(heatControls, 'layer', [], '', (l) => { saveView({ heatmapLayer: l }); rebuild.add('heatmap'); schedule(); }, 'heat-layer');
    const heatmap = new Heatmap(heatCard, () => { rebuild.add('heatmap'); schedule(); });
    const activations = new ActivationsView(panels.activations!, model, theme);

    v = { model, curves, sigma, dead, activations, heatmap, heatSelects: { arm: armSel, seed: seedSel, layer: layerSel }, table, status, logLine, stop, report };
    schedule();
  }

  function download(name: string, text: string): void {
    const a = el('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  watchTheme(() => {
    theme = readTheme();
    if (!v) return;
    v.curves.rebuild(v.model, view, theme);
    v.sigma.rebuild(theme);
    v.dead.rebuild(v.model, view, theme);
    v.activations.rebuild(theme);
    rebuild.add('heatmap');
    schedule();
  });

  // Read-only test hook: what the charts hold (labels, roles, raw point counts, colours).
  Object.defineProperty(window, '__actlab', {
    value: Object.freeze({
      mode: host.mode,
      charts: snapshotCharts,
      chartsCreated,
      inits: () => inits,
      frames: () => frames,
      pending: () => queue.length + (frame ? 1 : 0),
      heatmap: () => v?.heatmap.lastDrawn(),
      summary: (): Summary | undefined => (v?.summary ? structuredClone(v.summary) : undefined),
      view: (): ViewState => ({ ...view }),
      errors: () => [...errors],
    }),
  });

  host.start((msg) => {
    if (msg.type === 'init') { build(msg); return; }
    if (msg.type === 'events' && v && msg.runId === v.model.runId) {
      for (const e of msg.events) queue.push(e);
      schedule();
    }
  }, (why) => {
    errors.push(why);
    console.warn(`actlab: ignored a message: ${why}`);
  });
}
