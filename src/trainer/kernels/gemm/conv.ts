/**
 * Conv2D, its two gradients and MaxPoolGrad for the wasm backend on the SIMD GEMM module:
 * the convolutions are GEMMs over im2col rows staged in L2-sized chunks (gemm.c). NHWC float32
 * only; anything else (NCHW, depthwise, overlapping pools) goes to the previous kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  Conv2DAttrs, Conv2DBackpropFilterAttrs, Conv2DBackpropInputAttrs, KernelConfig, KernelFunc,
  MaxPoolGradAttrs, TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { bind, offsetOf } from './kernels';

type ConvInfo = tf.backend_util.Conv2DInfo;

/** The trailing CONV_PARAMS of gemm.c's conv entry points. */
function geometry(c: ConvInfo): number[] {
  return [
    c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.filterHeight, c.filterWidth, c.outChannels,
    c.outHeight, c.outWidth, c.strideHeight, c.strideWidth, c.dilationHeight, c.dilationWidth,
    c.padInfo.top, c.padInfo.left,
  ];
}

function fallbackOf(name: string, original: KernelConfig | undefined): KernelFunc {
  if (!original) {
    return () => { throw new Error(`kernel '${name}' is not registered for backend 'wasm'`); };
  }
  return original.kernelFunc;
}

const allFloat = (...ts: TensorInfo[]): boolean => ts.every((t) => t.dtype === 'float32');

function channelsLast(dataFormat: string): boolean {
  return tf.backend_util.convertConv2DDataFormat(dataFormat as 'NHWC' | 'NCHW') === 'channelsLast';
}

export function makeConv2D(module: WebAssembly.Module, original: KernelConfig | undefined): KernelFunc {
  const fallback = fallbackOf(tf.Conv2D, original);
  return (params) => {
    const backend = params.backend as BackendWasm;
    const { x, filter } = params.inputs as { x: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = params.attrs as unknown as Conv2DAttrs;
    const g = bind(module, backend);
    if (!g || !channelsLast(dataFormat) || !allFloat(x, filter)) return fallback(params);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
      strides, dilations, pad, dimRoundingMode, false, 'channelsLast',
    );
    // A patch of one or two channels is too narrow a GEMM; XNNPACK's direct conv wins there.
    if (info.inChannels < 4) return fallback(params);
    const y = backend.makeOutput(info.outShape, 'float32');
    if (tf.util.sizeFromShape(info.outShape) === 0) return y;
    g.gemm.conv2d(offsetOf(backend, x), offsetOf(backend, filter), offsetOf(backend, y), 0, 0, 0, g.work, ...geometry(info));
    return y;
  };
}

export function makeConv2DBackpropInput(module: WebAssembly.Module, original: KernelConfig | undefined): KernelFunc {
  const fallback = fallbackOf(tf.Conv2DBackpropInput, original);
  return (params) => {
    const backend = params.backend as BackendWasm;
    const { dy, filter } = params.inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
      params.attrs as unknown as Conv2DBackpropInputAttrs;
    const g = bind(module, backend);
    if (!g || !channelsLast(dataFormat) || !allFloat(dy, filter)) return fallback(params);
    const info = tf.backend_util.computeConv2DInfo(
      inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode,
      false, 'channelsLast',
    );
    const dx = backend.makeOutput(inputShape, 'float32');
    if (tf.util.sizeFromShape(inputShape) === 0) return dx;
    g.gemm.conv2d_backprop_input(offsetOf(backend, dy), offsetOf(backend, filter), offsetOf(backend, dx), g.work, ...geometry(info));
    return dx;
  };
}

export function makeConv2DBackpropFilter(module: WebAssembly.Module, original: KernelConfig | undefined): KernelFunc {
  const fallback = fallbackOf(tf.Conv2DBackpropFilter, original);
  return (params) => {
    const backend = params.backend as BackendWasm;
    const { x, dy } = params.inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
      params.attrs as unknown as Conv2DBackpropFilterAttrs;
    const g = bind(module, backend);
    if (!g || !channelsLast(dataFormat) || !allFloat(x, dy)) return fallback(params);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode,
      false, 'channelsLast',
    );
    const dw = backend.makeOutput(filterShape, 'float32');
    if (tf.util.sizeFromShape(filterShape) === 0) return dw;
    if (tf.util.sizeFromShape(dy.shape) === 0) {
      backend.typedArrayFromHeap(dw).fill(0);
      return dw;
    }
    g.gemm.conv2d_backprop_filter(offsetOf(backend, x), offsetOf(backend, dy), offsetOf(backend, dw), g.work, ...geometry(info));
    return dw;
  };
}

export function makeMaxPoolGrad(module: WebAssembly.Module, original: KernelConfig | undefined): KernelFunc {
  const fallback = fallbackOf(tf.MaxPoolGrad, original);
  return (params) => {
    const backend = params.backend as BackendWasm;
    const { dy, input } = params.inputs as { dy: TensorInfo; input: TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = params.attrs as unknown as MaxPoolGradAttrs;
    const g = bind(module, backend);
    if (!g || !allFloat(dy, input) || input.shape.length !== 4) return fallback(params);
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode,
    );
    // Only windows that tile the input (the 2×2/stride-2 pools of the models): every input
    // pixel belongs to at most one window, so the gradient is a select, not a scatter-add.
    const tiled = info.filterHeight === info.strideHeight && info.filterWidth === info.strideWidth &&
      info.padInfo.top === 0 && info.padInfo.left === 0 &&
      info.outHeight * info.strideHeight <= info.inHeight && info.outWidth * info.strideWidth <= info.inWidth;
    if (!tiled) return fallback(params);
    const dx = backend.makeOutput(input.shape, 'float32');
    if (tf.util.sizeFromShape(input.shape) === 0) return dx;
    g.gemm.maxpool_grad_tiled(
      offsetOf(backend, input), offsetOf(backend, dy), offsetOf(backend, dx), info.batchSize,
      info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
      info.filterHeight, info.filterWidth,
    );
    return dx;
  };
}
