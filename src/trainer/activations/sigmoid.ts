import { definition } from '../../core/activations/sigmoid';
import { implement } from './define';
import { sigmoid } from './classic';

export const implementation = implement(definition, () => sigmoid());
