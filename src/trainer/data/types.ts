/** A dataset in memory, already split. Images are NHWC flattened row-major, values in [0, 1]. */
export interface Dataset {
  kind: 'classification' | 'regression';
  /** Per-sample shape: [28, 28, 1] for images, [d] for vectors. */
  inputShape: number[];
  /** Classes (classification) or output dimension (regression, 1). */
  outputs: number;
  trainSize: number;
  testSize: number;
  xTrain: Float32Array;
  xTest: Float32Array;
  /** Class index per sample (classification) or target values (regression, outputs per sample). */
  yTrain: Int32Array | Float32Array;
  yTest: Int32Array | Float32Array;
}
