import * as vscode from 'vscode';
import { tmpdir } from 'node:os';
import type { PortaServices } from './services';
import type { DoctorReport } from '../run/doctor/report';

/**
 * Porta: Check Environment (the walkthrough's step): runs `porta doctor` on `local` and the porta.toml targets and
 * shows its --json result in an editor, with a one-line summary. Interpreter probes need a trusted workspace.
 */
export function registerDoctor(context: vscode.ExtensionContext, services: PortaServices): void {
  context.subscriptions.push(vscode.commands.registerCommand('porta.doctor', async (): Promise<DoctorReport | undefined> => {
    if (!services.trust.requireTrust('Check environment')) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const doctor = require('../run/doctor/doctor') as typeof import('../run/doctor/doctor');
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? tmpdir();
    let report: DoctorReport;
    try {
      report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Porta: checking each target…' },
        async () => doctor.runDoctor(root, { targets: await doctor.doctorTargets(root) }),
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`Porta: Check Environment failed: ${message}`);
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify(report, null, 2)}\n` });
    await vscode.window.showTextDocument(document, { preview: true });
    const failed = report.checks.filter((c) => c.status === 'fail');
    const summary = failed.length
      ? `Porta: ${failed.length} check${failed.length > 1 ? 's' : ''} failed: ${failed.map((c) => `${c.target} ${c.check} (fix: ${c.fix ?? 'see the report'})`).join('; ')}`
      : `Porta: all ${report.checks.length} checks passed${report.checks.some((c) => c.status === 'warn') ? ' (with warnings)' : ''}.`;
    services.log.info(summary);
    void (failed.length ? vscode.window.showWarningMessage(summary) : vscode.window.showInformationMessage(summary));
    return report;
  }));
}
