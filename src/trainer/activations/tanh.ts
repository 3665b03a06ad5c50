import { definition } from '../../core/activations/tanh';
import { implement } from './define';
import { tanh } from './classic';

export const implementation = implement(definition, () => tanh());
