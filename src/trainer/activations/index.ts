/** One factory per activation spec (from the registry); every hidden layer gets its own instance. */
import '../kernels/gradients';
import type { ActivationSpec } from '../../core/config';
import type { ActivationFactory } from './types';
import type { Implementation } from './define';
import { IMPLEMENTATIONS } from './all.generated';

export type { Activation, ActivationContext, ActivationFactory } from './types';
export { trainsStochastically } from '../../core/activations';

export function createActivationFactory(spec: ActivationSpec): ActivationFactory {
  // The map is typed per type; looked up by a spec of unknown type it is the union's.
  const impl = IMPLEMENTATIONS[spec.type] as Implementation<ActivationSpec>;
  return (units, layerName) => impl.create(spec, units, layerName);
}
