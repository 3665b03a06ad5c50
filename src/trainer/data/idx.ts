/**
 * IDX files (the MNIST / Fashion-MNIST format): a big-endian header — magic 0x0000080N
 * (0x08 = unsigned bytes, N = number of dimensions), N uint32 sizes — then the raw bytes.
 * Hand-rolled: the format is ~20 lines and no maintained npm reader exists for Node buffers.
 */
import { constants, createReadStream, existsSync, readFileSync, statSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip, gunzipSync } from 'node:zlib';
import { mulberry32, permutation } from '../../core/random';
import type { Dataset } from './types';
import { DATA_DEFAULTS } from '../../core/defaults';
import { checkSize, gatherLabels } from './split';

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;
/**
 * The most data one IDX file may hold once decompressed (MNIST's train images are 47 MB): a
 * header or a gzip bomb asking for more is refused before anything that size is allocated.
 */
export const MAX_IDX_BYTES = 1 << 30;

export interface IdxArray { dims: number[]; data: Uint8Array }

interface IdxHeader { dims: number[]; headerBytes: number; dataBytes: number }

const isGzip = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/**
 * The header of an IDX buffer: magic, dims and the data size they promise, checked (no zero
 * dimension, at most MAX_IDX_BYTES). Undefined while `bytes` is too short to hold it.
 */
function idxHeader(bytes: Uint8Array, expectedMagic: number, name: string): IdxHeader | undefined {
  if (bytes.length < 4) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    throw new Error(`${name}: bad magic 0x${magic.toString(16).padStart(8, '0')} (expected 0x${expectedMagic.toString(16).padStart(8, '0')})`);
  }
  const rank = magic & 0xff;
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) return undefined;
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  // tfjs would fail later with a shape error nobody can trace back to the file.
  if (dims.some((d) => d === 0)) throw new Error(`${name}: header [${dims.join('×')}] has a zero dimension: the file holds no samples`);
  const dataBytes = dims.reduce((a, b) => a * b, 1);
  if (dataBytes > MAX_IDX_BYTES) {
    throw new Error(`${name}: header [${dims.join('×')}] asks for ${dataBytes} bytes, over the ${MAX_IDX_BYTES}-byte limit for one IDX file`);
  }
  return { dims, headerBytes, dataBytes };
}

function checkDataSize(h: IdxHeader, actual: number, name: string): void {
  if (actual < h.dataBytes) throw new Error(`${name}: truncated: header [${h.dims.join('×')}] needs ${h.dataBytes} data bytes, found ${actual}`);
  if (actual > h.dataBytes) throw new Error(`${name}: size mismatch: header [${h.dims.join('×')}] needs ${h.dataBytes} data bytes, found ${actual}`);
}

/** Parses an IDX buffer (gzip-compressed or plain), checking magic and size. */
export function parseIdx(buf: Uint8Array, expectedMagic: number, name = 'IDX file'): IdxArray {
  let bytes = buf;
  if (isGzip(bytes)) {
    try {
      // The cap keeps a gzip bomb from expanding past what any header may ask for.
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_IDX_BYTES + 4 + 4 * 255 + 1 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`${name}: decompresses to more than the ${MAX_IDX_BYTES}-byte limit for one IDX file`);
      throw new Error(`${name}: gzip data is corrupt or truncated (${(e as Error).message})`);
    }
  }
  if (bytes.length < 4) throw new Error(`${name}: too short for an IDX header (${bytes.length} bytes)`);
  const h = idxHeader(bytes, expectedMagic, name);
  if (!h) throw new Error(`${name}: truncated header (${bytes.length} of ${4 + 4 * (new DataView(bytes.buffer, bytes.byteOffset).getUint32(0) & 0xff)} bytes)`);
  checkDataSize(h, bytes.length - h.headerBytes, name);
  return { dims: h.dims, data: bytes.subarray(h.headerBytes) };
}

/** Only regular files are read: a FIFO would block the read, /dev/zero would never end. */
function checkRegular(st: Stats, name: string): void {
  if (!st.isFile()) throw new Error(`${name} is not a regular file (a FIFO, device or folder): refusing to read it`);
  if (st.size > MAX_IDX_BYTES + 4096) throw new Error(`${name} is ${st.size} bytes, over the ${MAX_IDX_BYTES}-byte limit for one IDX file`);
}

