import { definition } from '../../core/activations/nrelu';
import { implement } from './define';
import { nrelu } from './noisy';

export const implementation = implement(definition, (spec) => nrelu(spec.inference));
