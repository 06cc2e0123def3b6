// Starts code-server (VS Code 1.100 in the browser, Node extension host on the server) in its own
// temp folder and process group, so every run starts clean and leaves nothing behind.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { codeServerBin, workspaceTemplate } from './paths';

const execFileAsync = promisify(execFile);

export interface StartOptions {
  /** Extensions directory to use (e.g. one with the VSIX installed); a fresh empty one if omitted. */
  extensionsDir?: string;
  /** Extra environment for the server and so for the extension host (e.g. TEST_RESULTS_FILE). */
  env?: Record<string, string>;
  /** User settings merged over the quiet defaults below. */
  settings?: Record<string, unknown>;
  /** Keep the temp folder after close() (for debugging). */
  keepTemp?: boolean;
  /**
   * false: workspace trust stays on (no `--disable-workspace-trust`), so a folder opens untrusted and VS Code
   * asks; answer "No" to get Restricted Mode. The user-data dir is fresh, so nothing is pre-trusted. Default true.
   */
  trust?: boolean;
}

/** Settings that keep the workbench quiet and deterministic for tests. */
const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'chat.disableAIFeatures': true,
};

/** Process groups still running, killed if the test process exits without closing them. */
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

export interface CodeServer {
  readonly url: string;
  readonly host: string;
  /** The run's temp folder (user data, XDG dirs, TMPDIR). */
  readonly tmp: string;
  readonly extensionsDir: string;
  /** Resolves with the exit code if the server stops on its own. */
  readonly exited: Promise<number | null>;
  /** Everything the server printed so far. */
  output(): string;
  close(): Promise<void>;
}

export function requireCodeServer(): void {
  if (!existsSync(codeServerBin)) {
    throw new Error(`code-server is not installed at ${codeServerBin}: run scripts/provision.sh`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  let stopped = false;
  void exited.then(() => (stopped = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopped) throw new Error('code-server exited before it became healthy');
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs} ms`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export async function startCodeServer(options: StartOptions = {}): Promise<CodeServer> {
  requireCodeServer();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'porta-cs-'));
  const dirs = { tmp: path.join(tmp, 'tmp'), data: path.join(tmp, 'xdg-data'), config: path.join(tmp, 'xdg-config'), ud: path.join(tmp, 'ud') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const extensionsDir = options.extensionsDir ?? path.join(tmp, 'ext');
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(path.join(dirs.ud, 'User'), { recursive: true });
  const trustSettings = options.trust === false ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'always' } : {};
  writeFileSync(path.join(dirs.ud, 'User/settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...trustSettings, ...options.settings }, null, 2));
  const configFile = path.join(tmp, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');

  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const args = [
    '--bind-addr', host, '--auth', 'none', '--config', configFile,
    '--user-data-dir', dirs.ud, '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check', ...(options.trust === false ? [] : ['--disable-workspace-trust']), '--ignore-last-opened',
  ];
  const child = spawn(codeServerBin, args, {
    detached: true, // own process group: close() kills the watcher and the extension host too
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: dirs.tmp, XDG_DATA_HOME: dirs.data, XDG_CONFIG_HOME: dirs.config, ...options.env },
  });
  if (child.pid !== undefined) liveGroups.add(child.pid);
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    killGroup(child, 'SIGTERM');
    const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3000))]);
    if (!gone) killGroup(child, 'SIGKILL');
    killGroup(child, 'SIGKILL'); // stragglers in the group (file watcher, extension host)
    if (child.pid !== undefined) liveGroups.delete(child.pid);
    if (!options.keepTemp) rmSync(tmp, { recursive: true, force: true });
  };

  try {
    await waitForHealth(`http://${host}`, exited, 30_000);
  } catch (err) {
    await close();
    throw new Error(`${(err as Error).message}\n--- code-server output ---\n${log}`);
  }
  return { url: `http://${host}`, host, tmp, extensionsDir, exited, output: () => log, close };
}

/** Installs a VSIX into an extensions directory with code-server's own CLI (tests the package for real). */
export async function installVsix(vsixPath: string, extensionsDir: string): Promise<void> {
  requireCodeServer();
  if (!existsSync(vsixPath)) throw new Error(`VSIX not found: ${vsixPath} (run npm run package)`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'porta-vsix-'));
  try {
    await execFileAsync(codeServerBin, ['--extensions-dir', extensionsDir, '--user-data-dir', path.join(tmp, 'ud'), '--install-extension', vsixPath], {
      env: { ...process.env, TMPDIR: tmp, XDG_DATA_HOME: path.join(tmp, 'data'), XDG_CONFIG_HOME: path.join(tmp, 'config') },
      timeout: 120_000,
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A fresh copy of test/integration/workspace that a test may edit freely. */
export function copyWorkspace(template: string = workspaceTemplate): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'porta-ws-'));
  cpSync(template, dir, { recursive: true });
  return dir;
}

/** Workbench URL for a folder; `payload` carries VS Code's test parameters (extensionDevelopmentPath, ...). */
export function workbenchUrl(server: CodeServer, folder: string, payload: Array<[string, string]> = []): string {
  const params = new URLSearchParams({ folder: `vscode-remote://${server.host}${folder}` });
  if (payload.length > 0) params.set('payload', JSON.stringify(payload));
  return `${server.url}/?${params.toString()}`;
}

/** A vscode-remote URI for a path on the server, as the workbench payload expects. */
export function remoteUri(server: CodeServer, absPath: string): string {
  return `vscode-remote://${server.host}${absPath}`;
}
