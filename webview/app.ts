/**
 * Wires host messages → model → views. Events are queued as they arrive and applied once per
 * animation frame; then each registered view (webview/views) gets that frame's dirty flags and
 * redraws only what they name. View-option changes reach the views' rebuild hooks as the set of
 * changed keys, so toggles restructure datasets without recreating charts.
 */
import type { ActlabEvent, HostToWebview } from '../src/core/protocol';
import { summarizeState, type Summary } from '../src/core/summary';
import { chartsCreated, destroyCharts, snapshotCharts } from './charts/base';
import { currentHeatmap } from './charts/heatmap';
import { el } from './components/dom';
import { ArmList } from './components/armList';
import { stylesOf } from './charts/styles';
import { buildHeader, type Header } from './components/header';
import { Loading, nextTask } from './components/loading';
import { configureSaving } from './components/save';
import { SummaryTable } from './components/summaryTable';
import { buildTabs } from './components/tabs';
import { buildToolbar } from './components/toolbar';
import { connectHost, type Host } from './host';
import { loadPacked, packedChunkElements } from './state/reportChunks';
import { createModel, type Dirty, type RunModel } from './state/runModel';
import { addPacked, applyQueued, foldNextPending } from './state/packedFold';
import type { JobColumns } from './state/packed';
import { restoreView, type ViewState } from './state/viewState';
import { readTheme, watchTheme, type Theme } from './theme';
import { VIEWS } from './views';
import type { PanelView, ViewContext, ViewInstance, ViewKey } from './views/types';

type Init = Extract<HostToWebview, { type: 'init' }>;

/**
 * Work per animation frame stays under this many ms where it can be split: events are folded
 * in slices, and views whose turn did not come keep their dirty flags for the next frame (a
 * 200-arm report draws its views over a few frames instead of one long task).
 */
const FRAME_BUDGET_MS = 40;
/** Work folded between two clock reads: events, and a packed job's rows. */
const FOLD_SLICE = 2000;

const ALL_DIRTY: readonly Dirty[] = ['curves', 'steps', 'sigma', 'probes', 'status', 'summary'];

/**
 * Above this many jobs the views of tabs not shown are drawn on their tab's first visit, not in
 * the background: a chart drawn in a hidden tab has no size and Chart.js draws it again, in
 * full, when it is first shown, so the background work would be thrown away (at 200 arms, a
 * few hundred ms per chart).
 */
export const LAZY_TABS_JOBS = 100;

interface BuiltView { def: PanelView; instance: ViewInstance; dirty: Set<Dirty>; changed: Set<ViewKey>; more: boolean }

/** What one init message built; replaced wholesale by the next init. */
interface Built {
  model: RunModel;
  ctx: ViewContext;
  views: BuiltView[];
  header: Header;
  arms: ArmList;
  /** Shown while a large initial event list is folded; removed after the first full draw. */
  loading?: Loading;
  /** Events in the initial queue and packed jobs (for the progress bar). */
  initial: number;
  table: SummaryTable;
  summary?: Summary;
  /** The summary changed since the table was last rendered. */
  tableDue?: boolean;
  /** Views not made yet (a large load makes them in its first flushes), and how one is made. */
  toCreate: PanelView[];
  create: (def: PanelView) => void;
  /** Hidden tabs wait for their first visit (LAZY_TABS_JOBS). */
  lazy: boolean;
}

class App {
  private view: ViewState;
  private theme: Theme = readTheme();
  private built: Built | undefined;
  private queue: ActlabEvent[] = [];
  /** Events before this index of `queue` are folded (an index, not slicing: at 600,000 events each slice copied the rest). */
  private head = 0;
  /** View-state keys changed since the last frame (for the views' rebuild hooks). */
  private changed = new Set<ViewKey>();
  private frame = 0;
  private frames = 0;
  private inits = 0;
  /** A static report's packed chunks are being decoded (before the build). */
  private decoding = false;
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
    if (msg.type === 'init') { void this.init(msg); return; }
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

  /**
   * The next flush: at the next animation frame, or while a large load is in progress in a
   * task of its own (Chromium runs the callbacks of frames it is late for in one task: the
   * 40 ms slices of a 200-arm load became 300 ms tasks).
   */
  private schedule(): void {
    if (this.frame) return;
    if (this.built?.loading) { this.frame = -1; void nextTask().then(() => this.flush()); return; }
    this.frame = requestAnimationFrame(() => this.flush());
  }

  /** A static report's packed chunks are decoded first (one per task, with progress), then built. */
  private async init(msg: Init): Promise<void> {
    const chunks = this.host.mode === 'static' ? packedChunkElements() : [];
    if (!chunks.length) { this.build(msg, []); return; }
    this.root.replaceChildren();
    const loading = new Loading(this.root);
    this.decoding = true;
    const packed = await loadPacked(chunks, nextTask,
      (done, total) => loading.set(0.5 * (done / total), `Reading the run: ${done} / ${total} parts`), (why) => this.errors.push(why));
    this.decoding = false;
    this.build(msg, packed, loading);
  }

