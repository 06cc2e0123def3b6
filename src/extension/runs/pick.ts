import * as vscode from 'vscode';
import type { Discovery } from '../../run/discover';
import type { TargetConfig } from '../../run/targets/config';

/** Lazily loaded: SSH and discovery code is not needed until someone runs something. */
function runModules(): { config: typeof import('../../run/targets/config'); discover: typeof import('../../run/discover') } {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return { config: require('../../run/targets/config'), discover: require('../../run/discover') };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

interface TargetPick extends vscode.QuickPickItem {
  target: TargetConfig;
}

const REFRESH: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('refresh'), tooltip: 'Probe accelerators again' };

async function cachedDiscovery(target: TargetConfig, root: string, refresh: boolean): Promise<Discovery | undefined> {
  // Only the local probe is quick enough to run unasked; remote targets show the cache until refreshed.
  if (!refresh && target.kind !== 'local') {
    const { readFile } = await import('node:fs/promises');
    try {
      return JSON.parse(await readFile(`${root}/.porta/discovery/${target.name}.json`, 'utf8')) as Discovery;
    } catch {
      return undefined;
    }
  }
  // Only reached from a run or benchmark the user started, after the trust check: a workspace venv may be probed.
  return runModules().discover.discoverAccelerators(target, root, { refresh, userStartedRun: true });
}

function detailOf(discovery: Discovery | undefined): string {
  if (!discovery) return 'accelerators not probed yet (use the refresh button)';
  if (discovery.error) return `probe failed: ${discovery.error}`;
  const found = discovery.backends.filter((b) => b.available).map((b) => `${b.backend}${b.devices.length && b.backend !== 'cpu' ? ` (${b.devices.join(', ')})` : ''}`);
  const torch = discovery.python?.torch ? `torch ${discovery.python.torch}` : discovery.python?.error ? `python: ${discovery.python.error}` : '';
  return [`$(chip) ${found.join(', ') || 'none'}`, torch].filter(Boolean).join(' · ');
}

/** QuickPick of targets with their accelerators; the refresh button re-probes one target. */
export async function pickTarget(root: string): Promise<{ target: TargetConfig; discovery?: Discovery } | undefined> {
  const { config } = runModules();
  const targets = await config.loadTargets(root);
  const discoveries = new Map<string, Discovery | undefined>();
  const quickPick = vscode.window.createQuickPick<TargetPick>();
  quickPick.title = 'Run on…';
  quickPick.placeholder = 'Choose a target (porta.toml [targets.*], ~/.ssh/config hosts, or this machine)';
  const render = (): void => {
    quickPick.items = targets.map((target) => ({
      label: `$(${target.kind === 'local' ? 'device-desktop' : target.kind === 'ssh' ? 'remote' : 'server-environment'}) ${target.name}`,
      description: config.describeTarget(target),
      detail: detailOf(discoveries.get(target.name)),
      buttons: [REFRESH],
      target,
    }));
  };
  render();
  quickPick.busy = true;
  void Promise.all(targets.map(async (target) => {
    discoveries.set(target.name, await cachedDiscovery(target, root, false).catch(() => undefined));
  })).then(() => {
    quickPick.busy = false;
    render();
  });
  quickPick.onDidTriggerItemButton(async (event) => {
    quickPick.busy = true;
    discoveries.set(event.item.target.name, await cachedDiscovery(event.item.target, root, true).catch(() => undefined));
    quickPick.busy = false;
    render();
  });
  const chosen = await new Promise<TargetPick | undefined>((resolve) => {
    quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]));
    quickPick.onDidHide(() => resolve(undefined));
    quickPick.show();
  });
  quickPick.dispose();
  return chosen ? { target: chosen.target, discovery: discoveries.get(chosen.target.name) } : undefined;
}

/** Backend QuickPick: auto first, then detected accelerators, then the rest (marked); optionally with the runtime shim. */
export async function pickBackend(discovery: Discovery | undefined): Promise<{ backend: string; shim: boolean } | undefined> {
  const available = new Set<string>(discovery?.backends.filter((b) => b.available).map((b) => b.backend) ?? []);
  const all = ['cuda', 'rocm', 'npu', 'xpu', 'mps', 'cpu'];
  const items: Array<vscode.QuickPickItem & { backend: string; shim: boolean }> = [
    { label: 'auto', description: 'the best accelerator the harness finds at run time', backend: 'auto', shim: false },
    ...all.map((b) => ({ label: b, description: available.has(b) ? 'detected' : discovery ? 'not detected on this target' : '', backend: b, shim: false })),
    { label: '$(wand) auto + runtime shim', description: 'run unported CUDA code as is: .cuda() and "cuda" map to the chosen device', backend: 'auto', shim: true },
  ];
  const chosen = await vscode.window.showQuickPick(items, { title: 'Backend', placeHolder: 'Which accelerator should the script use?' });
  return chosen ? { backend: chosen.backend, shim: chosen.shim } : undefined;
}

/** Multi-select QuickPick of targets (Run on Targets…); resolves to the names picked, in the list's order. */
export async function pickTargets(root: string): Promise<string[] | undefined> {
  const { config } = runModules();
  const targets = await config.loadTargets(root);
  const chosen = await vscode.window.showQuickPick(
    targets.map((target) => ({ label: target.name, description: config.describeTarget(target), picked: target.name === 'local', target })),
    { title: 'Run on Targets…', placeHolder: 'Pick the targets to run on at once (Space to toggle, Enter to start)', canPickMany: true },
  );
  return chosen?.length ? chosen.map((c) => c.target.name) : undefined;
}
