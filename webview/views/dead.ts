/** Dead units: both definitions per layer over epochs, and the per-unit heatmap below them. */
import { DeadView } from '../charts/dead';
import { HeatmapCard } from '../charts/heatmapCard';
import type { PanelView } from './types';

export const dead: PanelView = {
  tab: 'dead',
  title: 'Dead units',
  create(panel, ctx) {
    const charts = new DeadView(panel, ctx.model, ctx.view, ctx.theme);
    const heatmap = new HeatmapCard(panel, ctx);
    // A rebuild already drew this frame's data: skip the refresh that would draw it again.
    let fresh = false;
    return {
      rebuild(changed, c) {
        if (changed.has('band')) { charts.rebuild(c.model, c.view, c.theme); fresh = true; }
        else if (changed.has('hiddenArms')) { charts.select(c.model, c.view); fresh = true; }
        heatmap.rebuild(changed);
      },
      update(dirty, c) {
        // A new (arm, layer) pair needs its own datasets; more points need only a redraw.
        if (dirty.has('probes')) {
          if (charts.needsRebuild(c.model)) charts.rebuild(c.model, c.view, c.theme);
          else if (!fresh) charts.refresh();
        }
        fresh = false;
        heatmap.update(dirty, c);
        return charts.draw();
      },
      theme(c) {
        charts.rebuild(c.model, c.view, c.theme);
        heatmap.theme(c);
      },
    };
  },
};
