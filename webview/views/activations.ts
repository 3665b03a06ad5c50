/** Activation shapes: f, E[f], the training band and f′ per arm, from the config alone. */
import { ActivationsView } from '../charts/activations';
import type { PanelView } from './types';

export const activations: PanelView = {
  tab: 'activations',
  title: 'Activation shapes',
  create(panel, ctx) {
    const view = new ActivationsView(panel, ctx.model, ctx.theme);
    return {
      // Drawn from the config: events change nothing here.
      update() {},
      theme(c) { view.rebuild(c.theme); },
    };
  },
};
