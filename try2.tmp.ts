import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './src/trainer/backend';
import { createModel } from './src/trainer/models';
import { createOptimizer } from './src/trainer/optimizers';
import { crossEntropy } from './src/trainer/losses';
import { startReplicaPool } from './src/trainer/parallel/pool';
import { localCompute } from './src/trainer/compute';
import { tinyJob } from './test/fixtures/trainer/jobs';
void (async () => {
  await initBackend('wasm');
  const cnn = process.argv[3] === 'cnn';
  const spec = cnn ? { type: 'cnn' as const, conv: [16, 32], dense: [128], init: 'he' as const, bias: true } : { type: 'mlp' as const, hidden: [256, 128], init: 'he' as const, bias: true };
  const model = createModel(spec, [28, 28, 1], 10, { type: 'relu' }, 1);
  const optimizer = createOptimizer({ optimizer: 'adam', learningRate: 1e-3, momentum: 0 });
  const n = 2048;
  const ds = { kind: 'classification' as const, inputShape: [28, 28, 1], outputs: 10, trainSize: n, testSize: 1000,
    xTrain: new Float32Array(n * 784).map(() => Math.random()), yTrain: new Int32Array(n).map(() => Math.floor(Math.random() * 10)),
    xTest: new Float32Array(1000 * 784).map(() => Math.random()), yTest: new Int32Array(1000).map(() => Math.floor(Math.random() * 10)) };
  const threads = Number(process.argv[2]);
  const job = tinyJob({ backend: 'wasm', model: spec });
  const c = threads > 1 ? await startReplicaPool({ model, optimizer, lossFn: crossEntropy, ds, job, batchSize: 128, replicas: threads - 1 }) : localCompute({ model, optimizer, lossFn: crossEntropy, ds });
  const B = Number(process.env.B ?? 128);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let rep = 0; rep < Number(process.env.REPS ?? 3); rep++) {
    const t0 = performance.now(); const u0 = process.cpuUsage();
    for (let s = 0; s < n / B; s++) {
      const r = await c.step(order, s * B, B, { sigma: 0, seed: s, kappa: 0 }, { correct: true });
      await r.loss.data(); r.loss.dispose(); r.correct?.dispose();
    }
    const ms = performance.now() - t0; const u = process.cpuUsage(u0);
    console.log(`threads ${threads}: ${(n / ms * 1000).toFixed(0)} samples/s, cpu/wall ${((u.user + u.system) / 1000 / ms).toFixed(2)}`);
  }
  await c.close();
})();
