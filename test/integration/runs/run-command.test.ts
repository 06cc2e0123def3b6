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
    appendFileSync(path.join(root, 'porta.toml'), '\n[targets.itest]\nkind = "local"\npython = "/usr/bin/python3"\n[targets.itest2]\nkind = "local"\npython = "/usr/bin/python3"\n');
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
    const many = lenses.find((lens) => lens.command?.command === 'porta.runOnTargets');
    assert.ok(many, 'a porta.runOnTargets CodeLens');
    assert.equal(many.range.start.line, 4);
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

  it('runs on several targets with porta.runOnTargets and names the best one', async () => {
    const result = await vscode.commands.executeCommand<{ outcomes: Array<{ target: string; record?: RecordLike }>; choice?: { best?: string; bestLabel?: string; reason: string } }>(
      'porta.runOnTargets', script, { targets: ['itest', 'itest2'], backend: 'auto' });
    assert.ok(result, 'the command resolves to the outcomes');
    assert.deepEqual(result.outcomes.map((o) => [o.target, o.record?.status]), [['itest', 'succeeded'], ['itest2', 'succeeded']]);
    for (const o of result.outcomes) assert.equal(o.record?.metrics.custom?.itest_score, 42);
    const winner = result.outcomes.find((o) => o.record && result.choice?.best?.startsWith(o.record.id));
    assert.ok(winner && ['itest', 'itest2'].includes(winner.target), JSON.stringify(result.choice));
    assert.match(result.choice?.reason ?? '', /wins on latency/);
  });

  it('checks the environment with porta.doctor and shows the --json report', async () => {
    const report = await vscode.commands.executeCommand<{ version: number; checks: Array<{ target: string; check: string; status: string }> }>('porta.doctor');
    assert.ok(report, 'the command resolves to the report');
    assert.equal(report.version, 1);
    assert.ok(report.checks.some((c) => c.target === 'itest' && c.check === 'pytorch'), JSON.stringify(report.checks));
    const shown = vscode.window.activeTextEditor?.document;
    assert.equal(shown?.languageId, 'json');
    assert.deepEqual((JSON.parse(shown.getText()) as typeof report).checks.length, report.checks.length);
  });
});
