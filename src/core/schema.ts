/**
 * The JSON schema of *.actlab.json, built from the catalog and the defaults so descriptions,
 * ranges and defaults are stated once. scripts/gen-schema.ts writes it to
 * schemas/actlab.schema.json (VS Code's jsonValidation); the validator compiles the same object.
 *
 * Alternatives are written as if/then/else on the value's JSON type or on a discriminating key
 * ("type", "dataset", "sweep") rather than anyOf/oneOf: VS Code still completes the branch that
 * applies, and ajv reports the errors of that one branch instead of every branch's.
 */
import {
  ACTIVATION_TYPES, BACKENDS, DATASETS, INITS, LOSSES, NORMS, OPTIMIZERS, OUTPUT_INITS, PARAMETERIZATIONS, SCHEDULE_KINDS, TEACHER_INPUTS,
  type ActivationType,
} from './config';
import { ACTIVATIONS } from './activations';
import { CATALOG, activationMarkdown, paramMarkdown, type ParamInfo } from './catalog';
import { CIFAR10 } from './datasets';
import {
  BACKEND_DEFAULT, DATA_DEFAULTS, LEARNING_RATE_DEFAULTS, MNIST_SIZE, MODEL_DEFAULTS, PROBE_DEFAULTS, PROBE_SAMPLES, TRAINING_DEFAULTS,
} from './defaults';
import { DEFAULT_LIMITS } from './limits';

export interface DefaultSnippet { label: string; description?: string; body: unknown }

export interface JsonSchema {
  $schema?: string;
  $id?: string;
  $ref?: string;
  title?: string;
  description?: string;
  markdownDescription?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown[];
  properties?: Record<string, JsonSchema | boolean>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  uniqueItems?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  pattern?: string;
  if?: JsonSchema;
  then?: JsonSchema;
  else?: JsonSchema;
  allOf?: JsonSchema[];
  definitions?: Record<string, JsonSchema>;
  /** VS Code extensions to JSON schema (ignored by validators). */
  markdownEnumDescriptions?: string[];
  defaultSnippets?: DefaultSnippet[];
  /** The file may have comments / trailing commas (VS Code's JSON support errs on them otherwise). */
  allowComments?: boolean;
  allowTrailingCommas?: boolean;
}

/** Keywords VS Code understands that are not JSON Schema; the validator's ajv is told about them. */
export const EDITOR_KEYWORDS = ['markdownDescription', 'markdownEnumDescriptions', 'defaultSnippets', 'allowComments', 'allowTrailingCommas'] as const;

/** Allowed characters of an activation id: it becomes part of arm ids `id[k=v]#seed` and file names. */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]*$';

function doc(description: string, markdown?: string): Pick<JsonSchema, 'description' | 'markdownDescription'> {
  return { description, markdownDescription: markdown ?? description };
}

/** Only the documentation of a schema: what the outer schema of a union shows in the editor. */
function docsOf(s: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  if (s.description !== undefined) out.description = s.description;
  if (s.markdownDescription !== undefined) out.markdownDescription = s.markdownDescription;
  if (s.default !== undefined) out.default = s.default;
  if (s.examples !== undefined) out.examples = s.examples;
  return out;
}

function stripDocs(s: JsonSchema): JsonSchema {
  const { description: _d, markdownDescription: _m, default: _def, examples: _e, defaultSnippets: _s, ...rest } = s;
  return rest;
}

function asArray(t: string | string[] | undefined): string[] {
  return t === undefined ? [] : Array.isArray(t) ? t : [t];
}

/** `base` or `{ "sweep": [base, ...] }`. */
function sweepable(base: JsonSchema, example: unknown[]): JsonSchema {
  const plain = stripDocs(base);
  // Range keywords live in the branches only, so a bad value is reported once.
  return {
    ...docsOf(base),
    type: [...asArray(base.type), 'object'],
    if: { type: 'object' },
    then: sweepObject(plain),
    else: plain,
    defaultSnippets: [{ label: 'sweep', description: 'One arm per value', body: { sweep: example } }],
  };
}

function sweepObject(items: JsonSchema): JsonSchema {
  return {
    type: 'object',
    required: ['sweep'],
    additionalProperties: false,
    properties: {
      sweep: { type: 'array', minItems: 1, uniqueItems: true, items, ...doc('The values to try: one arm per value (× the other sweeps, × seeds).') },
    },
  };
}

