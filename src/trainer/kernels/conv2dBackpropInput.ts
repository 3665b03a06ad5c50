/**
 * A faster Conv2DBackpropInput for the wasm backend, whose own kernel was the largest cost of
 * a CNN training step. With stride 1 the input gradient is a forward convolution of dy with
 * the filter rotated by 180° and its channel axes swapped:
 *   dx[n, y, x, c] = Σ_{i, j, o} dy[n, y + top − i, x + left − j, o] · W[i, j, c, o]
 * padded by kh − 1 − top before and kh − 1 − bottom after (likewise for the width), so it runs
 * on the backend's XNNPACK Conv2D. Other strides and unusual paddings keep tfjs's kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  Conv2DBackpropInputAttrs, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo,
} from '@tensorflow/tfjs-core';
import { KernelScope } from './run';

export function makeConv2DBackpropInput(backendName: string, fallback: KernelFunc | undefined): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
    const $dataFormat = tf.backend_util.convertConv2DDataFormat(dataFormat);
    const info = tf.backend_util.computeConv2DInfo(
      inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode,
      false, $dataFormat,
    );
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
    const { top, bottom, left, right } = info.padInfo;
    const fast = $dataFormat === 'channelsLast' && sh === 1 && sw === 1
      && top < kh && bottom < kh && left < kw && right < kw;
    if (!fast) {
      if (!fallback) throw new Error(`Conv2DBackpropInput on ${backendName}: no kernel for stride ${sh}×${sw}`);
      return fallback(args);
    }
    const scope = new KernelScope(backendName, backend);
    try {
      const flipped = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
      const swapped = scope.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
      const explicit: tf.backend_util.ExplicitPadding =
        [[0, 0], [kh - 1 - top, kh - 1 - bottom], [kw - 1 - left, kw - 1 - right], [0, 0]];
      return scope.result('Conv2D', { x: dy, filter: swapped }, {
        strides: [1, 1], pad: explicit, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: 'floor',
      } as unknown as NamedAttrMap);
    } finally {
      scope.dispose();
    }
  };
}

/** Replaces tfjs's wasm kernel, keeping it (and its setup) for the cases we do not cover. */
export function conv2DBackpropInputConfig(original: KernelConfig | undefined): KernelConfig {
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    ...(original?.setupFunc ? { setupFunc: original.setupFunc } : {}),
    ...(original?.disposeFunc ? { disposeFunc: original.disposeFunc } : {}),
    kernelFunc: makeConv2DBackpropInput('wasm', original?.kernelFunc),
  };
}
