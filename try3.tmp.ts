import { Worker, isMainThread } from 'node:worker_threads';
import { initBackend } from './src/trainer/backend';
import { createModel } from './src/trainer/models';
import { createOptimizer } from './src/trainer/optimizers';
import { crossEntropy } from './src/trainer/losses';
import { localCompute } from './src/trainer/compute';
import { toShared } from './src/trainer/parallel/layout';
async function loop(tag: string) {
  await initBackend('wasm');
  const spec = process.env.MLP ? { type: 'mlp' as const, hidden: [256, 128], init: 'he' as const, bias: true } : { type: 'cnn' as const, conv: [16, 32], dense: [128], init: 'he' as const, bias: true };
  const model = createModel(spec, [28, 28, 1], 10, { type: 'relu' }, 1);
  const optimizer = createOptimizer({ optimizer: 'adam', learningRate: 1e-3, momentum: 0 });
  const n = process.env.MLP ? 8192 : 1024;
  const ds = { kind: 'classification' as const, inputShape: [28, 28, 1], outputs: 10, trainSize: n, testSize: 10,
    xTrain: new Float32Array(n * 784).map(() => Math.random()), yTrain: new Int32Array(n).map(() => Math.floor(Math.random() * 10)),
    xTest: new Float32Array(10 * 784), yTest: new Int32Array(10) };
  const c = localCompute({ model, optimizer, lossFn: crossEntropy, ds: process.env.SAB ? { ...ds, xTrain: toShared(ds.xTrain), yTrain: toShared(ds.yTrain) } : ds });
  const order = Array.from({ length: n }, (_, i) => i);
  const B = 64;
  for (let rep = 0; rep < 12; rep++) {
    const t0 = performance.now();
    for (let s = 0; s < n / B; s++) {
      const r = await c.step(order, s * B, B, { sigma: 0, seed: s, kappa: 0 }, {});
      await r.loss.data(); r.loss.dispose();
    }
    console.log(`${tag}: ${(n / (performance.now() - t0) * 1000).toFixed(0)} samples/s`);
  }
}
if (isMainThread) {
  if (process.argv[2] === 'both') new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, { eval: true });
  void loop('main');
} else {
  void loop('worker');
}