function scheduleObject(num: JsonSchema): JsonSchema {
  return {
    type: 'object',
    required: ['schedule', 'start'],
    additionalProperties: false,
    properties: {
      schedule: {
        enum: [...SCHEDULE_KINDS],
        ...doc('How the value moves from start (t = 0) to end (t = T, the last epoch or step).'),
        markdownEnumDescriptions: [
          'Stays at `start`.',
          'Straight line from `start` to `end`.',
          'σ_t = end + ½(start − end)(1 + cos(π t / T)) (arXiv 2511.07559, Eq. 9).',
          'Geometric interpolation from `start` to `end`.',
          'Multiplies by `factor` every `every` units of t.',
        ],
      },
      start: { ...num, ...doc('Value at t = 0.') },
      end: { ...num, ...doc('Value at t = T (required for linear, cosine, exponential).') },
      per: { enum: ['epoch', 'step'], default: 'epoch', ...doc('Unit of t: epochs (default) or optimizer steps.') },
      every: { type: 'number', exclusiveMinimum: 0, default: 1, ...doc('step: units of t between multiplications.') },
      factor: { type: 'number', exclusiveMinimum: 0, default: 0.5, ...doc('step: the multiplier.') },
    },
    if: { properties: { schedule: { enum: ['linear', 'cosine', 'exponential'] } }, required: ['schedule'] },
    then: { required: ['end'] },
  };
}

/** A number, a schedule, or a sweep over either. */
function scheduledSweepable(base: JsonSchema, def: number): JsonSchema {
  const num = stripDocs(base);
  const scheduled: JsonSchema = { type: ['number', 'object'], if: { type: 'object' }, then: scheduleObject(num), else: num };
  return {
    ...docsOf(base),
    type: ['number', 'object'],
    if: { type: 'object', required: ['sweep'] },
    then: sweepObject(scheduled),
    else: scheduled,
    defaultSnippets: [
      { label: 'cosine schedule', description: 'Anneal from start to end', body: { schedule: 'cosine', start: 0.2, end: 0 } },
      { label: 'sweep', description: 'One arm per value', body: { sweep: [def, 0.1, 0.2] } },
    ],
  };
}

function paramSchema(p: ParamInfo): JsonSchema {
  const base: JsonSchema = { ...doc(p.description, paramMarkdown(p)), default: p.default };
  if (p.kind === 'boolean') return { ...base, type: 'boolean' };
  if (p.kind === 'enum') return { ...base, enum: [...(p.values ?? [])] };
  if (p.kind === 'text') return { ...base, type: 'string', minLength: 1, ...(p.maxLength === undefined ? {} : { maxLength: p.maxLength }) };
  if (p.kind === 'named') return { ...base, type: 'object', additionalProperties: namedValueSchema() };
  const num: JsonSchema = { ...base, type: 'number' };
  if (p.min !== undefined) {
    if (p.exclusiveMin) num.exclusiveMinimum = p.min; else num.minimum = p.min;
  }
  if (p.max !== undefined) {
    if (p.exclusiveMax) num.exclusiveMaximum = p.max; else num.maximum = p.max;
  }
  const def = typeof p.default === 'number' ? p.default : 0;
  if (p.kind === 'schedule') {
    // Every schedulable parameter (σ) has the same range: share one definition, so ajv compiles
    // it once; the docs stay here (VS Code merges a $ref's target into its siblings).
    if (p.min === SCHEDULED_MIN && p.max === undefined && !p.exclusiveMin) {
      const { defaultSnippets } = scheduledSweepable(num, def);
      return { ...docsOf(num), $ref: '#/definitions/scheduledValue', defaultSnippets };
    }
    return scheduledSweepable(num, def);
  }
  const examples = p.recommended ? [p.recommended[0], p.recommended[1]] : [def];
  return sweepable(num, examples);
}

/**
 * One user-named parameter: a number, a constant formula ("2 * pi"), a schedule, a sweep or a
 * learnable { init, learnable, per }. Which object form it is, and what its `per` may be, the
 * entry's own checks (core/expr/checks) say, located at the character.
 */
