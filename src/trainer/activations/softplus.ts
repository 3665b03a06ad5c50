import { definition } from '../../core/activations/softplus';
import { implement } from './define';
import { softplus } from './classic';

export const implementation = implement(definition, () => softplus());
