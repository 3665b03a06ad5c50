// Small hand-made run data shared by the extension's unit tests.
import type { JobSpec, ResolvedConfig } from '../../../src/core/config';
import type { ActlabEvent, LayerProbe } from '../../../src/core/protocol';

const t = 1_700_000_000_000;

function job(jobId: string, armId: string, seed: number, sigma: number): JobSpec {
  return {
    jobId, armId, activationId: 'nrelu', label: 'N-ReLU, "noisy"', seed, sweep: { sigma },
    data: { dataset: 'teacher', n: 64, d: 4, width: 8, noise: 0, trainSize: 48, testSize: 16, kappa: 0 },
    model: { type: 'mlp', hidden: [8], init: 'he', bias: true },
    activation: { type: 'nrelu', sigma: { kind: 'constant', start: sigma, end: sigma, per: 'epoch', every: 1, factor: 1 }, inference: 'deterministic' },
    training: { epochs: 2, batchSize: 16, optimizer: 'adam', learningRate: 0.01, momentum: 0, loss: 'crossEntropy' },
    probes: { deadThreshold: 1e-5, samples: 16, every: 1, stepEventMs: 0 },
    backend: 'cpu',
  };
}

export const config: ResolvedConfig = {
  name: 'tiny',
  source: {
    name: 'tiny', data: { dataset: 'teacher' }, model: { type: 'mlp', hidden: [8] },
    activations: [{ id: 'nrelu', type: 'nrelu', sigma: { sweep: [0.05, 0.1] } }], training: { epochs: 2 },
  },
  arms: [],
  jobs: [job('nrelu[sigma=0.05]#1', 'nrelu[sigma=0.05]', 1, 0.05), job('nrelu[sigma=0.1]#1', 'nrelu[sigma=0.1]', 1, 0.1)],
};

const layer = (deadMean: number): LayerProbe => ({
  layer: 'dense1', units: 8, deadMean, deadGrad: deadMean / 2, meanActivation: 0.3, fracPositive: [0.5], gradNorm: 1.5,
});

export const events: ActlabEvent[] = [
  { v: 1, t, type: 'runStart', runId: 'r1', name: 'tiny', jobIds: config.jobs.map((j) => j.jobId), parallel: 2 },
  { v: 1, t, type: 'jobStart', jobId: 'nrelu[sigma=0.05]#1', backend: { name: 'cpu', notes: [] }, parameters: 50, stepsPerEpoch: 3, epochs: 2, trainSize: 48, testSize: 16 },
  { v: 1, t, type: 'jobStart', jobId: 'nrelu[sigma=0.1]#1', backend: { name: 'cpu', notes: [] }, parameters: 50, stepsPerEpoch: 3, epochs: 2, trainSize: 48, testSize: 16 },
  { v: 1, t, type: 'probe', jobId: 'nrelu[sigma=0.05]#1', epoch: 0, layers: [layer(0)], ms: 1 },
  { v: 1, t, type: 'step', jobId: 'nrelu[sigma=0.1]#1', epoch: 0, step: 1, loss: 0.9, sigma: 0.1 },
  { v: 1, t, type: 'step', jobId: 'nrelu[sigma=0.05]#1', epoch: 0, step: 0, loss: 1.1, sigma: 0.05 },
  { v: 1, t, type: 'step', jobId: 'nrelu[sigma=0.1]#1', epoch: 0, step: 0, loss: 1.0, sigma: 0.1 },
  { v: 1, t, type: 'epoch', jobId: 'nrelu[sigma=0.05]#1', epoch: 1, step: 3, trainLoss: 0.7, testLoss: 0.8, trainAccuracy: 0.6, testAccuracy: 0.55, sigma: 0.05, seconds: 0.2, samplesPerSec: 240 },
  { v: 1, t, type: 'probe', jobId: 'nrelu[sigma=0.05]#1', epoch: 1, layers: [layer(0.125)], ms: 1 },
  { v: 1, t, type: 'epoch', jobId: 'nrelu[sigma=0.1]#1', epoch: 1, step: 3, trainLoss: Number.NaN, testLoss: Number.POSITIVE_INFINITY, sigma: 0.1, seconds: 0.2, samplesPerSec: 240 },
  { v: 1, t, type: 'jobEnd', jobId: 'nrelu[sigma=0.1]#1', status: 'diverged', epoch: 1, step: 3, seconds: 0.3 },
  { v: 1, t, type: 'epoch', jobId: 'nrelu[sigma=0.05]#1', epoch: 2, step: 6, trainLoss: 0.5, testLoss: 0.6, trainAccuracy: 0.7, testAccuracy: 0.65, sigma: 0.05, seconds: 0.2, samplesPerSec: 250 },
  { v: 1, t, type: 'jobEnd', jobId: 'nrelu[sigma=0.05]#1', status: 'completed', epoch: 2, step: 6, seconds: 0.5 },
  { v: 1, t, type: 'runEnd', runId: 'r1', status: 'completed', seconds: 0.6 },
];
