/**
 * Activation shapes per arm on x ∈ [−3, 3]: the inference output f(x), its expectation under
 * the training noise E[f(x)], the 5–95 % band of the training output (stochastic activations
 * only) and the derivative f′(x) backprop uses. σ: the schedule's start (the widest noise).
 */
import type { ActivationSpec } from '../../src/core/config';
import { activationPoint } from '../../src/core/formulas';
import { specFormula } from '../../src/core/activations';
import type { Pt } from '../state/aggregate';
import { armSigma, type RunModel } from '../state/runModel';
import { withAlpha, type Theme } from '../theme';
import { createChart, dataset, lineOptions, restructure, type LineDataset } from './base';
import { chartCard } from '../components/dom';
import type { Chart } from 'chart.js';

const N = 241;

export interface ShapeSeries { f: Pt[]; mean: Pt[]; lo: Pt[]; hi: Pt[]; df: Pt[]; stochastic: boolean }

export function shapeSeries(spec: ActivationSpec, sigma?: number): ShapeSeries {
  const s: ShapeSeries = { f: [], mean: [], lo: [], hi: [], df: [], stochastic: false };
  for (let i = 0; i < N; i++) {
    const x = -3 + (6 * i) / (N - 1);
    const p = activationPoint(spec, x, sigma);
    s.f.push({ x, y: p.f }); s.mean.push({ x, y: p.mean }); s.lo.push({ x, y: p.lo }); s.hi.push({ x, y: p.hi }); s.df.push({ x, y: p.df });
    if (p.hi - p.lo > 1e-12) s.stochastic = true;
  }
  return s;
}

export class ActivationsView {
  private readonly charts: { arm: number; chart: Chart<'line', Pt[]>; s: ShapeSeries }[] = [];

  constructor(parent: HTMLElement, model: RunModel, theme: Theme) {
    const grid = parent.appendChild(document.createElement('div'));
    grid.className = 'chart-grid small';
    for (const arm of model.arms) {
      const sched = armSigma(arm.spec);
      const sub = sched ? `σ = ${sched.start}${sched.kind !== 'constant' ? ` (start; ${sched.kind} → ${sched.end})` : ''}` : specFormula(arm.spec.activation) ?? arm.spec.activation.type;
      const { canvas } = chartCard(grid, arm.spec.label, `chart-activation-${arm.index}`, sub);
      const s = shapeSeries(arm.spec.activation);
      this.charts.push({ arm: arm.index, s, chart: createChart(`activation.${arm.spec.armId}`, canvas, lineOptions(theme, { x: 'x', y: '' }, false), []) });
    }
    this.rebuild(theme);
  }

  rebuild(theme: Theme): void {
    for (const { arm, chart, s } of this.charts) {
      const color = theme.palette[arm % theme.palette.length]!;
      const ds: LineDataset[] = [];
      if (s.stochastic) {
        ds.push(dataset('band', '5 %', s.lo, { borderWidth: 0, pointRadius: 0, borderColor: withAlpha(color, 0), fill: false }));
        ds.push(dataset('main', '5–95 % (training)', s.hi, { borderWidth: 0, pointRadius: 0, borderColor: withAlpha(color, 0), backgroundColor: withAlpha(color, 0.18), fill: '-1' }));
      }
      ds.push(dataset('main', 'f(x)', s.f, { borderColor: color, backgroundColor: color, borderWidth: 2 }));
      ds.push(dataset('main', 'E[f(x)]', s.mean, { borderColor: theme.fg, backgroundColor: theme.fg, borderDash: [5, 4], borderWidth: 1.25 }));
      ds.push(dataset('main', "f′(x)", s.df, { borderColor: theme.muted, backgroundColor: theme.muted, borderDash: [1.5, 2.5], borderWidth: 1.5 }));
      const opts = lineOptions(theme, { x: 'x', y: '', xMin: -3, xMax: 3 }, false);
      restructure(chart, opts, ds);
    }
  }
}
