/**
 * The panel's views, in tab order. A new chart is one file in this folder exporting a
 * PanelView (see ./types.ts and docs/recipes/chart.md) and one entry in this list.
 */
import { activations } from './activations';
import { curves } from './curves';
import { dead } from './dead';
import { sigma } from './sigma';
import { sweep } from './sweep';
import type { PanelView } from './types';

export const VIEWS: readonly PanelView[] = [
  curves,
  sweep,
  sigma,
  dead,
  activations,
];
