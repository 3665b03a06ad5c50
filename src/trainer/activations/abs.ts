import { definition } from '../../core/activations/abs';
import { implement } from './define';
import { NEGATIVE_ALPHA } from '../../core/papers';
import { leakyRelu } from './leakyRelu';

export const implementation = implement(definition, (spec) => leakyRelu(NEGATIVE_ALPHA.bestAlpha, spec.rescale));
