import * as assert from 'node:assert/strict';
import { formatReport } from '../../../src/core/report';
import { buildReadiness } from '../../../src/core/report/readiness';
import { verdictSummary } from '../../../src/core/report/verdicts';
import { failsGate } from '../../../src/core/report/gate';
import type { ScanResult } from '../../../src/core/report/types';
import { analyzer } from './helpers';

/** One guarded finding (line 3) and one that breaks (line 4). */
const SOURCE = 'import torch\nif torch.cuda.is_available():\n    torch.cuda.synchronize()\ntorch.cuda.synchronize()\n';

async function scan(): Promise<ScanResult> {
  const findings = (await analyzer()).analyze('train.py', SOURCE).findings.filter((f) => f.rule === 'PT-CUDA-002');
  assert.equal(findings.length, 2);
  return { findings, notes: [], filesScanned: 1, linesScanned: 4 };
}

describe('guarded verdict in reports', () => {
  it('readiness counts guarded findings apart: never a blocker, no effort', async () => {
    const result = await scan();
    const cpu = buildReadiness(result.findings, ['cpu'])[0]!;
    assert.equal(cpu.blockers, 1);
    assert.equal(cpu.guarded, 1);
    assert.deepEqual(cpu.topBlockers, [{ rule: 'PT-CUDA-002', count: 1 }]);
    const guardedOnly = buildReadiness(result.findings.filter((f) => f.guard), ['cpu'])[0]!;
    assert.equal(guardedOnly.status, 'ready');
    assert.equal(guardedOnly.effort.hours, 0);
  });

  it('verdictSummary names the guard; text and markdown show a guarded column', async () => {
    const result = await scan();
    const guarded = result.findings.find((f) => f.guard)!;
    assert.equal(verdictSummary(guarded, ['xpu', 'cpu']), 'guarded on xpu, cpu (inside `if torch.cuda.is_available():` (line 2))');
    const text = formatReport(result, 'text', { targets: ['cpu'] });
    assert.match(text, /blockers degraded guarded/);
    assert.match(text, /CPU +blocked +1 +0 +1 +0/);
    assert.match(text, /3:5 +info +PT-CUDA-002/);
    const markdown = formatReport(result, 'markdown', { targets: ['cpu'] });
    assert.match(markdown, /\| blockers \| degraded \| guarded \| shim \|/);
    assert.match(markdown, /\| CPU \| blocked \| 1 \| 0 \| 1 \| 0 \|/);
  });

  it('JSON carries the guard; SARIF makes it a note with porta/verdict: guarded', async () => {
    const result = await scan();
    const json = JSON.parse(formatReport(result, 'json')) as { findings: { range: { start: { line: number } }; guard?: { reason: string }; targets: Record<string, string> }[] };
    const guarded = json.findings.find((f) => f.range.start.line === 3)!;
    assert.equal(guarded.guard?.reason, 'inside `if torch.cuda.is_available():` (line 2)');
    assert.equal(guarded.targets.cpu, 'guarded');
    assert.equal(json.findings.find((f) => f.range.start.line === 4)!.guard, undefined);
    const sarif = JSON.parse(formatReport(result, 'sarif')) as { runs: { results: { level: string; locations: { physicalLocation: { region: { startLine: number } } }[]; properties: Record<string, unknown> }[] }[] };
    const results = sarif.runs[0]!.results;
    const at = (line: number) => results.find((r) => r.locations[0]!.physicalLocation.region.startLine === line)!;
    assert.equal(at(3).level, 'note');
    assert.equal(at(3).properties['porta/verdict'], 'guarded');
    assert.equal(at(4).level, 'error');
    assert.equal(at(4).properties['porta/verdict'], undefined);
  });

  it('--fail-on: a guarded finding never fails a verdict gate; any finding fails the default gate', async () => {
    const result = await scan();
    const guarded = result.findings.filter((f) => f.guard);
    assert.equal(failsGate(guarded, 'breaks', ['cpu', 'xpu']), false);
    assert.equal(failsGate(guarded, 'degraded', ['cpu', 'xpu']), false);
    assert.equal(failsGate(guarded, 'shim', ['npu']), true, 'the NPU shim verdict is still a shim');
    assert.equal(failsGate(guarded, 'any', ['cpu']), true);
    assert.equal(failsGate(result.findings, 'breaks', ['cpu']), true);
    assert.equal(failsGate(result.findings, 'breaks', ['cuda', 'rocm']), false, 'only the targets of interest count');
  });
});
