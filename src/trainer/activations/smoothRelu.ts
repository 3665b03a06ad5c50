import { definition } from '../../core/activations/smoothRelu';
import { implement } from './define';
import { smoothRelu } from './smooth';

export const implementation = implement(definition, (spec) => smoothRelu(spec.proxy, spec.sigma.start));
