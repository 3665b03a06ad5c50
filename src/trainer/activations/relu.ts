import { definition } from '../../core/activations/relu';
import { implement } from './define';
import { relu } from './reluFamily';

export const implementation = implement(definition, () => relu());
