/**
 * Validation of what the host sends the trainer. The job was validated when the config was
 * resolved; this is the process boundary check (shape and the fields the trainer switches on),
 * so a stale or foreign host gets a clear failure instead of a crash deep inside training.
 */
import {
  ACTIVATION_TYPES, BACKENDS, DATASETS, INITS, LOSSES, NORMS, OPTIMIZERS, OUTPUT_INITS, PARAMETERIZATIONS, TEACHER_INPUTS, type JobSpec,
} from '../core/config';
import { activationDef } from '../core/activations';
import { isFiniteNum as isNum, isInt, isObj, isStr, oneOf } from '../core/guards';
import { PROTOCOL_VERSION, type HostToTrainer } from '../core/protocol';

const isIntList = (x: unknown): boolean => Array.isArray(x) && x.every((v) => isInt(v, 1));

/** The first problem found in a job spec, or undefined when it is usable. */
export function jobSpecProblem(x: unknown): string | undefined {
  if (!isObj(x)) return 'job is not an object';
  if (!isStr(x.jobId) || x.jobId === '') return 'job.jobId must be a non-empty string';
  // Beyond 2⁵³ distinct seeds read as one number: the validator refuses them too.
  if (!Number.isSafeInteger(x.seed)) return 'job.seed must be a safe integer';
  const { data, model, activation, training, probes } = x;
  if (!isObj(data) || !oneOf(DATASETS, data.dataset)) return `job.data.dataset must be one of ${DATASETS.join(', ')}`;
  if (!isInt(data.trainSize, 1) || !isInt(data.testSize, 1)) return 'job.data.trainSize and testSize must be positive integers';
  if (!isNum(data.kappa) || data.kappa < 0) return 'job.data.kappa must be a number ≥ 0';
  if ((data.dataset === 'idx' || data.dataset === 'cifar10') && !isStr(data.path)) return `job.data.path must be a string for ${data.dataset} data`;
  if (data.dataset === 'teacher' && !(isInt(data.d, 1) && isInt(data.width, 1) && isNum(data.noise))) {
    return 'job.data needs d, width (positive integers) and noise for teacher data';
  }
  if (!isObj(model) || !(model.type === 'mlp' || model.type === 'cnn')) return "job.model.type must be 'mlp' or 'cnn'";
  if (model.type === 'mlp' && !isIntList(model.hidden)) return 'job.model.hidden must be a list of positive integers';
  if (model.type === 'cnn' && !(isIntList(model.conv) && isIntList(model.dense))) return 'job.model.conv and dense must be lists of positive integers';
  if (!oneOf(INITS, model.init) || typeof model.bias !== 'boolean') return 'job.model needs init and bias';
  const optionsProblem = modelOptionsProblem(model) ?? (data.dataset === 'teacher' ? teacherOptionsProblem(data) : undefined);
  if (optionsProblem) return optionsProblem;
  if (model.norm !== undefined && !oneOf(NORMS, model.norm)) return `job.model.norm must be one of ${NORMS.join(', ')}`;
  if (!isObj(activation) || !oneOf(ACTIVATION_TYPES, activation.type)) return `job.activation.type must be one of ${ACTIVATION_TYPES.join(', ')}`;
  const scheduleProblem = unresolvedSchedule(activation as Record<string, unknown> & { type: (typeof ACTIVATION_TYPES)[number] });
  if (scheduleProblem) return scheduleProblem;
  if (!isObj(training)) return 'job.training must be an object';
  if (!isInt(training.epochs, 1) || !isInt(training.batchSize, 1)) return 'job.training.epochs and batchSize must be positive integers';
  if (!isNum(training.learningRate) || !isNum(training.momentum)) return 'job.training.learningRate and momentum must be numbers';
  if (!oneOf(OPTIMIZERS, training.optimizer)) return `job.training.optimizer must be one of ${OPTIMIZERS.join(', ')}`;
  if (!oneOf(LOSSES, training.loss)) return `job.training.loss must be one of ${LOSSES.join(', ')}`;
  if (!isObj(probes) || !isNum(probes.deadThreshold) || !isInt(probes.samples, 1) || !isInt(probes.every, 1) || !isNum(probes.stepEventMs)) {
    return 'job.probes needs deadThreshold, samples, every and stepEventMs';
  }
  if (!oneOf(BACKENDS, x.backend)) return `job.backend must be one of ${BACKENDS.join(', ')}`;
  return undefined;
}

/** The optional model fields (freeze, parameterization, outputInit): absent, or well-formed. */
function modelOptionsProblem(model: Record<string, unknown>): string | undefined {
  const frozen = (f: unknown): boolean => f === 'input' || f === 'output' || isInt(f, 1);
  if (model.freeze !== undefined && !(Array.isArray(model.freeze) && model.freeze.every(frozen))) return 'job.model.freeze must list "input", "output" or layer numbers ≥ 1';
  if (model.parameterization !== undefined && !oneOf(PARAMETERIZATIONS, model.parameterization)) return `job.model.parameterization must be one of ${PARAMETERIZATIONS.join(', ')}`;
  if (model.outputInit !== undefined && !oneOf(OUTPUT_INITS, model.outputInit)) return `job.model.outputInit must be one of ${OUTPUT_INITS.join(', ')}`;
  return undefined;
}

function teacherOptionsProblem(data: Record<string, unknown>): string | undefined {
  if (data.inputs !== undefined && !oneOf(TEACHER_INPUTS, data.inputs)) return `job.data.inputs must be one of ${TEACHER_INPUTS.join(', ')}`;
  if (data.appendConstant !== undefined && !isNum(data.appendConstant)) return 'job.data.appendConstant must be a number';
  if (data.center !== undefined && typeof data.center !== 'boolean') return 'job.data.center must be true or false';
  return undefined;
}

/** Every schedulable parameter of the type must arrive resolved (the loop reads its σ from it). */
function unresolvedSchedule(activation: Record<string, unknown> & { type: (typeof ACTIVATION_TYPES)[number] }): string | undefined {
  for (const [key, p] of Object.entries(activationDef(activation.type).params)) {
    if (p.kind === 'schedule' && !isObj(activation[key])) return `job.activation.${key} must be a resolved schedule for ${activation.type}`;
  }
  return undefined;
}

/** The message, or why it is not a valid host → trainer message. */
export function parseHostMessage(x: unknown): HostToTrainer | string {
  if (!isObj(x)) return 'message is not an object';
  if (x.v !== PROTOCOL_VERSION) return `unsupported protocol version ${String(x.v)} (expected ${PROTOCOL_VERSION})`;
  if (x.type === 'cancel') return { type: 'cancel', v: PROTOCOL_VERSION };
  if (x.type !== 'start') return `unknown message type '${String(x.type)}'`;
  const problem = jobSpecProblem(x.job);
  if (problem) return problem;
  if (x.threads !== undefined && !isInt(x.threads, 1)) return 'threads must be a positive integer';
  return { type: 'start', v: PROTOCOL_VERSION, job: x.job as JobSpec, ...(x.threads === undefined ? {} : { threads: x.threads as number }) };
}

/** The job id of a possibly malformed job, for reporting its failure. */
export function jobIdOf(x: unknown): string | undefined {
  return isObj(x) && isObj(x.job) && isStr(x.job.jobId) ? x.job.jobId : undefined;
}
