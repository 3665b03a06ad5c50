/**
 * σ per arm: the planned schedule (from the config, dashed) against what the trainer reported
 * it used (epoch events as markers; step events as a line for per-step schedules, where one
 * value per epoch would hide the shape). x = epoch k means "during epoch k"; step s of a job
 * with S steps per epoch sits at 1 + s/S.
 *
 * Learnable expression parameters (issue 13) get a chart of their own below: the mean over
 * seeds per epoch with the seeds' min–max band, on a y axis that fits their values.
 */
import type { Chart } from 'chart.js';
import { scheduleAt } from '../../src/core/schedules';
import type { Pt } from '../state/aggregate';
import { armSigma, type ArmState, type JobState, type RunModel } from '../state/runModel';
import { withAlpha, type Theme } from '../theme';
import { createChart, dataset, lineOptions, restructure, type LineDataset } from './base';
import { stylesOf } from './styles';
import { chartCard } from '../components/chartExport';
import { el } from '../components/dom';

/** Points of the planned curve per per-step schedule (enough for a smooth cosine). */
const PLANNED_SAMPLES = 200;

interface ArmTrace { arm: ArmState; planned: Pt[]; epochs: Pt[]; steps: Pt[]; job?: JobState; S?: number }

export class SigmaView {
  private readonly chart: Chart<'line', Pt[]> | undefined;
  /** Learnable expression parameters, on their own y axis (a slope of −0.2 or a β of 3 is no σ). */
  private readonly learnedChart: Chart<'line', Pt[]> | undefined;
  private traces: ArmTrace[] = [];
  private readonly learnArms: ArmState[];

  constructor(parent: HTMLElement, private readonly model: RunModel, theme: Theme) {
    const sigmaArms = model.arms.filter((a) => armSigma(a.spec));
    this.learnArms = model.arms.filter((a) => a.learned.size > 0);
    if (sigmaArms.length === 0 && this.learnArms.length === 0) {
      parent.appendChild(el('p', 'empty', 'No arm in this run has a σ (noise) schedule or a learnable parameter.'));
      return;
    }
    if (sigmaArms.length) {
      const perStep = sigmaArms.some((a) => armSigma(a.spec)?.per === 'step');
      const { canvas } = chartCard(parent, 'σ schedule: planned vs used', 'chart-sigma',
        `dashed: planned from the config · dots: reported by the trainer at each epoch${perStep ? ' · thin line: reported per step' : ''}`);
      canvas.parentElement?.classList.add('tall');
      this.chart = createChart('sigma', canvas, lineOptions(theme, { x: 'epoch', y: 'σ' }, true), []);
      this.traces = sigmaArms.map((arm) => ({ arm, planned: [], epochs: [], steps: [] }));
    }
    if (this.learnArms.length) {
      const { card, canvas } = chartCard(parent, 'Learned parameters', 'chart-learned',
        'mean over seeds at each epoch (a per-unit parameter: its mean over units) · band: min–max over seeds');
      if (this.chart) card.classList.add('wide');
      this.learnedChart = createChart('learned', canvas, lineOptions(theme, { x: 'epoch', y: 'value' }, false), []);
    }
    this.rebuild(theme);
  }

  rebuild(theme: Theme): void {
    this.rebuildLearned(theme);
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

  /** One line per (arm, learned parameter): the seeds' mean, and their min–max band with several seeds. */
  private rebuildLearned(theme: Theme): void {
    if (!this.learnedChart) return;
    const styles = stylesOf(this.model, theme);
    const datasets: LineDataset[] = [];
    let xMax = 1;
    for (const arm of this.learnArms) {
      const { color, dash } = styles[arm.index]!;
      for (const [name, agg] of arm.learned) {
        const label = `${arm.spec.label} ${name}`;
        if (arm.jobs.length > 1) {
          datasets.push(dataset('band', `${label} min`, agg.min, { borderWidth: 0, pointRadius: 0, borderColor: withAlpha(color, 0), fill: false }));
          datasets.push(dataset('band', `${label} max`, agg.max, { borderWidth: 0, pointRadius: 0, borderColor: withAlpha(color, 0), backgroundColor: withAlpha(color, 0.16), fill: '-1' }));
        }
        datasets.push(dataset('main', label, agg.mean, { borderColor: color, backgroundColor: color, borderDash: dash, borderWidth: 1.75, pointRadius: 2.5, pointStyle: 'triangle' }));
      }
      for (const j of arm.jobs) xMax = Math.max(xMax, j.epochs);
    }
    // No yMin: the axis fits the values (a learned slope may go negative, a β far above 1).
    restructure(this.learnedChart, lineOptions(theme, { x: 'epoch', y: 'value', xMin: 1, xMax, xInteger: true }, false), datasets);
  }

  refresh(): void {
    this.learnedChart?.update('none');
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
