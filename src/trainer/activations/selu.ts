import { definition } from '../../core/activations/selu';
import { implement } from './define';
import { selu } from './classic';

export const implementation = implement(definition, () => selu());
