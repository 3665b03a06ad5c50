import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';

// The CLI writes its "last runs folder" under $XDG_STATE_HOME (src/cli/state.ts); a test run
// that spawns the CLI must not overwrite the user's own (scripts/test.mjs sets a temporary one).
test('tests run with a state folder of their own, not the user\'s', () => {
  const state = process.env.XDG_STATE_HOME;
  assert.ok(state && path.isAbsolute(state), `XDG_STATE_HOME=${state}`);
  assert.ok(path.resolve(state).startsWith(path.resolve(os.tmpdir())), `${state} is not a temporary folder`);
  assert.ok(!path.resolve(state).startsWith(path.join(os.homedir(), '.local')), state);
});
