/**
 * The Kubernetes manifest of a planned run: one batch/v1 Job in Indexed completion mode, pod i
 * runs `actlab run-job <runDir>` and finds its index in JOB_COMPLETION_INDEX. The run folder lives
 * on a ReadWriteMany volume mounted in every pod at the same path.
 */
import { toYaml, type YamlValue } from './yaml';

export const K8S_MANIFEST = 'k8s-job.yaml';
/** Where the runs volume is mounted in each pod; the run folder is <mount>/<runId>. */
export const K8S_RUNS_MOUNT = '/actlab/runs';
export const K8S_DEFAULT_IMAGE = 'activation-lab:latest';
export const K8S_DEFAULT_PVC = 'actlab-runs';

export interface K8sJobOptions {
  runId: string;
  name: string;
  jobs: number;
  parallel: number;
  image: string;
  pvc: string;
  /** CPUs each pod requests; the job trains on as many threads. */
  cpus: number;
  /** Retries of one index before it counts as failed (backoffLimitPerIndex). */
  retries: number;
  /** The program inside the image (default `actlab`, on its PATH). */
  actlab?: readonly string[];
}

/** A DNS label: the Job's name, and its pods' hostnames `<name>-<index>`, must stay within 63. */
export function k8sJobName(runId: string): string {
  const slug = runId.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-');
  return `actlab-${slug}`.slice(0, 56).replace(/-+$/, '');
}

/** Where the pods see the run folder. */
export const k8sRunDir = (runId: string): string => `${K8S_RUNS_MOUNT}/${runId}`;

export function k8sJob(o: K8sJobOptions): Record<string, YamlValue> {
  if (o.jobs < 1) throw new RangeError('a run without jobs has nothing to submit');
  const name = k8sJobName(o.runId);
  const labels = { 'app.kubernetes.io/name': 'activation-lab', 'activation-lab/job': name };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels },
    spec: {
      completionMode: 'Indexed',
      completions: o.jobs,
      parallelism: Math.min(o.parallel, o.jobs),
      // Per index, so one bad job does not use up the whole Job's retries (needs restartPolicy Never).
      backoffLimitPerIndex: o.retries,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          containers: [{
            name: 'run-job',
            image: o.image,
            command: [...(o.actlab ?? ['actlab']), 'run-job', k8sRunDir(o.runId), '--threads', String(o.cpus)],
            resources: { requests: { cpu: String(o.cpus) }, limits: { cpu: String(o.cpus) } },
            volumeMounts: [{ name: 'runs', mountPath: K8S_RUNS_MOUNT }],
          }],
          volumes: [{ name: 'runs', persistentVolumeClaim: { claimName: o.pvc } }],
        },
      },
    },
  };
}

export function k8sManifest(o: K8sJobOptions): string {
  const head = [
    `# Activation Lab: "${o.name.replace(/\n/g, ' ')}", ${o.jobs} job(s) as one Indexed Job (written by actlab submit k8s).`,
    `# Pod i trains job i into ${k8sRunDir(o.runId)}/jobs/<i>/events.jsonl (the index from JOB_COMPLETION_INDEX).`,
    `# The PersistentVolumeClaim "${o.pvc}" must be ReadWriteMany and hold this run folder as ${o.runId}/.`,
    '#   apply:  kubectl apply -f k8s-job.yaml      then: actlab merge <this run folder>',
  ];
  return `${head.join('\n')}\n${toYaml(k8sJob(o))}`;
}
