/**
 * MaxPoolGrad for the wasm backend, replacing tfjs's own: in tfjs-backend-wasm 4.22.0 a pooling
 * window whose inputs are all negative gets no gradient at all (as if its maximum started at 0),
 * which silently breaks training for every activation with negative outputs (leaky, abs, elu,
 * selu, tanh, nrelu, ...). Plain JS over the wasm heap: the work is one pass over the input,
 * small next to the convolutions. Semantics follow the cpu backend: the first maximum in the
 * window (row-major) receives the gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { isObj } from '../../core/guards';

function isWasmBackend(b: unknown): b is BackendWasm {
  return isObj(b) && typeof b.typedArrayFromHeap === 'function' && typeof b.makeOutput === 'function';
}

const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  if (!isWasmBackend(backend)) throw new Error('MaxPoolGrad: not the wasm backend');
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { top, left } = info.padInfo;

  // Allocate first: a heap view taken before an allocation may be detached by memory growth.
  const dx = backend.makeOutput(input.shape, 'float32');
  const xs = backend.typedArrayFromHeap(input);
  const dys = backend.typedArrayFromHeap(dy);
  const dxs = backend.typedArrayFromHeap(dx);
  dxs.fill(0);

  const rowStride = inWidth * channels;
  const imageStride = inHeight * rowStride;
  const unpadded = top === 0 && left === 0 && info.padInfo.bottom === 0 && info.padInfo.right === 0;
  if (fh === 2 && fw === 2 && strideHeight === 2 && strideWidth === 2 && unpadded) {
    pool2x2(xs, dys, dxs, batchSize, outHeight, outWidth, channels, rowStride, imageStride);
    return dx;
  }
  // Channels innermost: contiguous reads, and the running maxima live in two small arrays.
  const best = new Float32Array(channels);
  const at = new Int32Array(channels);
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    const base = b * imageStride;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - top;
      const yMin = Math.max(0, y0);
      const yMax = Math.min(inHeight, y0 + fh);
      for (let ox = 0; ox < outWidth; ox++, o += channels) {
        const x0 = ox * strideWidth - left;
        const xMin = Math.max(0, x0);
        const xMax = Math.min(inWidth, x0 + fw);
        // Seed the maxima with the window's first pixel, then scan the rest.
        const first = base + yMin * rowStride + xMin * channels;
        for (let c = 0; c < channels; c++) { best[c] = xs[first + c]!; at[c] = first + c; }
        for (let y = yMin; y < yMax; y++) {
          for (let x = y === yMin ? xMin + 1 : xMin; x < xMax; x++) {
            const p = base + y * rowStride + x * channels;
            for (let c = 0; c < channels; c++) {
              const v = xs[p + c]!;
              // strict '>': the first maximum in row-major order wins, as on the cpu backend
              if (v > best[c]!) { best[c] = v; at[c] = p + c; }
            }
          }
        }
        for (let c = 0; c < channels; c++) {
          const i = at[c]!;
          dxs[i] = dxs[i]! + dys[o + c]!;
        }
      }
    }
  }
  return dx;
};

/**
 * The CNN's 2×2 / stride 2 / unpadded case without the general loop's bookkeeping: every
 * window lies inside the input, holds exactly four pixels and overlaps no other.
 */
function pool2x2(
  xs: ArrayLike<number>, dys: ArrayLike<number>, dxs: { [i: number]: number },
  batchSize: number, outHeight: number, outWidth: number, channels: number, rowStride: number, imageStride: number,
): void {
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const row = b * imageStride + 2 * oy * rowStride;
      for (let ox = 0; ox < outWidth; ox++) {
        const p00 = row + 2 * ox * channels;
        for (let c = 0; c < channels; c++, o++) {
          const i00 = p00 + c;
          const i01 = i00 + channels;
          const i10 = i00 + rowStride;
          const i11 = i10 + channels;
          // strict '>' in row-major order: the first maximum wins, as on the cpu backend
          let at = i00;
          let best = xs[i00]!;
          if (xs[i01]! > best) { best = xs[i01]!; at = i01; }
          if (xs[i10]! > best) { best = xs[i10]!; at = i10; }
          if (xs[i11]! > best) at = i11;
          dxs[at] = dys[o]!;
        }
      }
    }
  }
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad,
};
