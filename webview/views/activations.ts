/** Activation shapes: f, E[f], the training band and f′ per arm, from the config alone. */
import { ActivationsView } from '../charts/activations';
import type { PanelView } from './types';

export const activations: PanelView = {
  tab: 'activations',
  title: 'Activation shapes',
  create(panel, ctx) {
    const view = new ActivationsView(panel, ctx.model, ctx.theme);
    let done = false;
    return {
      // Drawn from the config: events change nothing here. Many shapes are made a few per
      // frame once the tab is shown (a hidden canvas has no size to draw at anyway).
      update(_dirty, c) {
        if (done || c.view.tab !== 'activations') return false;
        done = view.step(30);
        return !done;
      },
      theme(c) { view.rebuild(c.theme); },
    };
  },
};
