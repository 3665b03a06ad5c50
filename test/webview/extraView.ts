/**
 * A test-only chart, written as a contributor would write a new one (docs/recipes/chart.md):
 * one PanelView file. views.test.ts bundles the panel with this file added to the registry by
 * one import and one entry in webview/views/index.ts, and checks that the app builds its tab,
 * feeds it data, rebuilds it on an option change and recolours it on a theme change.
 *
 * It draws each arm's mean test loss per epoch and counts its hook calls in data attributes.
 */
import type { Chart } from 'chart.js';
import { createChart, dataset, lineOptions, restructure, type LineDataset } from '../../webview/charts/base';
import { chartCard } from '../../webview/components/chartExport';
import type { Pt } from '../../webview/state/aggregate';
import type { PanelView, ViewContext } from '../../webview/views/types';

export const extra: PanelView = {
  tab: 'extra',
  title: 'Test-only: mean test loss',
  create(panel, ctx) {
    const { card, canvas } = chartCard(panel, 'Mean test loss', 'chart-extra');
    const chart: Chart<'line', Pt[]> = createChart('extra.testLoss', canvas, lineOptions(ctx.theme, { x: 'epoch', y: 'loss' }, false), []);
    const count = (hook: string): void => { card.dataset[hook] = String(Number(card.dataset[hook] ?? 0) + 1); };
    const build = (c: ViewContext): void => {
      const datasets: LineDataset[] = c.model.arms.map((arm) => {
        const color = c.theme.palette[arm.index % c.theme.palette.length]!;
        // The model's own arrays: they grow in place as events arrive.
        return dataset('main', arm.spec.label, arm.agg.epoch.testLoss.mean, { borderColor: color, backgroundColor: color });
      });
      restructure(chart, lineOptions(c.theme, { x: 'epoch', y: 'loss' }, false), datasets);
    };
    build(ctx);
    return {
      update(dirty) {
        if (!dirty.has('curves')) return;
        count('updates');
        chart.update('none');
      },
      rebuild(changed, c) {
        if (!changed.has('band')) return;
        count('rebuilds');
        build(c);
      },
      theme(c) {
        count('themes');
        build(c);
      },
    };
  },
};
