import * as vscode from 'vscode';
import type { ScanResult } from '../core/report';
import type { PortaServices } from './services';

/** Scans each workspace folder with the analyzer's worker-thread scan, with progress and cancellation. */
export async function scanWorkspaceFolders(services: PortaServices, token?: vscode.CancellationToken): Promise<ScanResult[] | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('Porta: open a folder to scan (virtual workspaces support open files only).');
    return undefined;
  }
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Porta: scanning workspace', cancellable: true },
    async (progress, progressToken) => {
      const controller = new AbortController();
      const cancel = () => controller.abort();
      const subs = [progressToken.onCancellationRequested(cancel), token?.onCancellationRequested(cancel)];
      if (token?.isCancellationRequested) cancel();
      const started = performance.now();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { scanWorkspace, ScanCancelled } = require('../workspace/scan') as typeof import('../workspace/scan');
      const results: ScanResult[] = [];
      const found: { uri: vscode.Uri; findings: ScanResult['findings'] }[] = [];
      try {
        for (const folder of folders) {
          const config = await services.configFor(folder.uri);
          const scan = await scanWorkspace(['.'], {
            cwd: folder.uri.fsPath,
            config,
            signal: controller.signal,
            helpOnThisThread: false,
            onProgress: (p) => {
              // The walk does not know the total up front: report counts, not a percentage.
              progress.report({ message: `${folder.name}: ${p.filesSeen} files, ${p.filesAnalyzed} analysed, ${p.findings} findings` });
            },
          });
          const byFile = new Map<string, ScanResult['findings']>();
          for (const f of scan.findings) {
            const list = byFile.get(f.path);
            if (list) list.push(f);
            else byFile.set(f.path, [f]); // pushed, not copied: copying per finding was quadratic
          }
          for (const [file, findings] of byFile) found.push({ uri: vscode.Uri.joinPath(folder.uri, file), findings });
          results.push(scan);
          services.log.info(
            `scan ${folder.name}: ${scan.filesScanned} files, ${scan.findings.length} findings, ${scan.notes.length} notes in ${(performance.now() - started).toFixed(0)} ms`,
          );
        }
        // Replace the previous scan only when this one completed: a cancelled scan leaves the view as it was.
        services.findings.clearScan();
        for (const f of found) services.findings.set(f.uri, f.findings, 'scan');
        return results;
      } catch (error) {
        if (controller.signal.aborted || error instanceof ScanCancelled) {
          services.log.info('scan cancelled');
          return undefined;
        }
        throw error;
      } finally {
        for (const s of subs) s?.dispose();
      }
    },
  );
}
