/**
 * tfjs-node and tfjs-node-gpu: native TensorFlow. Optional packages, loaded by name at run
 * time; each registers the 'tensorflow' backend into the tfjs-core it finds in node_modules.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../../core/config';
import { firstLine, isMissingModule, type BackendEntry } from './types';

function nativeBackend(pkg: string, name: BackendName, missingNote: string): BackendEntry {
  return {
    name,
    choice: 'tensorflow',
    probe({ load }) {
      try {
        load(pkg);
        return undefined;
      } catch (err) {
        return isMissingModule(err, pkg) ? missingNote : `${pkg} failed to load: ${firstLine(err)}`;
      }
    },
    async init() {
      try {
        return (await tf.setBackend('tensorflow')) ? undefined : `${pkg} loaded but its backend did not initialise`;
      } catch (err) {
        return `${pkg} backend failed: ${firstLine(err)}`;
      }
    },
  };
}

export const tensorflowGpuBackend = nativeBackend('@tensorflow/tfjs-node-gpu', 'tensorflow-gpu', 'tfjs-node-gpu not installed');

export const tensorflowBackend = nativeBackend(
  '@tensorflow/tfjs-node', 'tensorflow', 'tfjs-node not installed (optional dependency; see README: Backends)',
);
