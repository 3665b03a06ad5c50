import { definition } from '../../core/activations/leakyRelu';
import { implement } from './define';
import { leakyRelu } from './reluFamily';

export const implementation = implement(definition, (spec) => leakyRelu(spec.alpha, spec.rescale));
