/** Loss & accuracy: one chart per curve metric of the metrics table (src/core/metrics.ts). */
import { CurvesView } from '../charts/curves';
import { anyChanged, type PanelView, type ViewKey } from './types';

const OPTIONS: readonly ViewKey[] = ['xAxis', 'band', 'smoothing', 'logScale', 'showSeeds'];

export const curves: PanelView = {
  tab: 'curves',
  title: 'Loss & accuracy',
  create(panel, ctx) {
    const view = new CurvesView(panel, ctx.model, ctx.view, ctx.theme);
    // A rebuild already drew this frame's data: skip the refresh that would draw it again.
    let fresh = false;
    return {
      rebuild(changed, c) {
        const bandMoves = changed.has('highlightArm') && CurvesView.bandFollowsHighlight(c.model, c.view);
        if (!anyChanged(changed, OPTIONS) && !bandMoves) {
          if (anyChanged(changed, ['hiddenArms', 'highlightArm'])) { view.select(c.model, c.view); fresh = true; }
          return;
        }
        view.rebuild(c.model, c.view, c.theme);
        fresh = true;
      },
      update(dirty, c) {
        if (!fresh && (dirty.has('curves') || dirty.has('steps'))) view.refresh(c.view);
        fresh = false;
        return view.draw();
      },
      theme(c) { view.rebuild(c.model, c.view, c.theme); },
    };
  },
};
