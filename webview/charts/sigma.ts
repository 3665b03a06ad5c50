/**
 * σ per arm: the planned schedule (from the config, dashed) against what the trainer reported
 * it used (epoch events as markers; step events as a line for per-step schedules, where one
 * value per epoch would hide the shape). x = epoch k means "during epoch k"; step s of a job
 * with S steps per epoch sits at 1 + s/S.
 */
import type { Chart } from 'chart.js';
import { scheduleAt } from '../../src/core/schedules';
import { learnableParamNames } from '../../src/core/activations';
import type { Pt } from '../state/aggregate';
import { armSigma, type ArmState, type JobState, type RunModel } from '../state/runModel';
import { withAlpha, type Theme } from '../theme';
import { createChart, dataset, lineOptions, restructure, type LineDataset } from './base';
import { chartCard, el } from '../components/dom';

/** Appends the job's new learned-parameter points (the chart holds the arrays). */
function fillLearned(into: Map<string, Pt[]>, job: JobState): void {
  for (const [name, pts] of into) {
    const src = job.learned.get(name) ?? [];
    for (let i = pts.length; i < src.length; i++) pts.push(src[i]!);
  }
}

/** Points of the planned curve per per-step schedule (enough for a smooth cosine). */
const PLANNED_SAMPLES = 200;

interface ArmTrace { arm: ArmState; planned: Pt[]; epochs: Pt[]; steps: Pt[]; job?: JobState; S?: number; learned: Map<string, Pt[]> }

export class SigmaView {
  private readonly chart: Chart<'line', Pt[]> | undefined;
  private traces: ArmTrace[] = [];

  constructor(parent: HTMLElement, model: RunModel, theme: Theme) {
    // Arms with a σ schedule, and arms whose expression learns parameters (plotted per epoch).
    const sigmaArms = model.arms.filter((a) => armSigma(a.spec) || learnableParamNames(a.spec.activation).length > 0);
    if (sigmaArms.length === 0) {
      parent.appendChild(el('p', 'empty', 'No arm in this run has a σ (noise) schedule or a learnable parameter.'));
      return;
    }
    const perStep = sigmaArms.some((a) => armSigma(a.spec)?.per === 'step');
    const { canvas } = chartCard(parent, 'σ schedule: planned vs used', 'chart-sigma',
      `dashed: planned from the config · dots: reported by the trainer at each epoch${perStep ? ' · thin line: reported per step' : ''}`);
    canvas.parentElement?.classList.add('tall');
    this.chart = createChart('sigma', canvas, lineOptions(theme, { x: 'epoch', y: 'σ' }, true), []);
    this.traces = sigmaArms.map((arm) => ({ arm, planned: [], epochs: [], steps: [], learned: new Map() }));
    this.rebuild(theme);
  }

  rebuild(theme: Theme): void {
    if (!this.chart) return;
    this.fill();
    const datasets: LineDataset[] = [];
    let xMax = 1;
    for (const t of this.traces) {
      const color = theme.palette[t.arm.index % theme.palette.length]!;
      datasets.push(dataset('planned', `${t.arm.spec.label} planned`, t.planned, { borderColor: color, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0 }));
      datasets.push(dataset('main', t.arm.spec.label, t.epochs, {
        borderColor: color, backgroundColor: color, showLine: false, pointRadius: 4, pointHoverRadius: 5,
      }));
      for (const name of learnableParamNames(t.arm.spec.activation)) {
        const pts = t.learned.get(name) ?? [];
        t.learned.set(name, pts);
        datasets.push(dataset('actual', `${t.arm.spec.label} ${name} (learned)`, pts, { borderColor: color, backgroundColor: color, borderWidth: 1.5, pointRadius: 3, pointStyle: 'triangle' }));
      }
      if (armSigma(t.arm.spec)?.per === 'step') {
        datasets.push(dataset('actual', `${t.arm.spec.label} per step`, t.steps, { borderColor: withAlpha(color, 0.6), borderWidth: 1, pointRadius: 0 }));
      }
      for (const j of t.arm.jobs) xMax = Math.max(xMax, j.epochs);
    }
    const options = lineOptions(theme, { x: 'epoch', y: 'σ', xMin: 1, xMax: xMax + (this.hasStepSchedule() ? 1 : 0), yMin: 0, xInteger: !this.hasStepSchedule() }, true);
    // The legend names each arm by its marker (a dot, as drawn), not by a line it does not have.
    const legend = options.plugins!.legend!;
    legend.labels = { ...legend.labels, usePointStyle: true, boxHeight: 7 };
    restructure(this.chart, options, datasets);
  }

  refresh(): void {
    if (!this.chart) return;
    this.fill();
    this.chart.update('none');
  }

  private hasStepSchedule(): boolean { return this.traces.some((t) => armSigma(t.arm.spec)?.per === 'step'); }

  /**
   * Updates the derived arrays in place (the chart holds them). The planned curve is rebuilt
   * only when the job's steps per epoch become known; reported values are appended, so a
   * refresh costs O(new points).
   */
  private fill(): void {
    for (const t of this.traces) {
      const job = t.arm.jobs.find((j) => j.stepsPerEpoch > 0) ?? t.arm.jobs[0];
      if (!job) continue;
      fillLearned(t.learned, job);
      const s = armSigma(t.arm.spec);
      if (!s) continue;
      const E = job.epochs;
      const S = Math.max(job.stepsPerEpoch, 1);
      if (t.job !== job || t.S !== S) {
        t.job = job; t.S = S;
        t.planned.length = 0; t.epochs.length = 0; t.steps.length = 0;
        if (s.per === 'step') {
          const total = E * S;
          const n = Math.min(PLANNED_SAMPLES, total);
          for (let i = 0; i <= n; i++) {
            const step = Math.min(Math.round((i / n) * (total - 1)), total - 1);
            t.planned.push({ x: 1 + step / S, y: scheduleAt(s, Math.floor(step / S), step, E, total) });
          }
        } else {
          for (let e = 0; e < E; e++) t.planned.push({ x: e + 1, y: scheduleAt(s, e, e * S, E, E * S) });
        }
      }
      for (let i = t.epochs.length; i < job.sigmaEpochs.length; i++) {
        const p = job.sigmaEpochs[i]!;
        t.epochs.push(s.per === 'step' ? { x: 1 + job.sigmaEpochSteps[i]! / S, y: p.y } : p);
      }
      for (let i = t.steps.length; i < job.sigmaSteps.length; i++) t.steps.push({ x: 1 + job.sigmaSteps[i]!.x / S, y: job.sigmaSteps[i]!.y });
    }
  }
}
