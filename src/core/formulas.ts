/**
 * Activation functions as pure scalar math (no tfjs): the reference the tensor implementations
 * are tested against, and what the webview plots. The formulas live with their activations in
 * the registry (src/core/activations/<name>.ts); this module is their stable entry point.
 */
export type { CurvePoint } from './activations/define';
export {
  erf, erfc, leakyRescale, normalCdf, normalPdf, smoothRelu, smoothReluDerivative, smoothReluProxy, smoothReluProxyDerivative,
} from './activations/math';
export { activationPoint, negativeSlope } from './activations';
