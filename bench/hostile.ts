/**
 * Adversarial inputs from issue 17, each as a ratio against a benign input of the same size measured in the same
 * run: a ratio that grows with the input means the cost is super-linear again.
 */
import { performance } from 'node:perf_hooks';
import { loadAnalyzer } from '../src/core/analyze';
import { formatReport } from '../src/core/report';
import type { Finding } from '../src/core/model';
import { fixText } from '../src/core/fix';
import { unifiedDiffFromEdits } from '../src/core/fix/unifiedDiff';
import { LineSplitter } from '../src/run/metrics';

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

async function timeAsync(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

function report(label: string, hostileMs: number, baselineMs: number, baseline: string): void {
  console.log(`${label.padEnd(46)} ${hostileMs.toFixed(0).padStart(7)} ms  vs ${baseline.padEnd(34)} ${baselineMs.toFixed(0).padStart(6)} ms  ratio ${(hostileMs / baselineMs).toFixed(2)}`);
}

export async function run(): Promise<void> {
  const analyzer = await loadAnalyzer();
  analyzer.analyze('warm.py', 'import torch\nx = torch.zeros(1).cuda()\n');

  for (const n of [1000, 4000]) {
    const chain = `import torch\nx = torch.zeros(1)${'.cuda()'.repeat(n)}\n`;
    const lines = `import torch\n${Array.from({ length: n }, (_, i) => `x${i} = t.cuda()`).join('\n')}\n`;
    report(`analyze: .cuda() chain ${n} long`, time(() => analyzer.analyze('a.py', chain)), time(() => analyzer.analyze('b.py', lines)), `${n} lines of x = t.cuda()`);
  }

  const word = `import torch\ns = "${'cuda'.repeat(40_000)}"\n`;
  const words = `import torch\ns = "${'cuda '.repeat(32_000)}"\n`;
  report('analyze: one 160 KB word of "cuda"s', time(() => analyzer.analyze('a.py', word)), time(() => analyzer.analyze('b.py', words)), '160 KB of separate "cuda" words');

  const findings: Finding[] = Array.from({ length: 50_000 }, (_, i) => ({
    path: 'big.py', rule: 'PT-DEV-001', severity: 'warning', message: 'cuda', range: { start: { line: i + 1, column: 1 }, end: { line: i + 1, column: 5 } },
    targets: { cuda: 'ok', rocm: 'shim', npu: 'breaks', xpu: 'breaks', mps: 'breaks', cpu: 'breaks' },
  }));
  const scan = { findings, notes: [], filesScanned: 1, linesScanned: 50_000 };
  report('--format text: 50,000 findings in one file', time(() => formatReport(scan, 'text')), time(() => formatReport(scan, 'json')), '--format json, same findings');

  const chunk = 'x'.repeat(64 * 1024);
  const lineChunk = `${'y'.repeat(79)}\n`.repeat(800);
  const split = (piece: string) => () => {
    const splitter = new LineSplitter();
    for (let sent = 0; sent < 20 * 1024 * 1024; sent += piece.length) splitter.push(piece);
    splitter.flush();
  };
  report('LineSplitter: one 20 MB line', time(split(chunk)), time(split(lineChunk)), '20 MB of 80-character lines');

  const lines: string[] = ['import torch', ''];
  for (let i = 0, size = 0; size < 1_400_000; i++) {
    const line = i % 3 === 0 ? `x${i} = torch.zeros(${(i % 5) + 1}).cuda()` : `y${i} = compute(${i}, "text")`;
    lines.push(line);
    size += line.length + 1;
  }
  const big = `${lines.join('\n')}\n`;
  let fixed: Awaited<ReturnType<typeof fixText>> | undefined;
  const fixMs = await timeAsync(async () => {
    fixed = await fixText('big.py', big, { target: 'auto' });
  });
  report('fix --diff hunks: 1.4 MB, 15,000 fixes', time(() => unifiedDiffFromEdits(big, fixed!.text, fixed!.edits, 'a/big.py', 'b/big.py')), fixMs, 'the fix itself (fixText)');
}
