import * as vscode from 'vscode';
import { findModuleClasses } from '../../run/onnx/modules';

/** "Export & benchmark" above every nn.Module subclass in Python files (found on the syntax tree, see modules.ts). */
export class ExportBenchCodeLensProvider implements vscode.CodeLensProvider {
  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const text = document.getText();
    // Cheap prefilter: most Python files never mention Module, and they need no parse.
    if (!text.includes('Module')) return [];
    const classes = await findModuleClasses(text);
    if (token.isCancellationRequested) return [];
    return classes.map(({ name, line }) => new vscode.CodeLens(document.lineAt(line).range, {
      title: '$(dashboard) Export & benchmark',
      tooltip: `Export ${name} to ONNX (torch.onnx.export, opset 13), benchmark it with ONNX Runtime and compare with PyTorch`,
      command: 'porta.bench.exportAndBenchmark',
      arguments: [document.uri, name],
    }));
  }
}