  /** A new model from the init message's events and a static report's packed jobs. */
  private build(msg: Init, packed: readonly JobColumns[], loading?: Loading): void {
    this.inits++;
    destroyCharts();
    this.root.replaceChildren();
    const model = createModel(msg.runId, msg.config, msg.live);
    addPacked(model, packed);
    this.queue = [...msg.events];
    this.head = 0;
    this.changed.clear();
    const ctx = this.context(model);
    configureSaving(this.host, model.config.name);
    const header = buildHeader(this.root, this.host, model);
    const summary = this.root.appendChild(el('section', 'summary'));
    const table = new SummaryTable(summary, this.view.sortKey, this.view.sortDir, (sortKey, sortDir) => this.save({ sortKey, sortDir }));
    buildToolbar(this.root, this.view, (patch) => this.save(patch));
    const arms = new ArmList(this.root, model.config.arms, stylesOf(model, this.theme), () => this.view, (patch) => this.save(patch));
    const panels = buildTabs(this.root, this.views, this.view.tab, (tab) => this.save({ tab }));
    const views: Built['views'] = [];
    const create = (def: PanelView): void => {
      const instance = this.guard(def, () => def.create(panels.get(def.tab)!, ctx));
      if (instance) views.push({ def, instance, dirty: new Set(ALL_DIRTY), changed: new Set(), more: false });
    };
    // A long event list is folded over several frames: say so meanwhile.
    if (!loading && this.queue.length > FOLD_SLICE * 5) loading = new Loading(this.root);
    // Views are made before the fold, while the model is empty (cheap), and fill as it proceeds:
    // made after a large fold, their first draw would be one multi-second task. During a large
    // load they are made by the first flushes, a few per task (at 200 arms, ~100 ms each).
    const toCreate = [...this.views];
    if (!loading) while (toCreate.length) create(toCreate.shift()!);
    loading?.attach(this.root);
    delete document.body.dataset.rendered;
    this.built = {
      model, ctx, views, header, table, arms, ...(loading ? { loading } : {}), toCreate, create,
      initial: this.queue.length + model.pendingPacked.size, lazy: model.config.jobs.length > LAZY_TABS_JOBS,
    };
    this.schedule();
  }

  /** What views see: the model of this init, and the app's current view state and theme. */
  private context(model: RunModel): ViewContext {
    const app = this;
    return {
      model,
      get view() { return app.view; },
      get theme() { return app.theme; },
      get summary() { return app.built?.model === model ? app.built.summary : undefined; },
      save: (patch) => this.save(patch),
      schedule: () => this.schedule(),
    };
  }

  private flush(): void {
    this.frame = 0;
    const b = this.built;
    if (!b) return;
    this.frames++;
    const start = performance.now();
    const m = b.model;
    const over = (): boolean => performance.now() - start > FRAME_BUDGET_MS;
    while (b.toCreate.length && !over()) b.create(b.toCreate.shift()!);
    if (b.toCreate.length) { this.schedule(); return; }
    // A fold that used up the frame leaves the summary and the drawing to the next.
    if (!this.fold(b, start) || over()) { this.schedule(); return; }
    for (const v of b.views) { for (const d of m.dirty) v.dirty.add(d); for (const k of this.changed) v.changed.add(k); }
    if (this.changed.has('hiddenArms') || this.changed.has('highlightArm')) b.arms.sync();
    this.changed = new Set();
    if (m.dirty.has('status')) b.header.update(m);
    if (m.dirty.has('summary')) { b.summary = summarizeState(m.config, m.state, m.runId); b.tableDue = true; }
    m.dirty.clear();
    // At 200 arms the summary, the table and the first chart are ~100 ms each: one per frame
    // then, not one long task (the views keep their flags meanwhile).
    if (b.tableDue && b.summary) {
      if (over()) { this.schedule(); return; }
      b.table.render(b.summary);
      b.tableDue = false;
      if (over()) { this.schedule(); return; }
    }
    // The selected tab's views first: what the user looks at is drawn in the first frame.
    const order = [...b.views].sort((x, y) => Number(y.def.tab === this.view.tab) - Number(x.def.tab === this.view.tab));
    let left = false;
    for (const v of order) {
      if (!(v.dirty.size > 0 || v.changed.size > 0 || v.more)) continue;
      // A large run's hidden tabs keep their flags until their tab is shown.
      if (b.lazy && v.def.tab !== this.view.tab) continue;
      if (v !== order[0] && over()) { left = true; continue; }
      this.runView(b, v);
      if (v.more) left = true;
    }
    if (left) { this.schedule(); return; }
    b.loading?.done();
    delete b.loading;
    // The marker the timing tests wait for: everything queued is folded, and every view that is
    // due (all of them; for a large run, the shown tab's) has drawn all it had to.
    document.body.dataset.rendered = 'true';
  }

  /**
   * Folds queued events (and the packed jobs they reach) within the frame's budget; false while
   * some are left for the next frame.
   */
  private fold(b: Built, start: number): boolean {
    const q = this.queue;
    const m = b.model;
    const over = (): boolean => b.loading !== undefined && performance.now() - start > FRAME_BUDGET_MS;
    while (this.head < q.length) {
      for (let work = 0; work < FOLD_SLICE && this.head < q.length;) work += applyQueued(m, q[this.head++]!);
      if (over()) break;
    }
    // Packed jobs that never ended (a run cut short): after every event, as the trainer wrote them.
    if (this.head === q.length) while (m.pendingPacked.size && !over()) for (let work = 0; work < FOLD_SLICE && m.pendingPacked.size;) work += foldNextPending(m);
    const left = q.length - this.head + m.pendingPacked.size;
    if (this.head === q.length) { this.queue = []; this.head = 0; }
    if (b.loading) b.loading.set(0.5 + 0.5 * (1 - left / Math.max(1, b.initial)), `Loading ${b.initial - left} / ${b.initial} events and jobs`);
    return left === 0;
  }

  private runView(b: Built, v: BuiltView): void {
    const dirty = v.dirty; const changed = v.changed;
    v.dirty = new Set(); v.changed = new Set();
    v.more = false;
    this.guard(v.def, () => {
      if (changed.size) v.instance.rebuild?.(changed, b.ctx);
      v.more = v.instance.update(dirty, b.ctx) === true;
    });
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
        pending: () => this.queue.length - this.head + (this.built?.model.pendingPacked.size ?? 0) + (this.frame || this.decoding ? 1 : 0),
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
