import * as vscode from 'vscode';

const MAIN_GUARD = /^if\s+__name__\s*==\s*(['"])__main__\1\s*:/;

/** "Run on…" and "Run on Targets…" above `if __name__ == "__main__":` in Python files. */
export class RunCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    for (let line = 0; line < document.lineCount; line++) {
      const text = document.lineAt(line).text;
      if (!MAIN_GUARD.test(text)) continue;
      const range = new vscode.Range(line, 0, line, text.length);
      lenses.push(
        new vscode.CodeLens(range, { title: '$(play) Run on…', tooltip: 'Run this script locally, over SSH or on Slurm', command: 'porta.runOn', arguments: [document.uri] }),
        new vscode.CodeLens(range, { title: '$(run-all) Run on Targets…', tooltip: 'Run this script on several targets at once and compare them', command: 'porta.runOnTargets', arguments: [document.uri] }),
      );
    }
    return lenses;
  }
}