/** Decompresses a gzip stream, stopping as soon as it holds more than its header promises. */
async function gunzipBounded(file: string, fd: Awaited<ReturnType<typeof open>>, expectedMagic: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  let limit = MAX_IDX_BYTES + 4 + 4 * 255;
  const gunzip = createGunzip();
  const input = createReadStream('', { fd, autoClose: false });
  input.on('error', (e) => gunzip.destroy(e));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      total += chunk.length;
      const head = idxHeader(chunks.length === 1 ? chunk : Buffer.concat(chunks.slice(0, 2)), expectedMagic, file);
      if (head) limit = head.headerBytes + head.dataBytes;
      if (total > limit) throw new Error(`${file}: size mismatch: decompresses to more than the ${limit} bytes its header announces`);
    }
  } catch (e) {
    input.unpipe(gunzip);
    input.destroy();
    if ((e as Error).message.startsWith(file)) throw e;
    throw new Error(`${file}: gzip data is corrupt or truncated (${(e as Error).message})`);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Reads one IDX file without blocking the event loop (so the trainer still sees its host go
 * away) and without allocating more than the header promises: plain files are checked against
 * their header before the data is read, gzip ones while they decompress.
 */
export async function readIdxFile(file: string, expectedMagic: number): Promise<IdxArray> {
  checkRegular(await stat(file), file);
  // O_NONBLOCK: if a FIFO was swapped in after the stat, opening it does not wait for a writer.
  const fd = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fd.stat();
    checkRegular(st, file);
    const head = Buffer.alloc(Math.min(st.size, 4 + 4 * 255));
    await fd.read(head, 0, head.length, 0);
    if (isGzip(head)) return parseIdx(await gunzipBounded(file, fd, expectedMagic), expectedMagic, file);
    const h = idxHeader(head, expectedMagic, file);
    if (!h) return parseIdx(head, expectedMagic, file); // too short: parseIdx says how
    checkDataSize(h, st.size - h.headerBytes, file);
    const bytes = Buffer.alloc(st.size);
    for (let off = 0; off < st.size;) {
      const { bytesRead } = await fd.read(bytes, off, st.size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return parseIdx(bytes, expectedMagic, file);
  } finally {
    await fd.close();
  }
}

/** The synchronous read, for tools and tests: the same checks before reading. */
function readIdxFileSync(file: string, expectedMagic: number): IdxArray {
  checkRegular(statSync(file), file);
  return parseIdx(readFileSync(file), expectedMagic, file);
}

/** Finds `<split>-<kind>-idxN-ubyte` or the dotted `<split>-<kind>.idxN-ubyte`, plain or .gz. */
export function findIdxFile(folder: string, split: 'train' | 't10k', kind: 'images' | 'labels'): string {
  const rank = kind === 'images' ? 3 : 1;
  const names = [`${split}-${kind}-idx${rank}-ubyte`, `${split}-${kind}.idx${rank}-ubyte`];
  const candidates = names.flatMap((n) => [n, `${n}.gz`]).map((n) => join(folder, n));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`IDX folder ${folder}: none of ${names.map((n) => `${n}[.gz]`).join(', ')} found`);
  return found;
}

interface IdxSplit { pixels: Uint8Array; y: Uint8Array; count: number; rows: number; cols: number }

/** Rows `order[0..count)` as floats in [0, 1]; only the taken rows are converted (60,000 would be 188 MB). */
function gatherPixels(s: IdxSplit, order: ArrayLike<number>, count: number): Float32Array {
  const size = s.rows * s.cols;
  const out = new Float32Array(count * size);
  for (let i = 0; i < count; i++) {
    const from = order[i]! * size;
    for (let p = 0; p < size; p++) out[i * size + p] = s.pixels[from + p]! / 255;
  }
  return out;
}

type IdxReader = (file: string, magic: number) => IdxArray | Promise<IdxArray>;

async function readSplitWith(read: IdxReader, folder: string, split: 'train' | 't10k'): Promise<IdxSplit> {
  const imagesPath = findIdxFile(folder, split, 'images');
  const labelsPath = findIdxFile(folder, split, 'labels');
  return splitOf(await read(imagesPath, IDX_IMAGES_MAGIC), imagesPath, await read(labelsPath, IDX_LABELS_MAGIC), labelsPath);
}

function readSplit(folder: string, split: 'train' | 't10k'): IdxSplit {
  const imagesPath = findIdxFile(folder, split, 'images');
  const labelsPath = findIdxFile(folder, split, 'labels');
  return splitOf(readIdxFileSync(imagesPath, IDX_IMAGES_MAGIC), imagesPath, readIdxFileSync(labelsPath, IDX_LABELS_MAGIC), labelsPath);
}

function splitOf(images: IdxArray, imagesPath: string, labels: IdxArray, labelsPath: string): IdxSplit {
  const [count, rows, cols] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) throw new Error(`${labelsPath}: ${labels.dims[0]} labels for ${count} images in ${imagesPath}`);
  return { pixels: images.data, y: labels.data, count, rows, cols };
}

/** The trainer's reader: asynchronous, so a slow or hostile file never blocks its event loop. */
export async function loadIdxFolderAsync(folder: string, trainSize: number, testSize: number, splitSeed: number): Promise<Dataset> {
  const train = await readSplitWith(readIdxFile, folder, 'train');
  const test = await readSplitWith(readIdxFile, folder, 't10k');
  return datasetOf(folder, train, test, trainSize, testSize, splitSeed);
}

/** Official train/test split; each side shuffled with the seed, then its first N taken. */
export function loadIdxFolder(folder: string, trainSize: number, testSize: number, splitSeed: number): Dataset {
  return datasetOf(folder, readSplit(folder, 'train'), readSplit(folder, 't10k'), trainSize, testSize, splitSeed);
}

function datasetOf(folder: string, train: IdxSplit, test: IdxSplit, trainSize: number, testSize: number, splitSeed: number): Dataset {
  if (train.rows !== test.rows || train.cols !== test.cols) {
    throw new Error(`IDX folder ${folder}: train images are ${train.rows}×${train.cols}, test images ${test.rows}×${test.cols}`);
  }
  checkSize('trainSize', trainSize, train.count, 'images in the IDX train set', DATA_DEFAULTS.idx.trainSize);
  checkSize('testSize', testSize, test.count, 'images in the IDX test set', DATA_DEFAULTS.idx.testSize);
  const rng = mulberry32(splitSeed);
  const trainOrder = permutation(train.count, rng);
  const testOrder = permutation(test.count, rng);
  let maxLabel = 0;
  for (const y of [train.y, test.y]) for (let i = 0; i < y.length; i++) maxLabel = Math.max(maxLabel, y[i]!);
  return {
    kind: 'classification',
    inputShape: [train.rows, train.cols, 1],
    outputs: Math.max(maxLabel + 1, 2),
    trainSize,
    testSize,
    xTrain: gatherPixels(train, trainOrder, trainSize),
    yTrain: gatherLabels(train.y, trainOrder, 0, trainSize),
    xTest: gatherPixels(test, testOrder, testSize),
    yTest: gatherLabels(test.y, testOrder, 0, testSize),
  };
}
