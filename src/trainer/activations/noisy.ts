/** The noise-injecting ReLUs, each in its registry file (kept for the kernel tests' imports). */
export { nrelu } from './nrelu';
export { noisyRelu } from './noisyRelu';
