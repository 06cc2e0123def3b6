import * as assert from 'node:assert/strict';
import { runSnippet } from './child';

describe('hostile: reports grow linearly with the findings', function () {
  // The child is killed after 120 s; before the fix 50,000 findings in one file took about 95 s of copying.
  this.timeout(180_000);

  it('--format text prints 100,000 findings of one file', async () => {
    const code = `
      const { formatReport } = require('./src/core/report');
      const finding = (i) => ({ path: 'big.py', rule: 'PT-DEV-001', severity: 'warning', message: 'cuda', range: { start: { line: i + 1, column: 1 }, end: { line: i + 1, column: 5 } },
        targets: { cuda: 'ok', rocm: 'shim', npu: 'breaks', xpu: 'breaks', mps: 'breaks', cpu: 'breaks' } });
      const findings = Array.from({ length: 100000 }, (_, i) => finding(i));
      const text = formatReport({ findings, notes: [], filesScanned: 1, linesScanned: 100000 }, 'text');
      console.log(text.split('\\n').filter((l) => /^  \\d+:1 .*PT-DEV-001/.test(l)).length);`;
    const result = await runSnippet(code, 120_000);
    assert.equal(result.killed, false, 'formatting did not finish');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), '100000');
  });
});
