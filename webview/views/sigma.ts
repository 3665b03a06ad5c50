/** σ schedule: planned (from the config) against what the trainer reported. */
import { SigmaView } from '../charts/sigma';
import type { PanelView } from './types';

export const sigma: PanelView = {
  tab: 'sigma',
  title: 'σ schedule',
  create(panel, ctx) {
    const view = new SigmaView(panel, ctx.model, ctx.theme);
    return {
      // 'status': a jobStart tells the steps per epoch the planned per-step curve needs.
      update(dirty) { if (dirty.has('sigma') || dirty.has('status')) view.refresh(); },
      theme(c) { view.rebuild(c.theme); },
    };
  },
};
