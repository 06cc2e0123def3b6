import * as assert from 'node:assert/strict';
import { fixText } from '../../../src/core/fix';
import { analyzer } from '../analyzer/helpers';

/**
 * `torch.cuda.memory.*` (the submodule torch.cuda's memory functions come from): each function under the rule of
 * what it does without CUDA, and its statistics fixed as `torch.cuda.memory_allocated` & co. are (issue 14).
 */
describe('torch.cuda.memory submodule', () => {
  it('statistics are PT-CUDA-003 (degraded), calls that raise without CUDA PT-CUDA-002, the rest PT-CUDA-009', async () => {
    const a = await analyzer();
    const ruleOf = (call: string): string[] => a.analyze('m.py', `import torch\n${call}\n`).findings.map((f) => f.rule);
    assert.deepEqual(ruleOf('torch.cuda.memory.memory_allocated()'), ['PT-CUDA-003']);
    assert.deepEqual(ruleOf('torch.cuda.memory.max_memory_reserved()'), ['PT-CUDA-003']);
    assert.deepEqual(ruleOf('torch.cuda.memory.mem_get_info()'), ['PT-CUDA-002']);
    assert.deepEqual(ruleOf('torch.cuda.memory.reset_peak_memory_stats()'), ['PT-CUDA-002']);
    assert.deepEqual(ruleOf('torch.cuda.memory._record_memory_history(max_entries=100)'), ['PT-CUDA-009']);
    assert.deepEqual(a.analyze('m.py', 'from torch.cuda import memory\nmemory.memory_allocated()\n').findings.map((f) => f.rule), ['PT-CUDA-003']);
  });

  it('a statistic is fixed exactly as its torch.cuda name is, for every target', async () => {
    for (const target of ['auto', 'cpu', 'xpu', 'npu', 'mps'] as const) {
      for (const name of ['memory_allocated', 'max_memory_allocated', 'memory_reserved', 'memory_stats', 'empty_cache']) {
        const body = (call: string): string => `import torch\n\n\ndef report():\n    return ${call}()\n`;
        const top = await fixText('m.py', body(`torch.cuda.${name}`), { target, unsafe: true });
        const sub = await fixText('m.py', body(`torch.cuda.memory.${name}`), { target, unsafe: true });
        assert.ok(top.changed, `${target} ${name}`);
        assert.equal(sub.text, top.text, `${target} torch.cuda.memory.${name}`);
        assert.deepEqual(sub.applied.map((f) => f.safe), top.applied.map((f) => f.safe));
      }
    }
  });

  it('the declared torch 2.9 uses torch.accelerator.memory for the submodule\'s statistics too', async () => {
    const result = await fixText('m.py', 'import torch\nprint(torch.cuda.memory.max_memory_allocated())\n', { target: 'auto', unsafe: true, torchVersion: '2.9' });
    assert.match(result.text, /torch\.accelerator\.memory\.max_memory_allocated\(\) if torch\.accelerator\.is_available\(\) else 0/);
  });
});
