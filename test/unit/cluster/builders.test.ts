// The pure cluster builders: which index a task runs, the sbatch script, the YAML writer and the
// Kubernetes Job (checked against the Job API's required fields in test/integration/k8s.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveJobIndex } from '../../../src/cluster/jobIndex';
import { k8sJob, k8sJobName, k8sManifest } from '../../../src/cluster/k8s';
import { shellCommand } from '../../../src/cluster/shell';
import { parseSbatchJobId, slurmArray, slurmScript } from '../../../src/cluster/slurm';
import { toYaml } from '../../../src/cluster/yaml';

// js-yaml is in node_modules (a dev tool's dependency), good enough to check our writer against.
const yaml = require('js-yaml') as { load(text: string): unknown };

test('the job index: --index, then ACTLAB_JOB_INDEX, SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX', () => {
  const env = { ACTLAB_JOB_INDEX: '1', SLURM_ARRAY_TASK_ID: '2', JOB_COMPLETION_INDEX: '3' };
  assert.deepEqual(resolveJobIndex('0', env, 6), { index: 0, from: '--index' });
  assert.deepEqual(resolveJobIndex(undefined, env, 6), { index: 1, from: 'ACTLAB_JOB_INDEX' });
  assert.deepEqual(resolveJobIndex(undefined, { ...env, ACTLAB_JOB_INDEX: undefined }, 6), { index: 2, from: 'SLURM_ARRAY_TASK_ID' });
  assert.deepEqual(resolveJobIndex(undefined, { JOB_COMPLETION_INDEX: '3' }, 6), { index: 3, from: 'JOB_COMPLETION_INDEX' });
  assert.match(resolveJobIndex(undefined, {}, 6) as string, /no job index/);
  assert.match(resolveJobIndex('6', {}, 6) as string, /out of range.*0–5/);
  for (const bad of ['-1', '1.5', '1e2', 'x', '']) assert.match(resolveJobIndex(bad, {}, 6) as string, /not a job index/);
});

test('the sbatch script: one array, K at a time, absolute paths, one output per task', () => {
  assert.equal(slurmArray(6, 2), '0-5%2');
  assert.equal(slurmArray(1), '0');
  const s = slurmScript({ runDir: '/shared/runs/r 1%', runId: 'r1', name: 'n', jobs: 6, actlab: ['/usr/bin/node', '/opt/a/bin/actlab.js'], parallel: 2, partition: 'gpu', time: '1:00:00', cpus: 4 });
  assert.ok(s.startsWith('#!/bin/bash\n'));
  assert.match(s, /^#SBATCH --array=0-5%2$/m);
  assert.match(s, /^#SBATCH --output="\/shared\/runs\/r 1%%\/logs\/slurm-%A_%a.out"$/m);
  assert.match(s, /^#SBATCH --partition=gpu$/m);
  assert.match(s, /^#SBATCH --time=1:00:00$/m);
  assert.match(s, /^#SBATCH --cpus-per-task=4$/m);
  assert.match(s, /^exec \/usr\/bin\/node \/opt\/a\/bin\/actlab.js run-job '\/shared\/runs\/r 1%' --index "\$SLURM_ARRAY_TASK_ID" --threads "\$\{SLURM_CPUS_PER_TASK:-4\}"$/m);
  // sbatch stops reading #SBATCH lines at the first command.
  const lines = s.split('\n');
  assert.ok(lines.findIndex((l) => l.startsWith('set ')) > lines.map((l) => l.startsWith('#SBATCH')).lastIndexOf(true));
  assert.equal(parseSbatchJobId('Submitted batch job 42\n'), '42');
  assert.equal(parseSbatchJobId('42;cluster\n'), '42');
  assert.equal(shellCommand(['a b', "it's", 'x']), `'a b' 'it'\\''s' x`);
});

test('the YAML writer round-trips through a real YAML parser, strings stay strings', () => {
  const v = { a: 'no', b: '1', c: 'a: b # c', d: ['x', { e: 1, f: [true, null] }, []], g: {}, 'weird key': 'line\nbreak', h: [{ i: [{ j: 'k' }] }] };
  assert.deepEqual(yaml.load(toYaml(v)), v);
});

test('the Kubernetes Job: a DNS-label name and the indexed shape', () => {
  const name = k8sJobName('2026-12-03T12-27-08-A_very_LONG-name-'.repeat(3));
  assert.match(name, /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
  assert.ok(name.length <= 56, 'room for the pod hostname suffix -<index>');
  const job = k8sJob({ runId: 'r', name: 'n', jobs: 3, parallel: 5, image: 'img', pvc: 'p', cpus: 2, retries: 1 });
  assert.deepEqual(yaml.load(k8sManifest({ runId: 'r', name: 'n', jobs: 3, parallel: 5, image: 'img', pvc: 'p', cpus: 2, retries: 1 })), job);
  assert.equal((job.spec as { parallelism: number }).parallelism, 3, 'never more pods than jobs');
});
