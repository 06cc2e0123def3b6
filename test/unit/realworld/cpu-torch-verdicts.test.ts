import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { getRule, RULES } from '../../../src/core/rules';
import { analyzer } from '../analyzer/helpers';

/**
 * Issue 14: each PT-CUDA verdict for the CPU matches what the call really does on a build without CUDA. Debian's
 * CPU-only PyTorch (/usr/bin/python3) runs each rule's example, and more calls that share a rule; a call that raises
 * there must be "breaks", one that runs (a no-op, a zero) must be "degraded" or "ok".
 */
const PYTHON = '/usr/bin/python3';
/** Names the examples use, bound to something harmless. */
const PRELUDE = 'import sys, torch\nimport torch.nn.functional as F\nlocal_rank = 0\nmodel = torch.nn.Identity()\nx = q = k = v = torch.zeros(1, 1, 2, 2)\nbatch = torch.zeros(1)\nctx = None\n';
/** Rules whose example is a runnable call (the PT-CUDA family, the AMP and cuDNN/backend switches). */
const RUNNABLE = RULES.filter((r) => /^PT-(CUDA|AMP|BACK)-/.test(r.id));
/** More calls each checked against the rule the analyzer gives them: members whose behaviour differs from the example. */
const CALLS = [
  'torch.cuda.memory_allocated()', 'torch.cuda.memory_reserved()', 'torch.cuda.memory_stats()',
  'torch.cuda.mem_get_info()', 'torch.cuda.reset_peak_memory_stats()', 'torch.cuda.memory_summary()', 'torch.cuda.set_per_process_memory_fraction(0.5)',
  'torch.cuda.set_rng_state_all([])', 'torch.cuda.get_rng_state_all()', 'torch.cuda.manual_seed(1)', 'torch.cuda.seed_all()',
  'torch.cuda.current_device()', 'torch.cuda.get_device_name()', 'torch.cuda.ipc_collect()', 'torch.cuda.get_rng_state()',
  'torch.cuda.memory_stats_as_nested_dict()', 'torch.cuda.list_gpu_processes()',
  // The torch.cuda.memory submodule: statistics run (zero), the rest raises.
  'torch.cuda.memory.memory_allocated()', 'torch.cuda.memory.max_memory_reserved()', 'torch.cuda.memory.memory_stats()', 'torch.cuda.memory.empty_cache()',
  'torch.cuda.memory.mem_get_info()', 'torch.cuda.memory.reset_peak_memory_stats()', 'torch.cuda.memory.memory_summary()',
  'torch.cuda.memory.memory_snapshot()', 'torch.cuda.memory.caching_allocator_alloc(16)', 'torch.cuda.memory._snapshot()',
];

const hasTorch = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

type Outcome = 'raises' | 'runs' | 'missing';

/**
 * Runs each snippet in its own namespace: raises (SystemExit included: the program stops) or runs. `missing`: the public
 * API is newer than this torch (an AttributeError on a public module, not on the CUDA bindings in torch._C).
 */
function outcomes(snippets: string[]): Outcome[] {
  const script = [
    'import json, sys, warnings',
    'warnings.simplefilter("ignore")',
    'out = []',
    'for code in json.load(sys.stdin):',
    '    try:',
    '        exec(compile(PRELUDE + code, "<example>", "exec"), {})',
    '        out.append("runs")',
    '    except AttributeError as e:',
    '        out.append("raises" if "torch._C" in str(e) else "missing")',
    '    except BaseException:',
    '        out.append("raises")',
    'print(json.dumps(out))',
  ].join('\n').replace('PRELUDE', JSON.stringify(PRELUDE));
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(snippets), encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Outcome[];
}

function agrees(verdict: string, outcome: Outcome): boolean {
  if (outcome === 'missing') return true;
  return outcome === 'raises' ? verdict === 'breaks' : verdict === 'degraded' || verdict === 'ok';
}

describe('PT-CUDA verdicts for the CPU agree with Debian\'s CPU-only PyTorch (issue 14)', function () {
  this.timeout(180_000);
  before(function () {
    if (!hasTorch) this.skip();
  });

  it('each rule\'s example raises exactly where the rule says the CPU breaks', () => {
    const seen = outcomes(RUNNABLE.map((r) => r.example));
    assert.ok(seen.filter((o) => o !== 'missing').length >= RUNNABLE.length - 2, `most examples run on this torch: ${seen.join(' ')}`);
    const wrong = RUNNABLE.flatMap((r, i) => (agrees(r.targets.cpu, seen[i]) ? [] : [`${r.id}: cpu ${r.targets.cpu}, but its example ${seen[i]}`]));
    assert.deepEqual(wrong, []);
  });

  it('calls that behave unlike their family\'s example sit under a rule whose verdict matches', async () => {
    const seen = outcomes(CALLS);
    const a = await analyzer();
    const wrong: string[] = [];
    CALLS.forEach((call, i) => {
      const rules = a.analyze('call.py', `import torch\n${call}\n`).findings.map((f) => f.rule);
      assert.equal(rules.length, 1, `${call} has one finding: ${rules.join(', ')}`);
      const verdict = getRule(rules[0])!.targets.cpu;
      if (!agrees(verdict, seen[i])) wrong.push(`${call}: ${rules[0]} says cpu ${verdict}, but it ${seen[i]}`);
    });
    assert.deepEqual(wrong, []);
  });
});