function namedValueSchema(): JsonSchema {
  const num: JsonSchema = { type: ['number', 'string'] };
  return {
    type: ['number', 'string', 'object'],
    properties: {
      sweep: { type: 'array', minItems: 1, items: num, ...doc('One arm per value; the arm id names it, e.g. [beta=0.5].') },
      schedule: { enum: [...SCHEDULE_KINDS], ...doc('Schedule kind (one scheduled parameter per expression: it is the job\'s σ).') },
      start: { type: 'number' }, end: { type: 'number' }, every: { type: 'number', exclusiveMinimum: 0 }, factor: { type: 'number', exclusiveMinimum: 0 },
      per: { enum: ['epoch', 'step', 'layer', 'unit'], ...doc('Schedules: "epoch" or "step". Learnable: "layer" (one scalar, default) or "unit" (one per unit).') },
      init: { ...num, ...doc('Initial value of a learnable parameter.') },
      learnable: { type: 'boolean', ...doc('Trained with the weights by the job\'s optimizer.') },
    },
    additionalProperties: false,
  };
}

/** The range of the shared schedulable-value definition. */
const SCHEDULED_MIN = 0;

function scheduledValueSchema(): JsonSchema {
  return stripDocs(scheduledSweepable({ type: 'number', minimum: SCHEDULED_MIN }, 0));
}

/** Keys allowed on every activation entry whatever its type. */
const COMMON_ACTIVATION_KEYS = ['id', 'type', 'label'] as const;

function activationSchema(): JsonSchema {
  return {
    type: 'object',
    ...doc('One activation to compare: an id, a type and the type\'s parameters. Sweeps inside it make several arms.'),
    required: ['id', 'type'],
    properties: {
      id: { type: 'string', pattern: ID_PATTERN, ...doc('Unique name of this entry (letters, digits, -, _ and .); arm and job ids start with it.') },
      type: {
        enum: [...ACTIVATION_TYPES],
        ...doc('The activation function.'),
        markdownEnumDescriptions: ACTIVATION_TYPES.map((t) => activationMarkdown(t)),
      },
      label: { type: 'string', ...doc('Display name in charts and tables; defaults to the id.') },
    },
    allOf: ACTIVATION_TYPES.map((t) => typeBranch(t)),
    defaultSnippets: activationSnippets(),
  };
}

/** The entries' own snippets, in registry order. */
function activationSnippets(): DefaultSnippet[] {
  return ACTIVATIONS.flatMap((d) => d.snippets ?? [])
    .map((sn) => ({ label: sn.label, ...(sn.description === undefined ? {} : { description: sn.description }), body: sn.body }));
}

function typeBranch(t: ActivationType): JsonSchema {
  const properties: Record<string, JsonSchema | boolean> = {};
  for (const k of COMMON_ACTIVATION_KEYS) properties[k] = true;
  for (const p of CATALOG[t].params) properties[p.name] = paramSchema(p);
  return { if: { properties: { type: { const: t } }, required: ['type'] }, then: { properties, additionalProperties: false } };
}

const positiveInt = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', minimum: 1, ...doc(description), ...extra });

