/**
 * `npm run reproduce`: runs the four seed studies (presets in examples/reproduce through the real
 * CLI, plus in-process numerical checks), then writes docs/REPRODUCTION.md and docs/figures/*.svg
 * with verdicts computed from the numbers.
 *
 *   node --import tsx scripts/reproduce/main.ts [--runs DIR] [--parallel N] [--quick]
 *        [--analyze-only] [--docs DIR]
 *
 * --quick shrinks every preset (tiny data, few epochs) to test the pipeline in about a minute;
 * --analyze-only rebuilds the report from the newest run folders already under --runs.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../../src/trainer/backend';
import { DATA_SPLIT_SEED } from '../../src/trainer/loop';
import { depthVariance, grid, leakyGradStats, smoothReluMonteCarlo, teacherOddShare, useCpuBackend, type DepthTrace, type GradStat, type SmoothPoint } from './numeric';
import { findRunDir, loadStudyRun, readPreset, runPreset, writePreset, type StudyRun } from './runs';
import { describeNreluChecks, nreluCheckSections, nreluChecksSeconds, runNreluChecks } from './nreluChecks';
import { describeRun, leakySection, maskingSection, negativeAlphaSection, nreluSection, type Section } from './studies';

const ROOT = resolve(__dirname, '../..');

const PRESETS = {
  nreluMlp: 'nrelu-mlp.actlab.json',
  nreluCnn: 'nrelu-sigma-cnn.actlab.json',
  negativeAlpha: 'negative-alpha.actlab.json',
  masking: 'input-masking.actlab.json',
} as const;
type Key = keyof typeof PRESETS;

/** --quick: the same experiments, tiny, to test the pipeline end to end. */
function shrink(key: Key, p: Record<string, unknown>): Record<string, unknown> {
  const data = { ...(p.data as Record<string, unknown>) };
  const training = { ...(p.training as Record<string, unknown>) };
  if (data.dataset === 'mnist') {
    data.trainSize = 600;
    data.testSize = 200;
    training.epochs = 2;
  } else {
    training.epochs = key === 'masking' ? 200 : 60;
  }
  return { ...p, data, training, probes: { ...(p.probes as Record<string, unknown> | undefined), samples: 100 } };
}

