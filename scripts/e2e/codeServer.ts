// Starts and stops a throwaway code-server (VS Code OSS with a Node extension host) for the
// end-to-end tests. Paths come from the environment that scripts/e2e/run.sh exports after
// sourcing versions.sh, so the pinned versions live in one place.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface CodeServerPaths {
  bin: string;
  nodeHome: string;
}

export interface CodeServer {
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  /** Everything code-server printed so far (for failure reports). */
  output(): string;
  /** Kills the whole process group; safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Profile folders; fresh temp folders when omitted (then removed on stop). */
  profile?: Profile;
  /** Extra environment for code-server and thus the extension host and its children. */
  env?: Record<string, string>;
}

export interface Profile {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  configFile: string;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e stage through scripts/e2e/run.sh`);
  return value;
}

export function codeServerPaths(): CodeServerPaths {
  return { bin: requireEnv('E2E_CODE_SERVER_BIN'), nodeHome: requireEnv('E2E_NODE_HOME') };
}

/** code-server's scripts run on the first `node` on PATH; it must be Node 24. */
function serverEnv(paths: CodeServerPaths, profile: Profile, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${join(paths.nodeHome, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
    // code-server keeps its own logs and defaults under these: keep them out of the real home.
    XDG_CONFIG_HOME: join(profile.root, 'xdg'),
    XDG_DATA_HOME: join(profile.root, 'xdg'),
    ...extra,
  };
}

// Settings that keep the workbench quiet and deterministic: nothing opens on start, nothing
// phones home, no AI/chat surfaces, no trust prompt.
const seededSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'editor.minimap.enabled': false,
  'window.restoreWindows': 'none',
};

export function createProfile(): Profile {
  const root = mkdtempSync(join(tmpdir(), 'actlab-e2e-profile-'));
  removeOnExit(root);
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(seededSettings, null, 2));
  // An explicit empty config: without --config code-server writes a password file into $HOME.
  const configFile = join(root, 'config.yaml');
  writeFileSync(configFile, '');
  return { root, userDataDir, extensionsDir, configFile };
}

export function installExtension(vsix: string, profile: Profile, paths = codeServerPaths()): void {
  const r = spawnSync(
    paths.bin,
    ['--config', profile.configFile, '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, '--install-extension', vsix, '--force'],
    { env: serverEnv(paths, profile), encoding: 'utf8', timeout: 120_000 },
  );
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`installing ${vsix} failed (exit ${r.status}):\n${out}`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

// Every server started here is killed when this process ends, however it ends; scratch folders
// registered with removeOnExit go too.
const live = new Set<ChildProcess>();
const scratch = new Set<string>();

export function removeOnExit(path: string): void {
  installExitHandlers();
  scratch.add(path);
}
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}
let handlersInstalled = false;
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const child of live) killGroup(child, 'SIGKILL');
    if (!process.env.E2E_KEEP) for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      for (const child of live) killGroup(child, 'SIGKILL');
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

async function waitHealthy(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms:\n${output()}`);
}

export async function startCodeServer(options: StartOptions = {}): Promise<CodeServer> {
  installExitHandlers();
  const paths = codeServerPaths();
  const ownsProfile = options.profile === undefined;
  const profile = options.profile ?? createProfile();
  const port = await freePort();
  const args = [
    '--config', profile.configFile,
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--reconnection-grace-time', '5',
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  // detached: the child calls setsid(), so it leads a new process group that holds every
  // helper it spawns (extension host, pty host, trainer processes): one kill ends them all.
  const child = spawn(paths.bin, args, { env: serverEnv(paths, profile, options.env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let log = '';
  const append = (b: Buffer): void => {
    log += b.toString();
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    // Helpers may outlive the leader for a moment; make sure none survive.
    killGroup(child, 'SIGKILL');
    live.delete(child);
    if (ownsProfile) rmSync(profile.root, { recursive: true, force: true });
  };
  try {
    await waitHealthy(url, child, () => log, 60_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, userDataDir: profile.userDataDir, extensionsDir: profile.extensionsDir, output: () => log, stop };
}
