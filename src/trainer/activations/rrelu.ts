import { definition } from '../../core/activations/rrelu';
import { implement } from './define';
import { rrelu } from './reluFamily';

export const implementation = implement(definition, (spec) => rrelu(spec.lower, spec.upper));
