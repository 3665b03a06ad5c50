/** What the user chose in the panel; persisted with the webview's getState/setState. */
import { VIEWS } from '../views';
import type { XAxis } from './runModel';

export type Band = 'minmax' | 'std' | 'none';
/**
 * Tab ids in display order, from the view registry (webview/views/index.ts). The ids are what
 * a saved state holds, so a view keeps its id for good: a saved tab that no longer exists
 * falls back to the first.
 */
export const TABS: readonly string[] = VIEWS.map((v) => v.tab);
export type Tab = string;

export interface ViewState {
  tab: Tab;
  xAxis: XAxis;
  band: Band;
  logScale: boolean;
  showSeeds: boolean;
  /** EMA weight in [0, 0.99]; 0 = raw. */
  smoothing: number;
  heatmapArm: number;
  heatmapSeed: number;
  heatmapLayer: string;
  /** Summary table sort: column key and direction; '' = config order. */
  sortKey: string;
  sortDir: 1 | -1;
  /**
   * Sweep view (webview/views/sweep.ts): final or best-epoch metric, std or 95 % CI bars (a
   * clicked point sets highlightArm below). Optional, absent by default: a state saved before
   * these existed restores exactly as it was; readers default them.
   */
  sweepWhich?: 'final' | 'best';
  sweepError?: 'std' | 'ci';
  /** Arms hidden in every chart (arm ids; the arm list's toggles). Absent in older saved states. */
  hiddenArms: string[];
  /** The arm drawn emphasised in every chart ('' = none). */
  highlightArm: string;
  /** The arm list's search text. */
  armFilter: string;
}

export const DEFAULT_VIEW: ViewState = {
  tab: TABS[0] ?? 'curves', xAxis: 'epoch', band: 'minmax', logScale: false, showSeeds: false, smoothing: 0,
  heatmapArm: 0, heatmapSeed: 0, heatmapLayer: '', sortKey: '', sortDir: -1,
  hiddenArms: [], highlightArm: '', armFilter: '',
};

/** Merges a stored state over the defaults, keeping only well-typed fields. */
export function restoreView(stored: unknown): ViewState {
  const v: ViewState = { ...DEFAULT_VIEW };
  if (typeof stored !== 'object' || stored === null) return v;
  const s = stored as Record<string, unknown>;
  if (typeof s.tab === 'string' && TABS.includes(s.tab)) v.tab = s.tab;
  if (s.xAxis === 'epoch' || s.xAxis === 'step') v.xAxis = s.xAxis;
  if (s.band === 'minmax' || s.band === 'std' || s.band === 'none') v.band = s.band;
  if (typeof s.logScale === 'boolean') v.logScale = s.logScale;
  if (typeof s.showSeeds === 'boolean') v.showSeeds = s.showSeeds;
  if (typeof s.smoothing === 'number' && s.smoothing >= 0 && s.smoothing < 1) v.smoothing = s.smoothing;
  if (typeof s.heatmapArm === 'number') v.heatmapArm = s.heatmapArm;
  if (typeof s.heatmapSeed === 'number') v.heatmapSeed = s.heatmapSeed;
  if (typeof s.heatmapLayer === 'string') v.heatmapLayer = s.heatmapLayer;
  if (typeof s.sortKey === 'string') v.sortKey = s.sortKey;
  if (s.sortDir === 1 || s.sortDir === -1) v.sortDir = s.sortDir;
  // Sweep view fields: absent in states saved before it, then the defaults stand.
  if (s.sweepWhich === 'final' || s.sweepWhich === 'best') v.sweepWhich = s.sweepWhich;
  if (s.sweepError === 'std' || s.sweepError === 'ci') v.sweepError = s.sweepError;
  if (Array.isArray(s.hiddenArms)) v.hiddenArms = s.hiddenArms.filter((x): x is string => typeof x === 'string');
  if (typeof s.highlightArm === 'string') v.highlightArm = s.highlightArm;
  if (typeof s.armFilter === 'string') v.armFilter = s.armFilter;
  return v;
}
