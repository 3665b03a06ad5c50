import { definition } from '../../core/activations/noisyRelu';
import { implement } from './define';
import { noisyRelu } from './noisy';

export const implementation = implement(definition, (spec) => noisyRelu(spec.inference));
