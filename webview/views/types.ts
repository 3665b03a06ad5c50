/**
 * The contract of a panel view: one tab of the results panel. A view is a plain definition
 * ({ tab, title, create }) listed once in ./index.ts; the app builds the tab, calls `create`
 * once per init, and then routes changes to the instance:
 *
 * - `update(dirty)` once per animation frame, with the model's dirty flags of that frame (often
 *   empty: redraw only what the flags name — that keeps a live run cheap). It returns true when
 *   it has more to draw (charts left in its DrawQueue): the app calls it again next frame, and
 *   the page is not marked drawn until it returns false;
 * - `rebuild(changed)` before `update` when view options changed (toolbar, the view's own
 *   controls, the selected tab): restructure datasets, never recreate charts;
 * - `theme()` right after a theme change: recolour in place.
 *
 * View modules must import ViewState as a type only: viewState.ts derives TABS from this
 * registry, and a value import back would be a cycle.
 */
import type { Dirty, RunModel } from '../state/runModel';
import type { ViewState } from '../state/viewState';
import type { Theme } from '../theme';
import type { Summary } from '../../src/core/summary';

export type ViewKey = keyof ViewState;

export interface ViewContext {
  readonly model: RunModel;
  /** The current view state (replaced on every change, so read it when needed, do not keep it). */
  readonly view: ViewState;
  readonly theme: Theme;
  /** The run's summary (summary.json's numbers) as of this frame: computed once per frame by the app, from the model's fold. */
  readonly summary: Summary | undefined;
  /** Persists a view-state change; every view's `rebuild` sees the changed keys next frame. */
  save(patch: Partial<ViewState>): void;
  /** Asks for a frame without new data (a resize): `update` runs with whatever is dirty. */
  schedule(): void;
}

export interface ViewInstance {
  /** True: more to draw next frame (see above). */
  update(dirty: ReadonlySet<Dirty>, ctx: ViewContext): void | boolean;
  rebuild?(changed: ReadonlySet<ViewKey>, ctx: ViewContext): void;
  theme?(ctx: ViewContext): void;
}

export interface PanelView {
  /** Stable id: persisted in the view state and selected on by tests ([data-tab], [data-panel]). */
  readonly tab: string;
  /** The tab header's text. */
  readonly title: string;
  /** Builds the view into its tab panel. Called once per init message. */
  create(panel: HTMLElement, ctx: ViewContext): ViewInstance;
}

/** Whether any of `keys` changed: the usual first line of a `rebuild` hook. */
export function anyChanged(changed: ReadonlySet<ViewKey>, keys: readonly ViewKey[]): boolean {
  return keys.some((k) => changed.has(k));
}
