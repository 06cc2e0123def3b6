/**
 * Fix-all on a generated 5,000-line CUDA-heavy Python file: median wall time (target ≤ 50 ms), with the bare
 * parse and the analyzer's analyze (parse + match) of the same file measured in the same run as baselines; also the
 * editor's Fix All (the open document's tree reused) and the verification parse that bounds both from below.
 */
import { performance } from 'node:perf_hooks';
import { createParser } from '../src/core/parse/loader';
import { fixPythonText } from '../src/core/fix/python/fixAll';

const BLOCK = (i: number): string => `

def train_${i}(model, loader, rank):
    torch.backends.cudnn.benchmark = True
    model = model.cuda(rank)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scaler = torch.cuda.amp.GradScaler()
    for x, y in loader:
        x, y = x.cuda(non_blocking=True), y.to("cuda")
        with torch.cuda.amp.autocast():
            loss = model(x).sub(y).pow(2).mean()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    torch.cuda.synchronize()
    state = torch.load("ckpt_${i}.pt", map_location=f"cuda:{rank}")
    return torch.zeros(3, device="cuda:0"), state
`;

export function generateCudaHeavyFile(lines = 5000): string {
  let text = 'import torch\nimport torch.distributed as dist\n\ndist.init_process_group("nccl")\n';
  for (let i = 0; text.split('\n').length < lines; i++) text += BLOCK(i);
  return text;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(label: string, runs: number, fn: () => void): Promise<number> {
  fn(); // warm-up (JIT, WASM)
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  const m = median(samples);
  console.log(`${label.padEnd(44)} median ${m.toFixed(1)} ms (${runs} runs)`);
  return m;
}

export async function run(): Promise<void> {
  const text = generateCudaHeavyFile();
  const lineCount = text.split('\n').length;
  const parser = await createParser('python');
  const runs = 11;
  const parse = await time(`parse (${lineCount} lines)`, runs, () => parser.parse(text)!.delete());
  let analyzeMs: number | undefined;
  try {
    const { loadAnalyzer } = await import('../src/core/analyze');
    const analyzer = await loadAnalyzer();
    analyzeMs = await time('analyze (parse + match + per-finding fixes)', runs, () => void analyzer.analyze('bench.py', text));
  } catch (error) {
    console.log(`analyze baseline unavailable: ${(error as Error).message}`);
  }
  let sites = 0;
  let fixed = text;
  const fix = await time('fix-all (all passes, re-parse, verify)', runs, () => {
    const result = fixPythonText(parser, text, { target: 'auto', unsafe: true });
    sites = result.applied.length;
    fixed = result.text;
  });
  // The editor's Fix All starts from the open document's tree: no input parse.
  const tree = parser.parse(text)!;
  const open = await time('fix-all on an open document (tree reused)', runs, () => void fixPythonText(parser, text, { target: 'auto', unsafe: true }, tree));
  tree.delete();
  // The floor of any verified fix-all with this parser: the input's parse, and the parse of the result that proves it
  // still parses (also the tree the fixed-point pass searches). Measured here so the target can be read against it.
  const verify = await time('parse of the fixed result (verification)', runs, () => parser.parse(fixed)!.delete());
  console.log(`fix-all applied ${sites} fixes; target median ≤ 50 ms: ${fix <= 50 ? 'met' : 'NOT met'}`);
  console.log(`floor (input parse + verification parse): ${(parse + verify).toFixed(1)} ms; fix-all spends ${(fix - parse - verify).toFixed(1)} ms beyond it`);
  console.log(`editor Fix All (tree reused): ${open.toFixed(1)} ms, ${(open / fix).toFixed(2)}x the cold fix-all; its floor (verification parse) ${verify.toFixed(1)} ms`);
  console.log(`ratio fix-all / parse: ${(fix / parse).toFixed(2)}x`);
  if (analyzeMs !== undefined) console.log(`ratio fix-all / analyze: ${(fix / analyzeMs).toFixed(2)}x`);
}

if (require.main === module) void run();
