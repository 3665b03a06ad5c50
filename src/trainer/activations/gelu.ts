import { definition } from '../../core/activations/gelu';
import { implement } from './define';
import { gelu } from './classic';

export const implementation = implement(definition, () => gelu());
