import { definition } from '../../core/activations/elu';
import { implement } from './define';
import { elu } from './classic';

export const implementation = implement(definition, (spec) => elu(spec.alpha));