/** The teacher's odd-part share for the negative-α run (undefined for another dataset). */
function oddShareOf(run: StudyRun): { share: number; variance: number } | undefined {
  const d = run.config.jobs[0]?.data;
  return d?.dataset === 'teacher' ? teacherOddShare(d, DATA_SPLIT_SEED) : undefined;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: join(ROOT, '.actlab/reproduce') },
      docs: { type: 'string', default: join(ROOT, 'docs') },
      parallel: { type: 'string', default: '2' },
      quick: { type: 'boolean', default: false },
      'analyze-only': { type: 'boolean', default: false },
    },
  });
  const runsDir = resolve(values.runs!);
  const docsDir = resolve(values.docs!);
  const figDir = join(docsDir, 'figures');
  mkdirSync(runsDir, { recursive: true });
  mkdirSync(figDir, { recursive: true });
  const parallel = Math.max(1, Number(values.parallel) || 2);
  const quick = values.quick === true;
  const logPath = join(runsDir, 'reproduce.log');
  const log = (s: string): void => {
    process.stdout.write(s);
    appendFileSync(logPath, s);
  };
  const t0 = Date.now();
  const stamp = (): string => `[${((Date.now() - t0) / 1000).toFixed(0)} s]`;
  log(`${new Date().toISOString()} reproduce start (quick=${quick}, parallel=${parallel}, runs=${runsDir})\n`);

  // Numerical checks first: seconds, and they fail fast if tfjs is broken.
  const mcGradSamples = quick ? 100_000 : 1_000_000;
  await useCpuBackend();
  const grads: GradStat[] = [-1, -0.5, 0, 0.01, 0.2, 0.5].map((a, i) => leakyGradStats(a, mcGradSamples, 1000 + i));
  log(`${stamp()} study 2: gradient moments done\n`);
  const depthSetup = { depth: 20, width: quick ? 128 : 1024, batch: 256, seeds: quick ? 2 : 8 };
  let backendDepth = 'cpu';
  try {
    backendDepth = (await initBackend('wasm')).name;
  } catch (err) {
    log(`wasm backend unavailable for the depth check, using cpu: ${String(err)}\n`);
    await useCpuBackend();
  }
  const traces: DepthTrace[] = [];
  for (const alpha of [0, 0.01, 0.2, 0.5]) {
    for (const init of ['he', 'leakyHe'] as const) {
      for (let s = 1; s <= depthSetup.seeds; s++) traces.push(depthVariance(alpha, init, depthSetup.depth, depthSetup.width, depthSetup.batch, s));
    }
  }
  log(`${stamp()} study 2: depth variance done\n`);
  const mcSamples = quick ? 20_000 : 200_000;
  const zs = grid(-3, 3, 61);
  const mc = new Map<number, SmoothPoint[]>([0.1, 0.5, 1].map((sigma, i) => [sigma, smoothReluMonteCarlo(sigma, zs, mcSamples, 2000 + i)]));
  log(`${stamp()} study 4: smoothed ReLU Monte Carlo done\n`);

  // Training studies through the CLI, one preset at a time, `parallel` trainers each.
  const runs = {} as Record<Key, StudyRun>;
  for (const key of Object.keys(PRESETS) as Key[]) {
    const out = join(runsDir, quick ? `quick-${key}` : key);
    let dir: string | undefined;
    if (values['analyze-only']) {
      dir = findRunDir(out);
      if (!dir) throw new Error(`--analyze-only: no run folder under ${out}`);
    } else {
      let preset = join(ROOT, 'examples/reproduce', PRESETS[key]);
      if (quick) {
        const tmp = join(runsDir, `quick-${PRESETS[key]}`);
        writePreset(shrink(key, readPreset(preset)), tmp);
        preset = tmp;
      }
      log(`${stamp()} ${key}: actlab run ${relative(ROOT, preset)}\n`);
      dir = await runPreset(ROOT, preset, out, parallel, log);
    }
    runs[key] = loadStudyRun(dir);
    log(`${stamp()} ${key}: ${runs[key].status} → ${dir}\n`);
  }

  // The N-ReLU next checks (issue 16) run after the four studies; CIFAR-10 only with its files.
  const checks = await runNreluChecks({ root: ROOT, runsDir, quick, analyzeOnly: values['analyze-only'] === true, parallel, log, stamp });

  const sink = { dir: figDir, rel: 'figures' };
  const sections: Section[] = [
    nreluSection(runs.nreluMlp, runs.nreluCnn, sink),
    leakySection(grads, traces, { ...depthSetup, samples: mcGradSamples, backendDepth }, sink),
    negativeAlphaSection(runs.negativeAlpha, oddShareOf(runs.negativeAlpha), sink),
    maskingSection(mc, mcSamples, runs.masking, sink),
    ...nreluCheckSections(checks, runs.nreluMlp, sink),
  ];
  const minutes = ((Date.now() - t0) / 60000).toFixed(1);
  const trainMinutes = ((Object.values(runs).reduce((a, r) => a + r.seconds, 0) + nreluChecksSeconds(checks)) / 60).toFixed(1);
  const doc = [
    '# Reproducing the seed studies',
    '',
    `Generated by \`npm run reproduce\` (scripts/reproduce/main.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${quick ? ' in **--quick** mode (tiny sizes: a pipeline test, not a result)' : ''}; ${values['analyze-only'] ? `report rebuilt from the run folders; their training runs took ${trainMinutes} min with ${parallel} trainers in parallel` : `the whole reproduction took ${minutes} min (training runs ${trainMinutes} min) with ${parallel} trainers in parallel`}. Every number below is read from the run folders (\`events.jsonl\`) or computed in the script; every verdict is decided by the criterion printed next to it — nothing is typed in by hand. Presets: examples/reproduce/*.actlab.json. Mean ± std are over seeds (sample std).`,
    '',
    '**Sized for the time budget** (the whole run must fit in about 30 minutes on 2 shared cores, wasm backend). The MNIST studies use the 10,000 digits bundled with the `mnist` package (the paper trains on 60,000 and tests on 10,000), a few epochs and a few seeds, so absolute accuracies are below the paper\'s; the comparisons are between arms trained identically. The teacher studies use the paper-like sizes (n = 500 training samples, d = 20). What ran:',
    '',
    ...(Object.keys(PRESETS) as Key[]).map((k) => `- ${PRESETS[k]}: ${describeRun(runs[k])}`),
    ...describeNreluChecks(checks),
    '',
    '| study | verdict | why |',
    '|---|---|---|',
    ...sections.map((s) => `| ${s.title} | ${s.verdict} | ${s.why.replace(/\|/g, '\\|')} |`),
    '',
    ...sections.flatMap((s) => [`## ${s.title}`, '', s.markdown, '']),
  ].join('\n');
  writeFileSync(join(docsDir, 'REPRODUCTION.md'), doc);
  log(`${stamp()} wrote ${join(docsDir, 'REPRODUCTION.md')}\n${sections.map((s) => `  ${s.title}: ${s.verdict}`).join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`reproduce failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