function dataSchema(): JsonSchema {
  const common = {
    dataset: true, trainSize: true, testSize: true, inputNoise: true,
  } as const;
  const branch = (dataset: string, extra: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
    if: { properties: { dataset: { const: dataset } }, required: ['dataset'] },
    then: { properties: { ...common, ...extra }, additionalProperties: false, ...(required.length ? { required } : {}) },
  });
  const t = DATA_DEFAULTS.teacher;
  return {
    type: 'object',
    ...doc('The task: which data, how much of it, and optional input noise.'),
    required: ['dataset'],
    properties: {
      dataset: {
        enum: [...DATASETS],
        ...doc('mnist: 10,000 real MNIST digits (bundled); idx: MNIST-format idx files; cifar10: the CIFAR-10 binary batches you supply; teacher: regression on a random two-layer ReLU teacher.'),
        markdownEnumDescriptions: [
          `The ${MNIST_SIZE.toLocaleString('en-US')} real MNIST digits bundled with the extension (28×28, 10 classes).`,
          'MNIST-format idx files in a folder (`path`), e.g. the full 60,000/10,000 MNIST.',
          `CIFAR-10 (32×32 colour, 10 classes) from the \`cifar-10-batches-bin\` folder you name in \`path\`: ${CIFAR10.trainFiles.length * CIFAR10.recordsPerFile} training, ${CIFAR10.recordsPerFile} test images. Not bundled, never downloaded.`,
          'Synthetic regression: y = teacher(x) + noise, x ~ N(0, I_d), teacher a random one-hidden-layer ReLU net.',
        ],
      },
      trainSize: sweepable(positiveInt(`Training samples (mnist default ${DATA_DEFAULTS.mnist.trainSize}; cifar10 default and most ${DATA_DEFAULTS.cifar10.trainSize}; teacher default ${t.trainFraction * 100}% of n). A sweep makes one arm per size.`, { examples: [DATA_DEFAULTS.mnist.trainSize] }), [1000, 4000]),
      testSize: positiveInt(`Held-out samples (mnist default ${DATA_DEFAULTS.mnist.testSize}; cifar10 default and most ${DATA_DEFAULTS.cifar10.testSize}; teacher default the rest of n).`, { examples: [DATA_DEFAULTS.mnist.testSize] }),
      inputNoise: { $ref: '#/definitions/inputNoise' },
    },
    allOf: [
      branch('mnist', {}),
      branch('idx', { path: { type: 'string', minLength: 1, ...doc('Folder with train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images… and t10k-labels…; relative to this file.') } }, ['path']),
      branch('cifar10', { path: { type: 'string', minLength: 1, ...doc(`The cifar-10-batches-bin folder (${CIFAR10.trainFiles[0]} … ${CIFAR10.trainFiles[CIFAR10.trainFiles.length - 1]}, ${CIFAR10.testFile}); relative to this file.`) } }, ['path']),
      branch('teacher', {
        n: sweepable({ type: 'integer', minimum: 2, default: t.n, ...doc(`Samples in all (train + test). Default ${t.n}. A sweep makes one arm per value.`) }, [200, 1000]),
        d: { type: 'integer', minimum: 1, default: t.d, ...doc(`Input dimension. Default ${t.d}.`) },
        width: { type: 'integer', minimum: 1, default: t.width, ...doc(`Hidden units of the teacher network. Default ${t.width}.`) },
        noise: { type: 'number', minimum: 0, default: t.noise, ...doc(`Standard deviation of Gaussian label noise. Default ${t.noise}.`) },
        inputs: {
          enum: [...TEACHER_INPUTS], default: 'gaussian',
          ...doc('gaussian: x ~ N(0, I_d). sphere: x on the unit sphere, ‖x‖ = 1 (with appendConstant c the d random coordinates have norm √(1 − c²), so the whole input has norm 1, as in the NTK analyses).'),
        },
        appendConstant: { type: 'number', examples: [Math.SQRT1_2], ...doc('A constant appended to every input as coordinate d + 1 (the teacher does not see it; input masks multiply it like the others); e.g. 1/√2 ≈ 0.7071 with sphere inputs.') },
        center: { type: 'boolean', default: false, ...doc('Subtract the mean of the clean training targets (before scaling to unit variance).') },
      }),
    ],
    defaultSnippets: [
      { label: 'mnist', body: { dataset: 'mnist', trainSize: DATA_DEFAULTS.mnist.trainSize, testSize: DATA_DEFAULTS.mnist.testSize } },
      { label: 'teacher', body: { dataset: 'teacher', n: t.n, d: t.d, width: t.width, noise: t.noise } },
    ],
  };
}

function inputNoiseSchema(): JsonSchema {
  return {
    type: 'object',
    ...doc('Multiplicative Gaussian input masks in training: x ⊙ c, c ~ N(1, κ² I), a fresh mask every step (arXiv 2602.17423).'),
    required: ['type', 'kappa'],
    additionalProperties: false,
    properties: {
      type: { enum: ['multiplicative'], ...doc('The kind of input noise.') },
      kappa: sweepable({ type: 'number', minimum: 0, ...doc('Mask standard deviation κ (0 = no noise).') }, [0, 0.1, 0.2]),
    },
  };
}

