/**
 * Wires host messages → model → views. Events are queued as they arrive and applied once per
 * animation frame; then each registered view (webview/views) gets that frame's dirty flags and
 * redraws only what they name. View-option changes reach the views' rebuild hooks as the set of
 * changed keys, so toggles restructure datasets without recreating charts.
 */
import type { ActlabEvent, HostToWebview } from '../src/core/protocol';
import { summarize, type Summary } from '../src/core/summary';
import { chartsCreated, destroyCharts, snapshotCharts } from './charts/base';
import { currentHeatmap } from './charts/heatmap';
import { el } from './components/dom';
import { buildHeader, type Header } from './components/header';
import { SummaryTable } from './components/summaryTable';
import { buildTabs } from './components/tabs';
import { buildToolbar } from './components/toolbar';
import { connectHost, type Host } from './host';
import { applyEvents, createModel, type RunModel } from './state/runModel';
import { restoreView, type ViewState } from './state/viewState';
import { readTheme, watchTheme, type Theme } from './theme';
import { VIEWS } from './views';
import type { PanelView, ViewContext, ViewInstance, ViewKey } from './views/types';

type Init = Extract<HostToWebview, { type: 'init' }>;

/** What one init message built; replaced wholesale by the next init. */
interface Built {
  model: RunModel;
  ctx: ViewContext;
  views: { def: PanelView; instance: ViewInstance }[];
  header: Header;
  table: SummaryTable;
  summary?: Summary;
}

class App {
  private view: ViewState;
  private theme: Theme = readTheme();
  private built: Built | undefined;
  private queue: ActlabEvent[] = [];
  /** View-state keys changed since the last frame (for the views' rebuild hooks). */
  private changed = new Set<ViewKey>();
  private frame = 0;
  private frames = 0;
  private inits = 0;
  private readonly errors: string[] = [];

  constructor(private readonly host: Host, private readonly root: HTMLElement, private readonly views: readonly PanelView[]) {
    this.view = restoreView(host.getState());
  }

  start(): void {
    watchTheme(() => this.retheme());
    this.installTestHook();
    this.host.start((msg) => this.receive(msg), (why) => {
      this.errors.push(why);
      console.warn(`actlab: ignored a message: ${why}`);
    });
  }

  private receive(msg: HostToWebview): void {
    if (msg.type === 'init') { this.build(msg); return; }
    if (msg.type === 'events' && this.built && msg.runId === this.built.model.runId) {
      for (const e of msg.events) this.queue.push(e);
      this.schedule();
    }
  }

  private save(patch: Partial<ViewState>): void {
    this.view = { ...this.view, ...patch };
    this.host.setState(this.view);
    for (const k of Object.keys(patch) as ViewKey[]) this.changed.add(k);
    this.schedule();
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  private build(msg: Init): void {
    this.inits++;
    destroyCharts();
    this.root.replaceChildren();
    const model = createModel(msg.runId, msg.config, msg.live);
    this.queue = [...msg.events];
    this.changed.clear();
    const ctx = this.context(model);
    const header = buildHeader(this.root, this.host, model);
    const summary = this.root.appendChild(el('section', 'summary'));
    const table = new SummaryTable(summary, this.view.sortKey, this.view.sortDir, (sortKey, sortDir) => this.save({ sortKey, sortDir }));
    buildToolbar(this.root, this.view, (patch) => this.save(patch));
    const panels = buildTabs(this.root, this.views, this.view.tab, (tab) => this.save({ tab }));
    const views: Built['views'] = [];
    for (const def of this.views) {
      const instance = this.guard(def, () => def.create(panels.get(def.tab)!, ctx));
      if (instance) views.push({ def, instance });
    }
    this.built = { model, ctx, views, header, table };
    this.schedule();
  }

  /** What views see: the model of this init, and the app's current view state and theme. */
  private context(model: RunModel): ViewContext {
    const app = this;
    return {
      model,
      get view() { return app.view; },
      get theme() { return app.theme; },
      save: (patch) => this.save(patch),
      schedule: () => this.schedule(),
    };
  }

  private flush(): void {
    this.frame = 0;
    const b = this.built;
    if (!b) return;
    this.frames++;
    const m = b.model;
    if (this.queue.length) { applyEvents(m, this.queue); this.queue = []; }
    const changed = this.changed;
    this.changed = new Set();
    for (const { def, instance } of b.views) {
      this.guard(def, () => {
        if (changed.size) instance.rebuild?.(changed, b.ctx);
        instance.update(m.dirty, b.ctx);
      });
    }
    if (m.dirty.has('status')) b.header.update(m);
    if (m.dirty.has('summary')) {
      b.summary = summarize(m.config, m.events, m.runId);
      b.table.render(b.summary);
    }
    m.dirty.clear();
  }

  private retheme(): void {
    this.theme = readTheme();
    const b = this.built;
    if (!b) return;
    for (const { def, instance } of b.views) this.guard(def, () => instance.theme?.(b.ctx));
    this.schedule();
  }

  /** One failing view must not blank the panel: its error is reported, the others draw. */
  private guard<T>(def: PanelView, run: () => T): T | undefined {
    try {
      return run();
    } catch (e) {
      const why = `view '${def.tab}': ${e instanceof Error ? e.message : String(e)}`;
      this.errors.push(why);
      console.error(`actlab: ${why}`);
      return undefined;
    }
  }

  /** Read-only test hook: what the charts hold (labels, roles, raw point counts, colours). */
  private installTestHook(): void {
    Object.defineProperty(window, '__actlab', {
      value: Object.freeze({
        mode: this.host.mode,
        charts: snapshotCharts,
        chartsCreated,
        inits: () => this.inits,
        frames: () => this.frames,
        pending: () => this.queue.length + (this.frame ? 1 : 0),
        heatmap: currentHeatmap,
        summary: (): Summary | undefined => (this.built?.summary ? structuredClone(this.built.summary) : undefined),
        view: (): ViewState => ({ ...this.view }),
        errors: () => [...this.errors],
        views: () => this.views.map(({ tab, title }) => ({ tab, title })),
      }),
    });
  }
}

export function startApp(): void {
  const root = document.getElementById('app') ?? document.body.appendChild(el('div'));
  root.id = 'app';
  new App(connectHost(), root, VIEWS).start();
}
