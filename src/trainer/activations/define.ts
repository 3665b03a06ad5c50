/**
 * The trainer half of an activation entry: how its spec becomes a tensor activation per layer.
 * `implement` takes the core definition, so the spec is typed without naming the type again;
 * ./all.generated lists one per registered type (a missing one is a compile error).
 */
import type { ActivationSpec, ActivationType } from '../../core/activations';
import type { ActivationDef, ParamDefs, SpecOf } from '../../core/activations/define';
import type { Activation } from './types';

export interface Implementation<S> {
  /** A fresh instance for one layer; `units` = size of the layer output's last axis. */
  create(spec: S, units: number, layerName: string): Activation;
}

export type ImplementationMap = { [T in ActivationType]: Implementation<Extract<ActivationSpec, { type: T }>> };

export function implement<T extends string, P extends ParamDefs>(
  _definition: ActivationDef<T, P>,
  create: (spec: SpecOf<T, P>, units: number, layerName: string) => Activation,
): Implementation<SpecOf<T, P>> {
  return { create };
}
