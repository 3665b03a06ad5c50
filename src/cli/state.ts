/**
 * What the CLI remembers between commands: the runs folder of the last `actlab run`, so that
 * `actlab list` finds runs made elsewhere (`run examples/x.actlab.json` writes to
 * examples/.actlab/runs). One small file under the user's state directory
 * ($XDG_STATE_HOME/actlab, default ~/.local/state/actlab); failing to read or write it only
 * means `list` has one place fewer to look.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME)
    ? env.XDG_STATE_HOME
    : path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'actlab');
}

export const lastRunsFile = (env: NodeJS.ProcessEnv = process.env): string => path.join(stateDir(env), 'last-runs-folder');

export function rememberRunsFolder(dir: string, env: NodeJS.ProcessEnv = process.env): void {
  try {
    fs.mkdirSync(stateDir(env), { recursive: true });
    fs.writeFileSync(lastRunsFile(env), `${path.resolve(dir)}\n`);
  } catch {
    // A read-only home or a full disk must not fail a run.
  }
}

export function lastRunsFolder(env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    const dir = fs.readFileSync(lastRunsFile(env), 'utf8').trim();
    return dir && path.isAbsolute(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}
