/** tfjs-backend-cpu: plain JavaScript, always there; the reference and the last resort. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerCpuKernels } from '../kernels/index';
import type { BackendEntry } from './types';

export const cpuBackend: BackendEntry = {
  name: 'cpu',
  choice: 'cpu',
  probe: () => undefined,
  registerKernels: registerCpuKernels,
  async init() {
    return (await tf.setBackend('cpu')) ? undefined : 'cpu backend failed to initialise';
  },
};
