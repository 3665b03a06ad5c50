/** The options every chart view may read: x axis, band over seeds, smoothing, log scale, seeds. */
import type { ViewState } from '../state/viewState';
import { Select, checkbox, slider } from './controls';
import { el } from './dom';

export function buildToolbar(root: HTMLElement, view: ViewState, save: (patch: Partial<ViewState>) => void): void {
  const toolbar = root.appendChild(el('div', 'toolbar'));
  new Select(toolbar, 'x axis', [{ value: 'epoch', label: 'per epoch' }, { value: 'step', label: 'per step' }], view.xAxis,
    (x) => save({ xAxis: x === 'step' ? 'step' : 'epoch' }), 'sel-xaxis');
  new Select(toolbar, 'band over seeds', [{ value: 'minmax', label: 'min–max' }, { value: 'std', label: '± std' }, { value: 'none', label: 'none' }], view.band,
    (b) => save({ band: b === 'std' || b === 'none' ? b : 'minmax' }), 'sel-band');
  slider(toolbar, 'step-loss smoothing (EMA)', view.smoothing, (smoothing) => save({ smoothing }), 'smoothing');
  const checks = toolbar.appendChild(el('div', 'checks'));
  checkbox(checks, 'log scale (loss)', view.logScale, (logScale) => save({ logScale }), 'chk-log');
  checkbox(checks, 'show seeds', view.showSeeds, (showSeeds) => save({ showSeeds }), 'chk-seeds');
}
