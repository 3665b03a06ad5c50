/** One factory per activation spec; every hidden layer gets its own instance. */
import '../kernels/gradients';
import type { ActivationSpec } from '../../core/config';
import type { ActivationFactory } from './types';
import { leakyRelu, prelu, relu, rrelu } from './reluFamily';
import { elu, gelu, linear, selu, sigmoid, silu, softplus, tanh } from './classic';
import { noisyRelu, nrelu } from './noisy';
import { smoothRelu } from './smooth';

export type { Activation, ActivationContext, ActivationFactory } from './types';

export function createActivationFactory(spec: ActivationSpec): ActivationFactory {
  switch (spec.type) {
    case 'relu': return () => relu();
    case 'leakyRelu': return () => leakyRelu(spec.alpha, spec.rescale);
    case 'abs': return () => leakyRelu(-1, spec.rescale);
    case 'prelu': return (units, layerName) => prelu(units, layerName, spec.init);
    case 'rrelu': return () => rrelu(spec.lower, spec.upper);
    case 'gelu': return () => gelu();
    case 'elu': return () => elu(spec.alpha);
    case 'selu': return () => selu();
    case 'silu': return () => silu();
    case 'tanh': return () => tanh();
    case 'sigmoid': return () => sigmoid();
    case 'softplus': return () => softplus();
    case 'linear': return () => linear();
    case 'nrelu': return () => nrelu(spec.inference);
    case 'noisyRelu': return () => noisyRelu(spec.inference);
    case 'smoothRelu': return () => smoothRelu(spec.proxy, spec.sigma.start);
  }
}

/**
 * Whether the activation's training-mode forward pass differs from inference (it draws noise or
 * random slopes). For the others the test evaluation's pass doubles as the probe's.
 */
export function trainsStochastically(spec: ActivationSpec): boolean {
  switch (spec.type) {
    case 'nrelu':
    case 'noisyRelu':
      return true;
    case 'rrelu':
      return spec.lower !== spec.upper;
    default:
      return false;
  }
}
