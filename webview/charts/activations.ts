/**
 * Activation shapes per arm on x ∈ [−3, 3]: the inference output f(x), its expectation under
 * the training noise E[f(x)], for stochastic activations the 5–95 % band of the training output
 * (filled) and E[f] ± 1 sd (dotted; an expression's by Monte Carlo), and the derivative f′(x)
 * backprop uses. σ: the schedule's start (the widest noise). Both spreads are drawn: the sd is
 * what issue 13 asks for, the quantile band shows skew the sd cannot (max(0, x + ε) has an
 * atom at 0, and E[f] − sd falls below it).
 */
import type { ActivationSpec } from '../../src/core/config';
import { activationPoint } from '../../src/core/formulas';
import { specFormula } from '../../src/core/activations';
import type { Pt } from '../state/aggregate';
import { armSigma, type ArmState, type RunModel } from '../state/runModel';
import { stylesOf } from './styles';
import { withAlpha, type Theme } from '../theme';
import { createChart, dataset, lineOptions, restructure, type LineDataset } from './base';
import { chartCard } from '../components/chartExport';
import type { Chart } from 'chart.js';

const N = 241;

export interface ShapeSeries { f: Pt[]; mean: Pt[]; lo: Pt[]; hi: Pt[]; sdLo: Pt[]; sdHi: Pt[]; df: Pt[]; stochastic: boolean }

export function shapeSeries(spec: ActivationSpec, sigma?: number): ShapeSeries {
  const s: ShapeSeries = { f: [], mean: [], lo: [], hi: [], sdLo: [], sdHi: [], df: [], stochastic: false };
  for (let i = 0; i < N; i++) {
    const x = -3 + (6 * i) / (N - 1);
    const p = activationPoint(spec, x, sigma);
    const sd = p.sd ?? 0;
    s.f.push({ x, y: p.f }); s.mean.push({ x, y: p.mean }); s.lo.push({ x, y: p.lo }); s.hi.push({ x, y: p.hi }); s.df.push({ x, y: p.df });
    s.sdLo.push({ x, y: p.mean - sd }); s.sdHi.push({ x, y: p.mean + sd });
    if (p.hi - p.lo > 1e-12) s.stochastic = true;
  }
  return s;
}

/** Arms with the same activation (they may differ in the learning rate or other training settings). */
export interface ShapeGroup { arms: ArmState[]; title: string; sub: string }

/**
 * One card per distinct activation spec: arms that differ only in non-activation settings
 * (a learning-rate sweep) share one shape. The title keeps the swept values common to the
 * group (the activation's own parameters), the subtitle names what varies.
 */
export function shapeGroups(model: RunModel): ShapeGroup[] {
  const byKey = new Map<string, ArmState[]>();
  for (const a of model.arms) {
    const k = JSON.stringify(a.spec.activation);
    (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(a);
  }
  return [...byKey.values()].map((arms) => {
    const first = arms[0]!.spec;
    const sched = armSigma(first);
    const sigma = sched ? `σ = ${sched.start}${sched.kind !== 'constant' ? ` (start; ${sched.kind} → ${sched.end})` : ''}` : specFormula(first.activation) ?? first.activation.type;
    if (arms.length === 1) return { arms, title: first.label, sub: sigma };
    const keys = Object.keys(first.sweep);
    const same = keys.filter((k) => arms.every((a) => a.spec.sweep[k] === first.sweep[k]));
    const varying = keys.filter((k) => !same.includes(k));
    const title = `${first.activationId}${same.length ? ` [${same.map((k) => `${k}=${first.sweep[k]}`).join(',')}]` : ''}`;
    return { arms, title, sub: `${sigma} · ${arms.length} arms${varying.length ? ` (${varying.join(', ')} differ)` : ''}` };
  });
}

/** Above this many shapes the cards' charts are made a few per frame, on the tab's first visit. */
export const EAGER_SHAPES = 12;

export class ActivationsView {
  private readonly charts: { arm: number; chart: Chart<'line', Pt[]>; s: ShapeSeries }[] = [];
  private readonly todo: { group: ShapeGroup; canvas: HTMLCanvasElement }[] = [];

  constructor(parent: HTMLElement, private readonly model: RunModel, private theme: Theme) {
    const grid = parent.appendChild(document.createElement('div'));
    grid.className = 'chart-grid small';
    for (const group of shapeGroups(model)) {
      const { canvas } = chartCard(grid, group.title, `chart-activation-${group.arms[0]!.index}`, group.sub);
      this.todo.push({ group, canvas });
    }
    if (this.todo.length <= EAGER_SHAPES) this.step(Infinity);
  }

  /** Makes charts for up to `budgetMs`; true when all are made. */
  step(budgetMs: number): boolean {
    const t0 = performance.now();
    while (this.todo.length && performance.now() - t0 < budgetMs) {
      const { group, canvas } = this.todo.shift()!;
      const arm = group.arms[0]!;
      const s = shapeSeries(arm.spec.activation);
      const chart = createChart(`activation.${arm.spec.armId}`, canvas, lineOptions(this.theme, { x: 'x', y: '' }, false), []);
      this.charts.push({ arm: arm.index, s, chart });
      this.draw(this.charts.at(-1)!);
    }
    return this.todo.length === 0;
  }

  rebuild(theme: Theme): void {
    this.theme = theme;
    for (const c of this.charts) this.draw(c);
  }

  private draw({ arm, chart, s }: { arm: number; chart: Chart<'line', Pt[]>; s: ShapeSeries }): void {
    const theme = this.theme;
    const color = stylesOf(this.model, theme)[arm]!.color;
    const ds: LineDataset[] = [];
    if (s.stochastic) {
      // Stronger on a dark background: a faint fill there reads as no band at all.
      const fill = withAlpha(color, theme.dark ? 0.38 : 0.22);
      ds.push(dataset('band', '5 %', s.lo, { borderWidth: 0, pointRadius: 0, borderColor: withAlpha(color, 0), fill: false }));
      ds.push(dataset('main', '5–95 % (training)', s.hi, { borderWidth: 0, pointRadius: 0, borderColor: withAlpha(color, 0), backgroundColor: fill, fill: '-1' }));
    }
    ds.push(dataset('main', 'f(x)', s.f, { borderColor: color, backgroundColor: color, borderWidth: 2 }));
    ds.push(dataset('main', 'E[f(x)]', s.mean, { borderColor: theme.fg, backgroundColor: theme.fg, borderDash: [5, 4], borderWidth: 1.25 }));
    if (s.stochastic) {
      const sd = { borderColor: color, backgroundColor: color, borderDash: [1, 2.5], borderWidth: 1.25, pointRadius: 0 };
      ds.push(dataset('band', 'E[f] − 1 sd', s.sdLo, sd));
      ds.push(dataset('main', 'E[f] ± 1 sd', s.sdHi, sd));
    }
    ds.push(dataset('main', "f′(x)", s.df, { borderColor: theme.muted, backgroundColor: theme.muted, borderDash: [1.5, 2.5], borderWidth: 1.5 }));
    const opts = lineOptions(theme, { x: 'x', y: '', xMin: -3, xMax: 3 }, false);
    // A legend box 14 × 2 px shows a translucent fill as nothing: taller boxes here.
    opts.plugins!.legend!.labels = { ...opts.plugins!.legend!.labels, boxHeight: 8 };
    restructure(chart, opts, ds);
  }
}
