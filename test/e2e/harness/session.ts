// One call to get a workbench with the packaged VSIX installed, on a fresh copy of a workspace:
//
//   let wb: Workbench;
//   before(async () => (wb = await startWorkbench()));
//   after(async () => wb?.close());
//   it('...', async () => { await openFile(wb.page, 'train.py'); ... });
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { defaultVsixPath, workspaceTemplate } from './paths';
import { type CodeServer, copyWorkspace, installVsix, startCodeServer } from './server';
import { openWorkbench } from './workbench';

export interface WorkbenchOptions {
  /** The VSIX to install; PORTA_VSIX or porta-linux-x64.vsix (npm run package) by default. */
  vsix?: string;
  /** Folder copied to a temp dir and opened; test/integration/workspace by default. */
  workspace?: string;
  /** Edits the temp copy before the server starts (e.g. delete files that would trigger activation). */
  prepareWorkspace?: (dir: string) => void;
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  viewport?: { width: number; height: number };
  /** false: open the folder untrusted (workspace trust on); see StartOptions.trust. Default true. */
  trust?: boolean;
}

export interface Workbench {
  readonly page: Page;
  readonly browser: Browser;
  readonly server: CodeServer;
  /** Absolute path of the temp workspace copy (edit files here to change what the editor sees). */
  readonly workspace: string;
  close(): Promise<void>;
}

const installed = new Map<string, Promise<string>>();

/** Installs a VSIX once per test process; returns the extensions dir that holds it. */
function extensionsDirWith(vsix: string): Promise<string> {
  let dir = installed.get(vsix);
  if (!dir) {
    const target = mkdtempSync(path.join(os.tmpdir(), 'porta-e2e-ext-'));
    process.once('exit', () => rmSync(target, { recursive: true, force: true }));
    dir = installVsix(vsix, target).then(() => target);
    installed.set(vsix, dir);
  }
  return dir;
}

export async function startWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const vsix = path.resolve(options.vsix ?? process.env.PORTA_VSIX ?? defaultVsixPath);
  const extensionsDir = await extensionsDirWith(vsix);
  const workspace = copyWorkspace(options.workspace ?? workspaceTemplate);
  options.prepareWorkspace?.(workspace);
  const server = await startCodeServer({ extensionsDir, settings: options.settings, env: options.env, trust: options.trust });
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await server.close();
    rmSync(workspace, { recursive: true, force: true });
  };
  try {
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    await openWorkbench(page, server, workspace);
    return { page, browser, server, workspace, close };
  } catch (err) {
    await close();
    throw err;
  }
}
