import { definition } from '../../core/activations/silu';
import { implement } from './define';
import { silu } from './classic';

export const implementation = implement(definition, () => silu());
