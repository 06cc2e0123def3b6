import * as vscode from 'vscode';
import { findModuleClasses } from '../../run/onnx/modules';

/** "Export & benchmark" above every `class X(nn.Module):` in Python files. */
export class ExportBenchCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const text = document.getText();
    // Cheap prefilter: most Python files never mention Module.
    if (!text.includes('Module')) return [];
    return findModuleClasses(text).map(({ name, line }) => new vscode.CodeLens(document.lineAt(line).range, {
      title: '$(dashboard) Export & benchmark',
      tooltip: `Export ${name} to ONNX (torch.onnx.export, opset 13), benchmark it with ONNX Runtime and compare with PyTorch`,
      command: 'porta.bench.exportAndBenchmark',
      arguments: [document.uri, name],
    }));
  }
}