function modelSchema(): JsonSchema {
  const layers = (description: string, def: readonly number[], minItems: number): JsonSchema => ({
    type: 'array', items: { type: 'integer', minimum: 1 }, minItems, default: [...def], ...doc(description),
  });
  const common = { type: true, init: true, bias: true, freeze: true, parameterization: true, outputInit: true, norm: true } as const;
  return {
    type: 'object',
    ...doc('The network; every hidden layer uses the activation of the arm.'),
    required: ['type'],
    properties: {
      freeze: {
        type: 'array', uniqueItems: true, default: [],
        items: { type: ['integer', 'string'], if: { type: 'string' }, then: { enum: ['input', 'output'] }, else: { minimum: 1 } },
        examples: [['input', 'output']],
        ...doc('Layers whose weights and biases keep their initial values: "input" (the first hidden layer, which reads x), "output", or hidden layer i counted from 1 (conv layers first).'),
      },
      parameterization: {
        enum: [...PARAMETERIZATIONS], default: 'standard',
        ...doc('standard: weights drawn at the init\'s scale. ntk: weights N(0, 1) and each layer\'s pre-activation scaled by 1/√fan_in, the output by 1/√m (the NTK analyses, e.g. arXiv 2402.11942); `init` is not used.'),
      },
      outputInit: {
        enum: [...OUTPUT_INITS], default: 'default',
        ...doc('default: the output layer is drawn like the others. sign: output weights ±1 with equal probability (the masking analysis, arXiv 2602.17423); add "output" to freeze to keep them fixed.'),
      },
      type: { enum: ['mlp', 'cnn'], ...doc('mlp: dense layers; cnn: 3×3 conv + 2×2 max-pool blocks, then dense layers (image data only).') },
      init: {
        enum: [...INITS], default: MODEL_DEFAULTS.init,
        ...doc('Weight initialisation: he (variance 2/fan_in), glorot, leakyHe (2/(fan_in(1+α²)), α-aware), rescaled (1/fan_in, for rescaled leaky).'),
      },
      bias: { type: 'boolean', default: MODEL_DEFAULTS.bias, ...doc('Use bias terms.') },
      norm: {
        enum: [...NORMS], default: MODEL_DEFAULTS.norm,
        ...doc('Between each hidden layer\'s linear map (dense or conv) and its activation: none, or batch (BatchNorm, arXiv 1502.03167: batch statistics in training, moving averages at evaluation and in probes). A job with batch trains on one thread.'),
        markdownEnumDescriptions: [
          'No normalisation (the default).',
          'BatchNorm: each unit normalised by the batch\'s mean and variance in training, by their moving averages (momentum 0.1) at evaluation; learnable scale γ and shift β per unit.',
        ],
      },
    },
    allOf: [
      { if: { properties: { type: { const: 'mlp' } }, required: ['type'] }, then: { properties: { ...common, hidden: sweepable(layers('Units per hidden layer. A sweep over lists varies width and depth: { "sweep": [[1000], [1000, 1000, 1000]] }.', MODEL_DEFAULTS.mlp.hidden, 1), [[256], [256, 256]]) }, additionalProperties: false } },
      {
        if: { properties: { type: { const: 'cnn' } }, required: ['type'] },
        then: {
          properties: {
            ...common,
            conv: layers('Filters per conv block (3×3 conv + 2×2 max-pool).', MODEL_DEFAULTS.cnn.conv, 1),
            dense: layers('Units per dense layer after the conv blocks.', MODEL_DEFAULTS.cnn.dense, 0),
          },
          additionalProperties: false,
        },
      },
    ],
  };
}

function trainingSchema(): JsonSchema {
  return {
    type: 'object',
    ...doc('Optimisation: epochs, batch size, optimizer, learning rate, loss, seeds.'),
    required: ['epochs'],
    additionalProperties: false,
    properties: {
      epochs: positiveInt('Passes over the training set.', { examples: [5] }),
      batchSize: sweepable(
        { type: ['integer', 'string'], minimum: 1, pattern: '^full$', default: TRAINING_DEFAULTS.batchSize, examples: [TRAINING_DEFAULTS.batchSize, 'full'], ...doc(`Samples per step, or "full" for full-batch gradient descent. Default ${TRAINING_DEFAULTS.batchSize}.`) },
        [64, 128, 256],
      ),
      optimizer: { enum: [...OPTIMIZERS], default: TRAINING_DEFAULTS.optimizer, ...doc(`Default ${TRAINING_DEFAULTS.optimizer}.`) },
      learningRate: sweepable(
        {
          type: 'number', exclusiveMinimum: 0,
          ...doc(`Step size. Default ${Object.entries(LEARNING_RATE_DEFAULTS).map(([k, v]) => `${k} ${v}`).join(', ')}.`),
          examples: [LEARNING_RATE_DEFAULTS.adam],
        },
        [1e-3, 3e-3, 1e-2],
      ),
      momentum: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: TRAINING_DEFAULTS.momentum, ...doc('Momentum coefficient (optimizer "momentum", rmsprop).') },
      loss: { enum: [...LOSSES], ...doc('Default crossEntropy for classification (mnist, idx), mse for regression (teacher).') },
      divergenceFactor: {
        type: 'number', minimum: 0, default: TRAINING_DEFAULTS.divergenceFactor,
        ...doc(`A job ends "diverged" when its training loss is not finite or exceeds this many times its first step's loss. Default ${TRAINING_DEFAULTS.divergenceFactor}; 0 turns the factor off (a non-finite loss still ends the job).`),
      },
      seeds: {
        // Safe integers only: beyond 2⁵³ two seeds written differently read as one number.
        type: 'array', items: { type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }, minItems: 1, uniqueItems: true, default: [...TRAINING_DEFAULTS.seeds],
        examples: [[1, 2, 3]], ...doc('One job per seed for every arm; mean and spread are shown across seeds.'),
      },
    },
  };
}

