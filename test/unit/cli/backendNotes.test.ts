import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backendNotesLine } from '../../../src/cli/progress';

test('the backend notes of a run are one line, set-up hints left to the README', () => {
  const line = backendNotesLine('wasm', [
    'tfjs-node-gpu not installed',
    "webgpu: no GPU adapter: the Vulkan loader libvulkan.so.1 is not installed (Debian/Ubuntu: apt-get install libvulkan1, plus the GPU's Vulkan driver: NVIDIA's, or mesa-vulkan-drivers for AMD and Intel)",
    'tfjs-node not installed (optional dependency; see README: Backends)',
  ]);
  assert.equal(line, 'backend wasm; not used: tfjs-node-gpu not installed; webgpu: no GPU adapter: the Vulkan loader libvulkan.so.1 is not installed; tfjs-node not installed (set-up: README, "Backends")');
  // control characters in a note never reach the terminal
  assert.doesNotMatch(backendNotesLine('wasm', ['x\u001b[2Jy']), /\u001b/);
});
