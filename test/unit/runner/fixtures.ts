// Builders for scheduler tests: a resolved config whose jobs tell the fake trainer what to do.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JobSpec, ResolvedConfig } from '../../../src/core/config';

export const FAKE_TRAINER = path.join(__dirname, '..', '..', 'fixtures', 'runner', 'fake-trainer.js');

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'actlab-runner-'));
}

export function fakeJob(armId: string, seed: number, sweep: Record<string, number | string>, epochs = 2): JobSpec {
  return {
    jobId: `${armId}#${seed}`, armId, activationId: armId, label: armId.toUpperCase(), seed, sweep,
    data: { dataset: 'mnist', trainSize: 100, testSize: 10, kappa: 0 },
    model: { type: 'mlp', hidden: [4, 2], init: 'he', bias: true },
    activation: { type: 'relu' },
    training: { epochs, batchSize: 10, optimizer: 'adam', learningRate: 0.01, momentum: 0, loss: 'crossEntropy' },
    probes: { deadThreshold: 1e-5, samples: 10, every: 1, stepEventMs: 0 },
    backend: 'auto',
  };
}

export function fakeConfig(name: string, jobs: JobSpec[]): ResolvedConfig {
  const arms = [...new Set(jobs.map((j) => j.armId))].map((armId) => {
    const js = jobs.filter((j) => j.armId === armId);
    return { armId, activationId: armId, label: js[0].label, sweep: js[0].sweep, activation: js[0].activation, seeds: js.map((j) => j.seed) };
  });
  return {
    name,
    source: { name, data: { dataset: 'mnist' }, model: { type: 'mlp' }, activations: [], training: { epochs: 2 } },
    arms, jobs,
  };
}

export const alive = (pid: number): boolean => {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
};