function probesSchema(): JsonSchema {
  return {
    type: 'object',
    ...doc('Measurements taken during training.'),
    additionalProperties: false,
    properties: {
      deadThreshold: { type: 'number', exclusiveMinimum: 0, default: PROBE_DEFAULTS.deadThreshold, ...doc('τ: a unit is dead when |mean activation| < τ (arXiv 2511.07559 uses 1e-5).') },
      samples: { type: 'integer', minimum: 1, ...doc(`Held-out samples in the probe batch. Default: 1/16 of the training set, between ${PROBE_SAMPLES.min} and ${PROBE_SAMPLES.max} (1,000 from 16,000 training samples up), so that a probe of N-ReLU or RReLU, which needs a forward pass of its own, costs under 3 % of an epoch.`) },
      every: { type: 'integer', minimum: 1, default: PROBE_DEFAULTS.every, ...doc('Probe after every this-many epochs (always before training and after the last epoch); raise it for runs of thousands of full-batch epochs.') },
      stepEventMs: { type: 'integer', minimum: 0, default: PROBE_DEFAULTS.stepEventMs, ...doc('At most one per-step event every this many milliseconds.') },
    },
  };
}

function limitsSchema(): JsonSchema {
  const d = DEFAULT_LIMITS;
  const limit = (type: string, description: string, def: number): JsonSchema => ({ type, exclusiveMinimum: 0, default: def, ...doc(description) });
  return {
    type: 'object',
    ...doc('Raises the validator\'s limits for this config (they keep a config from exhausting the machine before it runs).'),
    additionalProperties: false,
    properties: {
      jobs: limit('integer', `Most jobs (arms × sweep values × seeds). Default ${d.jobs}.`, d.jobs),
      parameters: limit('integer', `Most trainable parameters of the model. Default ${d.parameters}.`, d.parameters),
      memoryMiB: limit('number', `Most estimated memory of one trainer (weights, optimizer state, a batch of activations, the data), MiB. Default ${d.memoryMiB}.`, d.memoryMiB),
      hours: limit('number', `Estimated run time above which the validator warns, hours. Default ${d.hours}.`, d.hours),
    },
  };
}

export function buildSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Activation Lab experiment',
    // Experiments are JSON with comments and trailing commas, as the validator parses them.
    allowComments: true,
    allowTrailingCommas: true,
    ...doc('An experiment: a task, a model, the activations to compare and how to train them.'),
    type: 'object',
    required: ['name', 'data', 'model', 'activations', 'training'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', ...doc('The schema of this file.') },
      name: { type: 'string', minLength: 1, examples: ['ReLU vs N-ReLU'], ...doc('Experiment name (shown in the runs view and reports).') },
      description: { type: 'string', ...doc('What the experiment is for.') },
      data: { $ref: '#/definitions/data' },
      model: { $ref: '#/definitions/model' },
      activations: {
        type: 'array', minItems: 1, items: { $ref: '#/definitions/activation' },
        ...doc('The activations to compare. Each entry is one arm (or several, when it sweeps a parameter).'),
      },
      training: { $ref: '#/definitions/training' },
      probes: { $ref: '#/definitions/probes' },
      backend: {
        enum: [...BACKENDS], default: BACKEND_DEFAULT,
        ...doc('auto: the fastest available: tfjs-node-gpu, webgpu on a hardware GPU, tfjs-node, else wasm. tensorflow: require tfjs-node; webgpu: the GPU through WebGPU (a software adapter too), falling back to wasm without one; wasm / cpu: force that backend.'),
      },
      limits: limitsSchema(),
    },
    definitions: {
      data: dataSchema(),
      inputNoise: inputNoiseSchema(),
      model: modelSchema(),
      activation: activationSchema(),
      training: trainingSchema(),
      probes: probesSchema(),
      scheduledValue: scheduledValueSchema(),
    },
  };
}

/** The schema file's text: 2-space JSON with a trailing newline. */
export function schemaText(): string {
  return JSON.stringify(buildSchema(), null, 2) + '\n';
}
