import * as vscode from 'vscode';
import type { PortaServices } from '../services';
import type { TargetChoice } from '../../run/choose';
import type { TargetOutcome } from '../../run/multi/runOnTargets';

/** Options the command accepts programmatically (tests); the UI asks for the targets when they are missing. */
export interface RunOnTargetsOptions {
  targets?: string[];
  backend?: string;
  args?: string[];
  shim?: boolean;
  concurrency?: number;
}

export interface RunOnTargetsResult {
  outcomes: TargetOutcome[];
  /** The shared choice (`porta run --target a,b,c` prints the same), on the default objective. */
  choice?: TargetChoice;
}

/* eslint-disable @typescript-eslint/no-require-imports */
// Loaded on first use: activation stays cheap.
const runModules = () => ({
  launch: require('../../run/launch') as typeof import('../../run/launch'),
  multi: require('../../run/multi/runOnTargets') as typeof import('../../run/multi/runOnTargets'),
  choose: require('../../run/choose') as typeof import('../../run/choose'),
  log: require('../../run/multi/prefixedLog') as typeof import('../../run/multi/prefixedLog'),
  compare: require('../../run/compare') as typeof import('../../run/compare'),
});
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Porta: Run on Targets…: one script on several targets at once. The log of all of them goes to one output channel,
 * each line prefixed with its target; the dashboard (opened at the start) follows the runs through the history
 * and switches to their comparison when the last one ends. Cancelling the progress notification cancels them all.
 */
export async function runOnTargets(
  services: PortaServices, script: vscode.Uri, root: string, refresh: () => void, options: RunOnTargetsOptions = {},
): Promise<RunOnTargetsResult | undefined> {
  const targets = options.targets ?? (await (await import('./pick')).pickTargets(root));
  if (!targets?.length) return undefined;
  const m = runModules();
  const rel = vscode.workspace.asRelativePath(script, false);
  const channel = services.createRunOutput(`Porta Run: ${rel} @ ${targets.join(', ')}`);
  channel.show(true);
  const log = new m.log.PrefixedLog(targets, (text) => channel.append(text));
  const dashboard = (await vscode.commands.getCommands(true)).includes('porta.openDashboard');
  if (dashboard) await vscode.commands.executeCommand('porta.openDashboard');
  const outcomes = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Porta: ${rel} on ${targets.length} targets`, cancellable: true },
    (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let done = 0;
      return m.multi.runOnTargets({
        targets,
        concurrency: options.concurrency,
        signal: controller.signal,
        start: async (target, io) => (await m.launch.startRun(
          { workspaceRoot: root, target, script: script.fsPath, args: options.args ?? [], backend: options.backend ?? 'auto', shim: options.shim },
          { onLog: io.onLog, signal: io.signal, onStatus: refresh },
        )).done,
        onLog: (target, text) => log.log(target, text),
        onEnd: (o) => {
          log.flush(o.target);
          log.note(o.target, `[porta] ${o.record ? `run ${o.record.id} ${o.record.status}${o.record.error ? `: ${o.record.error}` : ''}` : o.error}`);
          progress.report({ message: `${++done} of ${targets.length} done`, increment: 100 / targets.length });
          refresh();
        },
      });
    },
  );
  const records = outcomes.flatMap((o) => (o.record ? [o.record] : []));
  const choice = records.length ? m.choose.chooseTarget(m.compare.compareRuns(records)) : undefined;
  channel.appendLine(`[porta] best target: ${choice?.bestLabel ?? 'none'}. ${choice?.reason ?? 'No target produced a record.'}`);
  if (dashboard && records.length) await vscode.commands.executeCommand('porta.openDashboard', { compareRunIds: records.map((r) => r.id) });
  const failed = outcomes.filter((o) => o.record?.status !== 'succeeded');
  if (failed.length) {
    void vscode.window.showWarningMessage(`Porta: ${failed.map((o) => `${o.target} ${o.record?.status ?? 'not started'}`).join(', ')}; ${outcomes.length - failed.length} of ${outcomes.length} targets succeeded.`, 'Open Log')
      .then((choice) => { if (choice) channel.show(); });
  }
  return { outcomes, choice };
}
