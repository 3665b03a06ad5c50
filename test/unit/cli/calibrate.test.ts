/**
 * The run-time estimate calibrated from this machine's recorded speed (issue 19, item 7): the
 * samples/s of recent runs next to the config scale the estimate, shown as a range.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measuredSpeed } from '../../../src/cli/calibrate';
import { loadConfigFile } from '../../../src/cli/loadConfig';
import { calibrateSpeed, estimateTrainSeconds } from '../../../src/core/estimate';
import { resolveConfig } from '../../../src/core/expand';
import type { RawConfig } from '../../../src/core/config';

// The last runs folder the CLI remembers must be this test's, not the user's.
process.env.XDG_STATE_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'actlab-calib-state-'));

const raw: RawConfig = {
  name: 'calib', data: { dataset: 'mnist', trainSize: 2000, testSize: 500 }, model: { type: 'mlp', hidden: [64] },
  activations: [{ id: 'relu', type: 'relu' }], training: { epochs: 2, seeds: [1, 2] },
};

/** A finished run folder whose only arm trained `slowdown` times slower than the estimate. */
function writeRun(runsDir: string, id: string, slowdown: [number, number], backend = 'wasm'): void {
  const config = resolveConfig(raw);
  const estimated = config.jobs[0]!.data.trainSize / estimateTrainSeconds(config.jobs[0]!, 1);
  const dir = path.join(runsDir, id);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  const sps = { mean: estimated / ((slowdown[0] + slowdown[1]) / 2), std: 0, n: 2, min: estimated / slowdown[1], max: estimated / slowdown[0] };
  fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({
    v: 1, runId: id, name: 'calib', status: 'completed',
    arms: [{ armId: 'relu', label: 'relu', activationId: 'relu', sweep: {}, jobs: 2, completed: 2, statuses: {}, samplesPerSec: sps, backend }],
  }));
}

test('calibrateSpeed: measured ÷ estimated training time per model type; tiny jobs left out', () => {
  const job = resolveConfig(raw).jobs[0]!;
  const est = job.data.trainSize / estimateTrainSeconds(job, 1);
  const one = calibrateSpeed([{ job, samplesPerSec: { mean: est / 3, min: est / 4, max: est / 2, n: 3 }, threads: 1 }]);
  assert.ok(one.mlp && Math.abs(one.mlp.low - 2) < 1e-9 && Math.abs(one.mlp.high - 4) < 1e-9, JSON.stringify(one));
  assert.equal(one.mlp.jobs, 3);
  assert.equal(one.cnn, undefined, 'an MLP says nothing about a CNN');
  // Several arms: the range of their mean speeds.
  const two = calibrateSpeed([
    { job, samplesPerSec: { mean: est / 3, min: est / 9, max: est, n: 2 }, threads: 1 },
    { job, samplesPerSec: { mean: est / 1.5, min: est / 9, max: est, n: 2 }, threads: 1 },
  ]);
  assert.ok(two.mlp && Math.abs(two.mlp.low - 1.5) < 1e-9 && Math.abs(two.mlp.high - 3) < 1e-9, JSON.stringify(two));
  const tiny = { ...job, data: { ...job.data, trainSize: 300 } };
  assert.deepEqual(calibrateSpeed([{ job: tiny, samplesPerSec: { mean: 10, min: 10, max: 10, n: 1 }, threads: 1 }]), {});
  assert.deepEqual(calibrateSpeed([]), {});
  assert.deepEqual(calibrateSpeed([{ job, samplesPerSec: { mean: 0, min: 0, max: 0, n: 1 }, threads: 1 }]), {});
});

test('recent runs next to the config set the range; other backends do not count', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actlab-calib-'));
  const configPath = path.join(dir, 'x.actlab.json');
  fs.writeFileSync(configPath, JSON.stringify(raw));
  assert.deepEqual(measuredSpeed(configPath, undefined), {}, 'no runs yet');
  const plain = loadConfigFile(configPath, 'x.actlab.json', false);
  assert.ok(plain.messages.some((m) => /estimated ~\d+ s on the wasm backend/.test(m) && !m.includes('measured')), plain.messages.join('\n'));

  const runs = path.join(dir, '.actlab', 'runs');
  writeRun(runs, 'a', [3, 5]);
  writeRun(runs, 'b', [100, 100], 'tensorflow');
  const speed = measuredSpeed(configPath, undefined).mlp;
  assert.ok(speed && Math.abs(speed.low - 3) < 1e-9 && Math.abs(speed.high - 5) < 1e-9, JSON.stringify(speed));
  const loaded = loadConfigFile(configPath, 'x.actlab.json', false);
  const line = loaded.messages.find((m) => m.includes('[job-count]'));
  assert.match(line ?? '', /estimated ~\d+ s–~\d+ s on the wasm backend with 2 trainers in parallel, from the measured speed of 2 recent jobs on this machine/);
});
