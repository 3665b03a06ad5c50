import { runJob } from '/work/main/src/trainer/loop';
import { tinyJob } from '/work/main/test/fixtures/trainer/jobs';
const threads = Number(process.argv[2] ?? 2);
const model = (process.argv[3] ?? 'mlp') === 'mlp' ? { type: 'mlp' as const, hidden: [256, 128], init: 'he' as const, bias: true } : { type: 'cnn' as const, conv: [16, 32], dense: [128], init: 'he' as const, bias: true };
const act = process.argv[4] === 'nrelu' ? { type: 'nrelu' as const, inference: 'deterministic' as const, sigma: { kind: 'constant' as const, start: 0.05, end: 0.05, per: 'epoch' as const, every: 1, factor: 1 } } : { type: 'relu' as const };
const job = tinyJob({ backend: 'wasm', model, activation: act, data: { trainSize: 4000, testSize: 1000 }, training: { epochs: 3, batchSize: 128, learningRate: 1e-3 }, probes: { samples: 1000, stepEventMs: 250 } });
void (async () => {
const t0 = performance.now();
await runJob(job, (e) => {
  if (e.type === 'epoch') console.log('epoch', e.epoch, 'sps', e.samplesPerSec.toFixed(0), 's', e.seconds.toFixed(2), 'acc', e.testAccuracy?.toFixed(4), 'loss', e.testLoss.toFixed(4));
  if (e.type === 'probe') console.log('probe', e.epoch, 'ms', e.ms.toFixed(1), e.layers.map((l) => `${l.layer} dead ${l.deadMean.toFixed(3)}/${l.deadGrad.toFixed(3)} g ${l.gradNorm.toFixed(3)}`).join(' '));
  if (e.type === 'jobStart') console.log('threads', e.threads);
  if (e.type === 'log' || e.type === 'jobEnd') console.log(JSON.stringify(e));
}, { cancelled: () => false, threads });
console.log('total', ((performance.now() - t0) / 1000).toFixed(2));
})();
