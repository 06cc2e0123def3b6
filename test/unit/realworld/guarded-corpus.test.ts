import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Finding } from '../../../src/core/model';
import { loadAnalyzer } from '../../../src/core/analyze';

/**
 * The guarded verdict on public code (issue 14): lines of ../shared/corpus that only run where CUDA is present must
 * come out guarded, with no fix; lines beside them that run everywhere must not. Read from the corpus as data.
 */
const CORPUS = resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpus');

interface Expectation {
  file: string;
  /** line: what the line holds, checked against the file so a corpus update cannot silently shift the lines. */
  guarded: Record<number, string>;
  open: Record<number, string>;
}

const EXPECTED: Expectation[] = [
  {
    // The per-vendor synchronize chains (cuda, then npu) and the TF32/cuDNN switches under is_available().
    file: 'huggingface+pytorch-image-models/train.py',
    guarded: { 496: 'allow_tf32 = True', 497: 'cudnn.benchmark = True', 1397: 'torch.cuda.synchronize()', 1506: 'torch.cuda.synchronize()' },
    open: { 1238: "device=torch.device('cuda')" },
  },
  {
    // `self.is_cuda` / `self.is_npu` flags choosing the prefetch stream.
    file: 'huggingface+pytorch-image-models/timm/data/loader.py',
    guarded: { 127: 'torch.cuda.Stream(', 128: 'torch.cuda.stream', 152: 'torch.cuda.current_stream(' },
    open: { 89: "torch.device('cuda')" },
  },
  {
    // Lightning's CUDA accelerator: one vendor's class, a method that refuses other device types first, the module's
    // functions named for CUDA (it is the CUDA backend) and a private helper called only from them.
    file: 'Lightning-AI+pytorch-lightning/src/lightning/fabric/accelerators/cuda.py',
    guarded: { 38: 'torch.cuda.set_device(device)', 56: 'torch.device("cuda", i)', 119: 'torch.device("cuda", gpu_idx)', 160: 'get_device_capability', 186: 'torch.cuda.empty_cache()' },
    open: {},
  },
  {
    // `if device == "cuda":` and the CUDA arm of an mps/cuda chain; the DDP block runs on past
    // `assert torch.cuda.is_available()` only with CUDA, so its set_device is guarded too.
    file: 'karpathy+llm.c/train_gpt2.py',
    guarded: { 596: 'torch.cuda.set_device(device)', 740: 'torch.cuda.reset_peak_memory_stats()', 837: 'torch.cuda.synchronize()' },
    open: { 855: 'torch.cuda.max_memory_allocated()' },
  },
  {
    // `.cuda(args.gpu)` inside `if torch.cuda.is_available():`; unconditional `.cuda()` beside it.
    file: 'microsoft+DeepSpeedExamples/training/imagenet/main.py',
    guarded: { 356: 'target.cuda(', 357: 'images.cuda(' },
    open: { 267: '.cuda()', 268: '.cuda()' },
  },
];

describe('real-world corpus: guarded findings (issue 14)', function () {
  this.timeout(120_000);

  before(function () {
    if (!existsSync(CORPUS)) this.skip(); // ../shared/corpus is beside the checkout on the project's machines and in CI
  });

  for (const expectation of EXPECTED) {
    it(expectation.file, async function () {
      const file = resolve(CORPUS, expectation.file);
      if (!existsSync(file)) this.skip();
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n');
      const findings = (await loadAnalyzer()).analyze(expectation.file, text).findings;
      const at = (line: number, holds: string): Finding[] => {
        assert.ok(lines[line - 1]?.includes(holds), `line ${line} holds ${holds}: ${lines[line - 1]}`);
        const here = findings.filter((f) => f.range.start.line === line);
        assert.ok(here.length > 0, `a finding on line ${line}`);
        return here;
      };
      for (const [line, holds] of Object.entries(expectation.guarded)) {
        for (const f of at(Number(line), holds)) {
          assert.ok(Object.values(f.targets).includes('guarded') && f.guard, `line ${line} ${f.rule} is guarded`);
          assert.equal(f.fix, undefined, `line ${line} ${f.rule} has no fix`);
        }
      }
      for (const [line, holds] of Object.entries(expectation.open)) {
        for (const f of at(Number(line), holds)) assert.equal(f.guard, undefined, `line ${line} ${f.rule} is not guarded`);
      }
    });
  }
});
