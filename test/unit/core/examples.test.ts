import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../../../src/core/expand';
import { formatDiagnostic, validateConfigText } from '../../../src/core/validate';
import { estimateRunSeconds } from '../../../src/core/estimate';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.actlab.json')).sort();
/** Presets whose data the user supplies (nothing is downloaded), with the folder they name. */
const NEEDS_USER_FILES = new Map([['cifar10.actlab.json', 'cifar-10-batches-bin']]);

test('the presets are all there', () => {
  for (const name of ['quickstart', 'nrelu-comparison', 'nrelu-sigma-sweep-cnn', 'nrelu-annealing', 'leaky-alpha-init', 'negative-alpha-teacher', 'input-masking-teacher']) {
    assert.ok(files.includes(`${name}.actlab.json`), name);
  }
});

for (const f of files) {
  test(`examples/${f} validates without errors, expands and stays small`, () => {
    const path = join(dir, f);
    const text = readFileSync(path, 'utf8');
    assert.match(text, /^\/\/ /, 'starts with a comment saying what it reproduces');
    assert.match(text, /"\$schema": "\.\.\/schemas\/actlab\.schema\.json"/);
    // A preset on files the user supplies (CIFAR-10) is checked as if they were there (see below).
    const userFolder = NEEDS_USER_FILES.get(f);
    const fileExists = (p: string): boolean => existsSync(p) || (userFolder !== undefined && p === join(dir, userFolder));
    const r = validateConfigText(text, { baseDir: dir, fileExists });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => formatDiagnostic(f, d)), []);
    assert.ok(r.config);
    const resolved = resolveConfig(r.config, { sourcePath: path });
    assert.equal(resolved.jobs.length, r.jobCount);
    assert.ok(resolved.jobs.length >= 2 && resolved.jobs.length <= 50, `${resolved.jobs.length} jobs`);
    assert.equal(new Set(resolved.jobs.map((j) => j.jobId)).size, resolved.jobs.length, 'job ids are unique');
    // A few minutes on 2 cores at most (the estimate is rough; keep a margin).
    assert.ok(estimateRunSeconds(resolved.jobs, 2) < 5 * 60, `${Math.round(estimateRunSeconds(resolved.jobs, 2))} s`);
  });
}

test('the CIFAR-10 preset explains the files it needs and reports them missing until they are there', () => {
  const text = readFileSync(join(dir, 'cifar10.actlab.json'), 'utf8');
  assert.match(text, /cifar-10-batches-bin/);
  assert.match(text, /nothing is bundled or downloaded/);
  const r = validateConfigText(text, { baseDir: dir, fileExists: () => false });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), ['path-not-found']);
  assert.match(r.diagnostics.find((d) => d.code === 'path-not-found')!.message, /cifar10 path "cifar-10-batches-bin" does not exist .*the user supplies it/);
  const config = validateConfigText(text, { baseDir: dir, fileExists: () => true }).config;
  assert.ok(config);
  const job = resolveConfig(config, { sourcePath: join(dir, 'cifar10.actlab.json') }).jobs[0]!;
  assert.deepEqual(job.data, { dataset: 'cifar10', path: join(dir, 'cifar-10-batches-bin'), trainSize: 5000, testSize: 1000, kappa: 0 });
});

test('quickstart: ReLU, N-ReLU σ 0.05 and cosine σ 0.2→0, 3 seeds', () => {
  const r = validateConfigText(readFileSync(join(dir, 'quickstart.actlab.json'), 'utf8'));
  assert.ok(r.config);
  const { arms, jobs } = resolveConfig(r.config);
  assert.deepEqual(arms.map((a) => a.activation.type), ['relu', 'nrelu', 'nrelu']);
  assert.equal(jobs.length, 9);
  const cos = arms[2].activation;
  assert.ok(cos.type === 'nrelu' && cos.sigma.kind === 'cosine' && cos.sigma.start === 0.2 && cos.sigma.end === 0);
  assert.deepEqual(jobs[0].data, { dataset: 'mnist', trainSize: 8000, testSize: 2000, kappa: 0 });
});
