// The Kubernetes manifest of `actlab submit k8s`: checked against the batch/v1 Job API's required
// fields for an Indexed Job, then its pod command is run here for indices 0 and 1 as the pods would
// run it (JOB_COMPLETION_INDEX set, the run folder where the manifest mounts the volume). There is
// no cluster engine on this machine, so this is as far as the manifest can be taken.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { K8S_RUNS_MOUNT } from '../../src/cluster/k8s';

const yaml = require('js-yaml') as { load(text: string): unknown };
const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'actlab.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'actlab-k8s-'));
const runsDir = path.join(tmp, 'runs');

interface Result { code: number | null; stdout: string; stderr: string }
function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<Result> {
  const child = spawn(argv[0]!, argv.slice(1), { cwd: tmp, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
const actlab = (...args: string[]): Promise<Result> => run([process.execPath, BIN, ...args]);
const lastLine = (s: string): string => s.trimEnd().split('\n').pop() ?? '';

type Obj = Record<string, unknown>;
const obj = (x: unknown, what: string): Obj => {
  assert.ok(x !== null && typeof x === 'object' && !Array.isArray(x), `${what} must be an object`);
  return x as Obj;
};
const list = (x: unknown, what: string): unknown[] => {
  assert.ok(Array.isArray(x) && x.length > 0, `${what} must be a non-empty list`);
  return x;
};

before(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js')) || !fs.existsSync(path.join(ROOT, 'dist', 'trainer.js'))) {
    const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
});

after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('submit k8s: an Indexed batch/v1 Job whose pod command trains job i of the run folder', async () => {
  const config = path.join(tmp, 'two.actlab.json');
  fs.writeFileSync(config, JSON.stringify({
    name: 'two', data: { dataset: 'teacher', n: 200, d: 8, width: 16, noise: 0.1 }, model: { type: 'mlp', hidden: [16] },
    activations: [{ id: 'relu', type: 'relu' }], training: { epochs: 2, batchSize: 32, seeds: [1, 2], loss: 'mse' },
  }));
  const planned = await actlab('plan', config, '--out', runsDir);
  assert.equal(planned.code, 0, planned.stderr);
  const runDir = lastLine(planned.stdout);
  const submitted = await actlab('submit', 'k8s', runDir, '--parallel', '2', '--image', 'registry.example/actlab:0.1', '--pvc', 'actlab-runs-rwx');
  assert.equal(submitted.code, 0, submitted.stderr);
  const file = lastLine(submitted.stdout);
  assert.equal(file, path.join(runDir, 'k8s-job.yaml'));

  // The Job API: what an Indexed Job with per-index retries must have.
  const job = obj(yaml.load(fs.readFileSync(file, 'utf8')), 'the manifest');
  assert.equal(job.apiVersion, 'batch/v1');
  assert.equal(job.kind, 'Job');
  const name = obj(job.metadata, 'metadata').name;
  assert.ok(typeof name === 'string' && /^[a-z0-9]([a-z0-9-]{0,54}[a-z0-9])?$/.test(name), `metadata.name ${String(name)}`);
  const spec = obj(job.spec, 'spec');
  assert.equal(spec.completionMode, 'Indexed');
  assert.equal(spec.completions, 2);
  assert.equal(spec.parallelism, 2);
  assert.ok(Number.isInteger(spec.backoffLimitPerIndex) && (spec.backoffLimitPerIndex as number) >= 0);
  const pod = obj(obj(spec.template, 'spec.template').spec, 'spec.template.spec');
  assert.equal(pod.restartPolicy, 'Never', 'backoffLimitPerIndex requires restartPolicy Never');
  const [container] = list(pod.containers, 'containers').map((c) => obj(c, 'container'));
  assert.equal(container!.image, 'registry.example/actlab:0.1');
  const command = list(container!.command, 'command');
  assert.ok(command.every((w) => typeof w === 'string'));
  const mounts = list(container!.volumeMounts, 'volumeMounts').map((m) => obj(m, 'volumeMount'));
  const volumes = list(pod.volumes, 'volumes').map((v) => obj(v, 'volume'));
  const mount = mounts.find((m) => m.mountPath === K8S_RUNS_MOUNT);
  assert.ok(mount, `a volume mounted at ${K8S_RUNS_MOUNT}`);
  const volume = volumes.find((v) => v.name === mount.name);
  assert.deepEqual(volume?.persistentVolumeClaim, { claimName: 'actlab-runs-rwx' });

  // The pods' command, here: actlab is this checkout's, the mount is the local runs folder.
  const argv = (command as string[]).map((w) => w.replace(K8S_RUNS_MOUNT, runsDir));
  assert.equal(argv[0], 'actlab');
  assert.ok(argv.includes(runDir), `the command names the run folder: ${argv.join(' ')}`);
  const env = { ...process.env };
  delete env.ACTLAB_JOB_INDEX;
  delete env.SLURM_ARRAY_TASK_ID;
  const pods = await Promise.all([0, 1].map((i) => run([process.execPath, BIN, ...argv.slice(1)], { ...env, JOB_COMPLETION_INDEX: String(i) })));
  pods.forEach((r, i) => assert.equal(r.code, 0, `pod ${i}: ${r.stdout}${r.stderr}`));
  for (const i of [0, 1]) assert.ok(fs.existsSync(path.join(runDir, 'jobs', String(i), 'events.jsonl')));
  const merged = await actlab('merge', runDir, '--quiet');
  assert.equal(merged.code, 0, merged.stdout + merged.stderr);
  assert.equal((JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as { status: string }).status, 'completed');
});
