/**
 * What one trainer needs, estimated from the model and data alone (no job is expanded): the
 * trainable parameters and the memory of weights, optimizer state, a batch's activations and the
 * data set. Rough by design: it is there to refuse a config that cannot fit long before it runs
 * out of memory (limits.ts), not to predict usage.
 */
import type { DataSpec, ModelSpec } from './config';
import { inputShape } from './estimate';

const FLOAT_BYTES = 4;
/** Weights, their gradients and Adam's two moments. */
const COPIES_PER_PARAMETER = 4;
/** Per activation value of a batch: pre-activation, output and its gradient. */
const COPIES_PER_ACTIVATION = 3;

export interface LayerSize { /** config path of the list that sets it */ path: (string | number)[]; parameters: number; activations: number }

/** Parameters and activation values per sample of each layer (conv blocks: conv + pool outputs). */
export function layerSizes(model: ModelSpec, inputDim: number, outputs: number, inputChannels = 1): LayerSize[] {
  const out: LayerSize[] = [];
  let fan = inputDim;
  if (model.type === 'cnn') {
    let side = Math.round(Math.sqrt(inputDim / inputChannels));
    let channels = inputChannels;
    model.conv.forEach((f, i) => {
      const pooled = Math.floor(side / 2);
      out.push({ path: ['model', 'conv', i], parameters: 9 * channels * f + f, activations: side * side * f + pooled * pooled * f });
      channels = f;
      side = pooled;
    });
    fan = side * side * channels;
  }
  const dense = model.type === 'cnn' ? model.dense : model.hidden;
  const key = model.type === 'cnn' ? 'dense' : 'hidden';
  [...dense, outputs].forEach((h, i) => {
    // The output layer is set by the data, but its fan-in by the last hidden layer.
    const path = i < dense.length ? ['model', key, i] : dense.length ? ['model', key, dense.length - 1] : ['model'];
    out.push({ path, parameters: fan * h + h, activations: h });
    fan = h;
  });
  return out;
}

export interface Footprint {
  parameters: number;
  /** Bytes of weights + optimizer state, of the largest batch's activations, of the data set. */
  weightBytes: number;
  activationBytes: number;
  dataBytes: number;
  totalBytes: number;
  layers: LayerSize[];
}

export function estimateFootprint(model: ModelSpec, data: DataSpec, batchSize: number): Footprint {
  const { inputDim, outputs, channels } = inputShape(data);
  const layers = layerSizes(model, inputDim, outputs, channels);
  const parameters = layers.reduce((n, l) => n + l.parameters, 0);
  const perSample = layers.reduce((n, l) => n + l.activations, 0) + inputDim;
  const weightBytes = parameters * COPIES_PER_PARAMETER * FLOAT_BYTES;
  const activationBytes = batchSize * perSample * COPIES_PER_ACTIVATION * FLOAT_BYTES;
  // Every sample's inputs and targets; the teacher also holds its own network.
  const teacher = data.dataset === 'teacher' ? (data.d + 2) * data.width * FLOAT_BYTES : 0;
  const samples = data.dataset === 'teacher' ? data.n : data.trainSize + data.testSize;
  const dataBytes = samples * (inputDim + outputs) * FLOAT_BYTES + teacher;
  return { parameters, weightBytes, activationBytes, dataBytes, totalBytes: weightBytes + activationBytes + dataBytes, layers };
}

/** "1.2 GiB", "350 MiB". */
export function formatBytes(bytes: number): string {
  const mib = bytes / 2 ** 20;
  if (mib >= 1024) return `${Number((mib / 1024).toPrecision(3)).toLocaleString('en-US')} GiB`;
  return `${Math.max(1, Math.round(mib))} MiB`;
}
