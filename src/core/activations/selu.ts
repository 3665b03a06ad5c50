import { defineActivation, point } from './define';
import { SELU } from '../papers';

export const definition = defineActivation({
  type: 'selu', position: 7, name: 'SELU', summary: 'Scaled ELU with the self-normalizing constants.',
  formula: `λ·(x if x > 0 else α·(exp(x) − 1)), λ ≈ ${SELU.scale.toFixed(4)}, α ≈ ${SELU.alpha.toFixed(4)}`,
  reference: SELU.ref, stochastic: false, params: {},
  point: (_spec, x) => point(
    SELU.scale * (x > 0 ? x : SELU.alpha * Math.expm1(x)),
    SELU.scale * (x > 0 ? 1 : SELU.alpha * Math.exp(x)),
  ),
});
