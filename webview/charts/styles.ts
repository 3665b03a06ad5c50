/**
 * Per-arm drawing style of the current model and theme (./state/armStyles.ts), computed once
 * per (model, theme) and shared by every chart; plus which arms the arm list hides or
 * highlights, applied to datasets in place (no restructure: a toggle costs O(datasets)).
 */
import type { Chart } from 'chart.js';
import { armStyles, type ArmStyle } from '../state/armStyles';
import type { Pt } from '../state/aggregate';
import type { RunModel } from '../state/runModel';
import type { ViewState } from '../state/viewState';
import type { Theme } from '../theme';

let cache: { model: RunModel; theme: Theme; styles: ArmStyle[] } | undefined;

export function stylesOf(model: RunModel, theme: Theme): ArmStyle[] {
  if (cache?.model !== model || cache.theme !== theme) cache = { model, theme, styles: armStyles(model.config.arms, theme.palette, theme.dark) };
  return cache.styles;
}

/** Above this many arms the charts drop their Chart.js legends: the arm list is the legend. */
export const LEGEND_MAX_ARMS = 12;
/** Above this many points per chart, per-epoch markers are off (they would be a smear). */
export const MARKERS_MAX_POINTS = 3000;

const owners = new WeakMap<object, { arm: number; width: number }>();

/** Marks a dataset as drawing arm `arm` (for hide/highlight). */
export function own<T extends object>(ds: T, arm: number, width = 1.75): T {
  owners.set(ds, { arm, width });
  return ds;
}

/** Hidden and highlighted arms from the view state, as arm indices. */
export function armSelection(model: RunModel, view: ViewState): { hidden: Set<number>; highlight: number } {
  const ids = new Set(view.hiddenArms);
  const hidden = new Set<number>();
  let highlight = -1;
  for (const a of model.arms) {
    if (ids.has(a.spec.armId)) hidden.add(a.index);
    if (a.spec.armId === view.highlightArm) highlight = a.index;
  }
  return { hidden, highlight };
}

/** Applies hidden/highlighted arms to a chart's datasets (plus `extraHidden` per dataset) and redraws (unless `redraw` is false). */
export function applySelection(chart: Chart<'line', Pt[]>, sel: { hidden: Set<number>; highlight: number }, extraHidden?: (ds: object) => boolean, redraw = true): void {
  for (const ds of chart.data.datasets) {
    const o = owners.get(ds);
    if (!o) continue;
    ds.hidden = sel.hidden.has(o.arm) || (extraHidden?.(ds) ?? false);
    const lit = sel.highlight === o.arm;
    if (o.width > 0) ds.borderWidth = lit ? o.width + 2 : o.width;
    ds.order = lit ? -1 : 0;
  }
  if (redraw) chart.update('none');
}
