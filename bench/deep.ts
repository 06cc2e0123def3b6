/**
 * Deep syntax trees (issue 17): analysis of a `.cuda()` chain, an attribute chain and nested parentheses 1k, 4k and
 * 16k deep, as a ratio to a bare tree-sitter parse of the same text. A ratio that grows with the depth means some
 * lookup climbs the tree again (tree-sitter's `parent` descends from the root).
 */
import { performance } from 'node:perf_hooks';
import { loadAnalyzer } from '../src/core/analyze';
import { createParser } from '../src/core/parse/loader';
import { fixText } from '../src/core/fix';

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const SHAPES: Record<string, { file: string; text: (n: number) => string }> = {
  '.cuda() chain': { file: 'chain.py', text: (n) => `import torch\nx = torch.zeros(1)${'.cuda()'.repeat(n)}\n` },
  'torch.cuda.cuda... attribute chain': { file: 'attr.py', text: (n) => `import torch\nx = torch${'.cuda'.repeat(n)}\n` },
  'nested f(f(...x.cuda()))': { file: 'nest.py', text: (n) => `import torch\ny = ${'f('.repeat(n)}x.cuda()${')'.repeat(n)}\n` },
  'CUDA C++ nested parentheses': { file: 'nest.cu', text: (n) => `__global__ void k(float* x) { x[0] = ${'('.repeat(n)}cudaGetLastError()${')'.repeat(n)}; }\n` },
  'CUDA C++ nested blocks': { file: 'blocks.cu', text: (n) => `void f() ${'{ cudaDeviceSynchronize(); '.repeat(n)}${'}'.repeat(n)}\n` },
};

export async function run(): Promise<void> {
  const analyzer = await loadAnalyzer();
  const parsers = { py: await createParser('python'), cu: await createParser('cuda') };
  analyzer.analyze('warm.py', 'import torch\nx = torch.zeros(1).cuda()\n');
  for (const [label, shape] of Object.entries(SHAPES)) {
    const parser = shape.file.endsWith('.cu') ? parsers.cu : parsers.py;
    for (const n of [1000, 4000, 16_000]) {
      const text = shape.text(n);
      // The best of three parses: the baseline is short, and one slow run would flatter the ratio.
      const parseMs = Math.min(...[0, 1, 2].map(() => time(() => parser.parse(text)?.delete())));
      let findings = 0;
      const analyzeMs = time(() => {
        findings = analyzer.analyze(shape.file, text).findings.length;
      });
      const fixMs = shape.file === 'chain.py' ? await timeAsync(() => fixText(shape.file, text, { target: 'auto' })) : undefined;
      const fixed = fixMs === undefined ? '' : `  porta fix ${fixMs.toFixed(0)} ms, ratio ${(fixMs / parseMs).toFixed(1)}`;
      console.log(`${`${label} ${n} deep`.padEnd(44)} analyze ${analyzeMs.toFixed(0).padStart(6)} ms (${findings} findings)  parse ${parseMs.toFixed(0).padStart(4)} ms  ratio ${(analyzeMs / parseMs).toFixed(1)}${fixed}`);
    }
  }
}
