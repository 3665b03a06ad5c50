import { definition } from '../../core/activations/linear';
import { implement } from './define';
import { linear } from './classic';

export const implementation = implement(definition, () => linear());
