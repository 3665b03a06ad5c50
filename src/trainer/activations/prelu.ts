import { definition } from '../../core/activations/prelu';
import { implement } from './define';
import { prelu } from './reluFamily';

export const implementation = implement(definition, (spec, units, layerName) => prelu(units, layerName, spec.init));
