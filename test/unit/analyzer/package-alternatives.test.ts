import * as assert from 'node:assert/strict';
import { getRule } from '../../../src/core/rules';
import { renderRuleDoc } from '../../../src/core/rules/docs';
import { OTHER_TARGETS, PACKAGE_ALTERNATIVES, alternativeLines, packageAlternativesFor } from '../../../src/core/rules/packageAlternatives';
import { formatReport } from '../../../src/core/report';
import { analyzer } from './helpers';

describe('package alternatives catalogue', () => {
  it('covers the CUDA-only packages the issue names', () => {
    const names = PACKAGE_ALTERNATIVES.map((p) => p.package);
    for (const name of ['flash-attn', 'xformers', 'bitsandbytes', 'apex', 'tensorrt', 'pynvml', 'flashinfer', 'transformer-engine', 'cupy', 'cuda-python', 'nvidia-dali', 'nvtx']) assert.ok(names.includes(name), name);
  });

  it('every package has an entry for every target, each with a source URL and some text', () => {
    for (const entry of PACKAGE_ALTERNATIVES) {
      assert.deepEqual(Object.keys(entry.targets).sort(), [...OTHER_TARGETS].sort(), entry.package);
      for (const target of OTHER_TARGETS) {
        const alt = entry.targets[target];
        assert.ok(alt.sources.length > 0, `${entry.package} on ${target} has no source`);
        for (const url of alt.sources) assert.match(url, /^https:\/\/[^\s)]+$/, `${entry.package} on ${target}: ${url}`);
        assert.ok(alt.text.length > 20, `${entry.package} on ${target}: say what to use, or why there is nothing`);
      }
    }
  });

  it('the verdict per target agrees: a build of the package itself ⇔ ok/degraded, a substitute or none ⇔ breaks', () => {
    for (const entry of PACKAGE_ALTERNATIVES) {
      const rule = getRule(entry.rule);
      assert.ok(rule, `${entry.package}: unknown rule ${entry.rule}`);
      for (const target of OTHER_TARGETS) {
        const verdict: string = rule.targets[target];
        const samePackage = entry.targets[target].kind === 'same-package';
        assert.equal(samePackage, verdict === 'ok' || verdict === 'degraded', `${entry.package} on ${target}: ${entry.targets[target].kind} but ${entry.rule} says ${verdict}`);
      }
    }
  });

  it('every requirement name the REQ-005 pattern flags resolves to its own entry', async () => {
    // bitsandbytes is not flagged in requirements (it has ROCm, XPU and CPU backends): only its import is.
    const requirements = 'flash-attn==2.5.8\nxformers\nbitsandbytes>=0.43\napex\ntensorrt==10.0.1\ntorch-tensorrt\npynvml\nnvidia-ml-py\nflashinfer-python\ntransformer_engine\ncuda-python\nnvidia-dali-cuda120\nnvtx\n';
    const findings = (await analyzer()).analyze('requirements.txt', requirements).findings.filter((f) => f.rule === 'REQ-005');
    assert.equal(findings.length, 12);
    const resolved = findings.map((f) => alternativeLines(f.rule, f.message, ['rocm'])[0]);
    assert.ok(resolved.every((line) => line?.startsWith('rocm: ')), resolved.join('\n'));
    assert.match(resolved[0]!, /flash-attn itself/);
    assert.match(resolved[6]!, /amdsmi/);
    assert.match(resolved[7]!, /FlashInfer itself/);
    assert.match(resolved[8]!, /ROCm\/TransformerEngine/);
    assert.match(resolved[9]!, /HIP Python/);
    assert.match(resolved[10]!, /data loading on the CPU/);
    assert.match(resolved[11]!, /record_function/);
    assert.equal(packageAlternativesFor('REQ-005', 'gpustat'), undefined);
  });

  it('a CUDA-only dependency has the verdicts of its import: tensorrt and pynvml break on ROCm, flash-attn degrades', async () => {
    const findings = (await analyzer()).analyze('requirements.txt', 'tensorrt==10.0.1\npynvml\nflash-attn==2.5.8\ngpustat\n').findings;
    assert.deepEqual(findings.map((f) => `${f.rule} ${f.targets.rocm} ${f.targets.cpu}`), ['REQ-005 breaks breaks', 'REQ-005 breaks breaks', 'REQ-005 degraded breaks', 'REQ-005 degraded breaks']);
  });

  it('`porta scan` text names the chosen target\'s alternative, and only that target\'s', async () => {
    const findings = (await analyzer()).analyze('train.py', 'from flash_attn import flash_attn_func\nimport pynvml\n').findings;
    const text = formatReport({ findings, notes: [], filesScanned: 1, linesScanned: 2 }, 'text', { targets: ['npu'] });
    assert.match(text, /instead on npu: `torch_npu\.npu_fusion_attention`/);
    assert.match(text, /instead on npu: The `npu-smi info` command/);
    assert.doesNotMatch(text, /instead on (?:rocm|xpu|mps|cpu)/);
  });

  it('an import shows every chosen target\'s alternative; an unverified one says so', async () => {
    const findings = (await analyzer()).analyze('quant.py', 'import bitsandbytes as bnb\n').findings;
    const text = formatReport({ findings, notes: [], filesScanned: 1, linesScanned: 1 }, 'text', { targets: ['npu', 'cpu'] });
    assert.match(text, /instead on npu: no alternative: .*\(unverified\)/);
    assert.match(text, /instead on cpu: bitsandbytes itself: its Intel CPU backend/);
  });

  it('the markdown report lists each package once per target of interest, with its sources', async () => {
    const findings = (await analyzer()).analyze('train.py', 'import tensorrt as trt\nimport tensorrt\n').findings;
    const markdown = formatReport({ findings, notes: [], filesScanned: 1, linesScanned: 2 }, 'markdown', { targets: ['rocm', 'mps'] });
    const rows = markdown.split('\n').filter((l) => l.startsWith('| tensorrt |'));
    assert.deepEqual(rows.map((r) => r.split(' | ')[1]), ['AMD ROCm', 'Apple MPS']);
    assert.match(rows[0]!, /MIGraphX .*\[1\]\(https:\/\/ONNXRuntime\.ai\//);
  });

  it('SARIF rule help carries the alternatives table', async () => {
    const findings = (await analyzer()).analyze('train.py', 'import pynvml\n').findings;
    const sarif = JSON.parse(formatReport({ findings, notes: [], filesScanned: 1, linesScanned: 1 }, 'sarif')) as { runs: { tool: { driver: { rules: { id: string; help: { markdown: string } }[] } } }[] };
    const help = sarif.runs[0]!.tool.driver.rules.find((r) => r.id === 'TOOL-002')!.help.markdown;
    assert.match(help, /## Alternatives per target/);
    assert.match(help, /amdsmi/);
  });

  it('rule pages list the alternatives per target with their sources', () => {
    const page = renderRuleDoc(getRule('LIB-009')!);
    assert.match(page, /## Alternatives per target/);
    assert.match(page, /\| AMD ROCm \| substitute \| Export to ONNX and run ONNX Runtime with the MIGraphX execution provider.* \| \[1\]\(https:\/\/ONNXRuntime\.ai\/docs\/execution-providers\/MIGraphX-ExecutionProvider\.html\) \|/);
    const requirements = renderRuleDoc(getRule('REQ-005')!);
    for (const entry of PACKAGE_ALTERNATIVES) assert.equal(requirements.includes(`### ${entry.package} (${entry.rule})`), entry.requirement !== undefined, entry.package);
  });
});
