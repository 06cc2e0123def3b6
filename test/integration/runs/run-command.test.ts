// Runs through the real command in the VS Code extension host: CodeLens, porta.runOn, the recorded run.
import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

interface RecordLike {
  id: string;
  status: string;
  exitCode?: number | null;
  target: string;
  resolvedBackend?: string;
  logFile: string;
  metrics: { custom?: Record<string, number> };
}

const SCRIPT = `import os
print("itest says hi on", os.environ.get("PORTA_DEVICE"), flush=True)
print('PORTA_METRIC {"name": "itest_score", "value": 42}', flush=True)

if __name__ == "__main__":
    print("main done", flush=True)
`;

describe('runs: Run on… in VS Code', function () {
  this.timeout(90000);
  let root: string;
  let script: vscode.Uri;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the runner opens the fixture workspace');
    root = folder.uri.fsPath;
    // A target with Debian's interpreter (python3 on PATH may lack torch); the copy of the workspace is ours to edit.
    appendFileSync(path.join(root, 'porta.toml'), '\n[targets.itest]\nkind = "local"\npython = "/usr/bin/python3"\n');
    writeFileSync(path.join(root, 'itest_run.py'), SCRIPT);
    script = vscode.Uri.file(path.join(root, 'itest_run.py'));
    const extension = vscode.extensions.getExtension('porta-dev.porta');
    assert.ok(extension);
    await extension.activate();
  });

  it('shows a "Run on…" CodeLens at if __name__ == "__main__":', async () => {
    const document = await vscode.workspace.openTextDocument(script);
    await vscode.window.showTextDocument(document);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', script);
    const run = lenses.find((lens) => lens.command?.command === 'porta.runOn');
    assert.ok(run, 'a porta.runOn CodeLens');
    assert.equal(run.range.start.line, 4);
  });

  it('runs the script through porta.runOn and records it in .porta/runs', async () => {
    const record = await vscode.commands.executeCommand<RecordLike>('porta.runOn', script, { target: 'itest', backend: 'auto' });
    assert.ok(record, 'the command resolves to the run record');
    assert.equal(record.status, 'succeeded');
    assert.equal(record.exitCode, 0);
    assert.equal(record.target, 'itest');
    assert.equal(record.metrics.custom?.itest_score, 42);
    const stored = path.join(root, '.porta', 'runs', `${record.id}.json`);
    assert.ok(existsSync(stored), 'record written to .porta/runs');
    assert.equal((JSON.parse(readFileSync(stored, 'utf8')) as RecordLike).status, 'succeeded');
    assert.match(readFileSync(record.logFile, 'utf8'), /main done/);
    console.log(`    run ${record.id}: ${record.status} on ${record.target} (${record.resolvedBackend})`);
  });

  it('opens the log of a recorded run in the porta-log language', async () => {
    const runs = path.join(root, '.porta', 'runs');
    const id = readdirSync(runs).find((name) => name.endsWith('.json'))?.slice(0, -5) as string;
    await vscode.commands.executeCommand('porta.runs.openLog', id);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(editor.document.languageId, 'porta-log');
  });
});
