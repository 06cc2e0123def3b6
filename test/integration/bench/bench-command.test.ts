// The benchmark through the real commands in the VS Code extension host: CodeLens, porta.bench.*, recorded runs.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { addModel } from '../../fixtures/onnx/build';

interface RecordLike {
  id: string;
  status: string;
  error?: string;
  target: string;
  providers?: { provider: string; available: boolean; reason?: string; parity?: { withinTolerance: boolean }[]; metrics?: { latencyMs?: { p50: number; samples: number } } }[];
}

const MODULE = `import torch.nn as nn

class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(6, 3)

    def forward(self, x):
        return self.fc(x).relu()
`;

describe('bench: Benchmark on… and Export & benchmark in VS Code', function () {
  this.timeout(120000);
  let root: string;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the runner opens the fixture workspace');
    root = folder.uri.fsPath;
    // Debian's interpreter has torch; the workspace copy is ours to edit.
    const toml = path.join(root, 'porta.toml');
    writeFileSync(toml, readFileSync(toml, 'utf8').replace('[targets.local]\nkind = "local"', '[targets.local]\nkind = "local"\npython = "/usr/bin/python3"'));
    writeFileSync(path.join(root, 'itest_add.onnx'), addModel());
    writeFileSync(path.join(root, 'itest_corrupt.onnx'), addModel().slice(0, 20));
    writeFileSync(path.join(root, 'itest_net.py'), MODULE);
    const extension = vscode.extensions.getExtension('porta-dev.porta');
    assert.ok(extension);
    await extension.activate();
  });

  it('benchmarks an .onnx file in worker processes and records the run', async () => {
    const uri = vscode.Uri.file(path.join(root, 'itest_add.onnx'));
    const record = await vscode.commands.executeCommand<RecordLike>('porta.bench.benchmarkOnnx', uri, { target: 'local', providers: ['cpu', 'webgpu'], iterations: 5 });
    assert.ok(record);
    assert.equal(record.status, 'succeeded', record.error);
    assert.equal(record.providers?.[0].metrics?.latencyMs?.samples, 5);
    assert.equal(record.providers?.[1].available, false);
    assert.ok(existsSync(path.join(root, '.porta', 'runs', `${record.id}.json`)));
    console.log(`    bench ${record.id}: cpu P50 ${record.providers?.[0].metrics?.latencyMs?.p50.toFixed(3)} ms; webgpu: ${record.providers?.[1].reason}`);
  });

  it('records a failed benchmark for a corrupt model without breaking the host', async () => {
    const uri = vscode.Uri.file(path.join(root, 'itest_corrupt.onnx'));
    const record = await vscode.commands.executeCommand<RecordLike>('porta.bench.benchmarkOnnx', uri, { target: 'local', providers: ['cpu'], iterations: 2 });
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /not a valid ONNX model/);
  });

  it('offers "Export & benchmark" over nn.Module subclasses and compares ONNX Runtime with PyTorch', async () => {
    const uri = vscode.Uri.file(path.join(root, 'itest_net.py'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const lens = lenses.find((l) => l.command?.command === 'porta.bench.exportAndBenchmark');
    assert.ok(lens, 'an Export & benchmark CodeLens');
    assert.equal(lens.range.start.line, 2);
    const record = await vscode.commands.executeCommand<RecordLike>('porta.bench.exportAndBenchmark', ...(lens.command?.arguments ?? []), { inputShape: '2x6', providers: ['cpu'], iterations: 5 });
    assert.equal(record.status, 'succeeded', record.error);
    assert.equal(record.providers?.[0].parity?.[0].withinTolerance, true, 'ONNX Runtime matches PyTorch');
  });
});
