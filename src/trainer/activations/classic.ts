/** The smooth, deterministic activations, each in its registry file (kept for the kernel tests' imports). */
export { gelu } from './gelu';
export { elu } from './elu';
export { selu } from './selu';
export { silu } from './silu';
export { tanh } from './tanh';
export { sigmoid } from './sigmoid';
export { softplus } from './softplus';
export { linear } from './linear';
