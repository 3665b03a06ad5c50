/**
 * Numbers from the papers, each in one place with its reference. Everything that quotes a
 * threshold, a default or a claimed figure imports it from here.
 */

/** N-ReLU (arXiv 2511.07559). */
export const NRELU = {
  ref: 'arXiv 2511.07559',
  /** Dead unit: |mean activation| below this on held-out data (Sec. 6, "mean < 1e-5"). */
  deadThreshold: 1e-5,
  /** Recommended σ range: accuracy ≈ ReLU here. */
  recommendedSigma: [0.05, 0.1] as const,
  recommendedSigmaDefault: 0.05,
  /** Above this σ accuracy degrades clearly. */
  degradeAboveSigma: 0.2,
  /** Table 2, MLP on full MNIST, test accuracy (%). */
  mlpAccuracy: { nrelu005: 98.02, relu: 97.91 },
} as const;

/** RReLU (Xu et al. 2015, "Empirical Evaluation of Rectified Activations"): slope ~ U(l, u). */
export const RRELU = { ref: 'arXiv 1505.00853', lower: 1 / 8, upper: 1 / 3 } as const;

/** PReLU (He et al. 2015, arXiv 1502.01852): learnable slope, initialised to 0.25. */
export const PRELU = { ref: 'arXiv 1502.01852', init: 0.25 } as const;

/** Leaky ReLU (Maas et al. 2013): the common default slope. */
export const LEAKY = { ref: 'Maas et al. 2013', alpha: 0.01 } as const;

/** Negative slope / absolute value (arXiv 2402.11942): α = −1 trains overparameterized nets fastest. */
export const NEGATIVE_ALPHA = {
  ref: 'arXiv 2402.11942',
  bestAlpha: -1,
  /** The synthetic experiment's scale: L trained hidden layers of width m (the study notes' "L=5, m=5000"). */
  paperDepth: 5,
  paperWidth: 5000,
} as const;

/** Smoothed ReLU under multiplicative Gaussian input masks (arXiv 2602.17423). */
export const SMOOTH_RELU = {
  ref: 'arXiv 2602.17423',
  /**
   * Fig. 3 (the blog post's caption and the authors' README): the grid of κ and the run. The loss's
   * normalisation is not given; the study assumes ½Σᵢ over the samples, as in the NTK analysis of
   * this model (Du et al. 2019, arXiv 1810.02054), so lr is lr·n/2 on a mean MSE.
   */
  fig3: { kappas: [0, 0.05, 0.2, 0.4, 0.6, 1.0, 2.0], steps: 2000, n: 500, d: 20, m: 100, learningRate: 0.005 },
} as const;

/** ELU (Clevert et al. 2015) and SELU (Klambauer et al. 2017) constants. */
export const ELU = { ref: 'arXiv 1511.07289', alpha: 1 } as const;
export const SELU = {
  ref: 'arXiv 1706.02515',
  alpha: 1.6732632423543772848170429916717,
  scale: 1.0507009873554804934193349852946,
} as const;
