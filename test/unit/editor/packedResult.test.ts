import * as assert from 'node:assert/strict';
import { packResult, unpackResult } from '../../../src/extension/worker/packedResult';
import { loadAnalyzer } from '../../../src/core/analyze';

describe('analysis worker results in columns', () => {
  it('unpack(pack(result)) equals the result: findings with and without fixes, related locations, notebook cells, notes', async () => {
    const a = await loadAnalyzer();
    const python = 'import torch\nx = torch.zeros(1).cuda()\ny = x.to("cuda:1")\ntorch.cuda.synchronize()\ndef broken(:\n';
    const notebook = JSON.stringify({
      cells: [{ cell_type: 'code', source: ['import torch\n', 'x = torch.zeros(2).cuda()\n'], metadata: {}, outputs: [], execution_count: null }],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    });
    const results = [
      a.analyze('a.py', python),
      a.analyze('a.py', python, undefined, null),
      a.analyze('n.ipynb', notebook),
      a.analyze('k.cu', '#include <cuda_runtime.h>\nvoid f(float* d) { cudaMalloc(&d, 4); }\n'),
      { findings: [], notes: [] },
    ];
    assert.ok(results[0]!.findings.some((f) => f.fix) && results[1]!.findings.every((f) => !f.fix));
    assert.ok(results[0]!.notes.length > 0, 'the syntax error note travels too');
    assert.ok(results[2]!.findings.some((f) => f.cell !== undefined && f.related?.length), 'notebook findings have cells and related locations');
    // Properties set to undefined are not data (JSON drops them, so does the packing).
    const data = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
    for (const result of results) assert.deepEqual(data(unpackResult(structuredClone(packResult(result)))), data(result));
    // Every fix carries the support code it needs (the device helper...); equal texts travel once.
    const helperTexts = results[0]!.findings.flatMap((f) => f.fix?.edits ?? []).map((e) => e.text).filter((t) => t.includes('def _porta_pick_device'));
    const packedHelpers = packResult(results[0]!).strings.filter((s) => s.includes('def _porta_pick_device'));
    assert.equal(packedHelpers.length, new Set(helperTexts).size);
    assert.ok(packedHelpers.length < helperTexts.length, `${packedHelpers.length} of ${helperTexts.length}`);
  });

  it('repeated paths, messages and verdict tables are sent once', async () => {
    const a = await loadAnalyzer();
    const text = 'import torch\n' + 'torch.cuda.synchronize()\n'.repeat(200);
    const packed = packResult(a.analyze('many.py', text, undefined, null));
    assert.equal(packed.table.length / 10, 200);
    assert.ok(packed.strings.length < 10, `${packed.strings.length} strings`);
    assert.equal(packed.targets.length, 1);
  });
});
