import * as assert from 'node:assert/strict';
import { ConfigError, parseConfig, resolveConfig } from '../../../src/core/config';
import { analyzer } from './helpers';

function notebook(cells: { type: string; source: string[] }[]): string {
  return JSON.stringify({ cells: cells.map((c) => ({ cell_type: c.type, metadata: {}, source: c.source, ...(c.type === 'code' ? { outputs: [], execution_count: null } : {}) })), metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

describe('notebooks', () => {
  it('maps findings to the cell and cell-relative line, with the raw JSON line as related location', async () => {
    const text = notebook([
      { type: 'markdown', source: ['# Uses torch.cuda.synchronize() in prose\n'] },
      { type: 'code', source: ['import torch\n', 'x = torch.zeros(3).cuda()\n'] },
      { type: 'code', source: ['!nvidia-smi\n', '%env CUDA_VISIBLE_DEVICES=0\n', 'torch.cuda.synchronize()  # porta: ignore[PT-CUDA-002]\n', 'torch.cuda.empty_cache()'] },
    ]);
    const result = (await analyzer()).analyze('nb.ipynb', text);
    const got = result.findings.map((f) => `${f.cell}:${f.range.start.line}:${f.range.start.column} ${f.rule}`).sort();
    assert.deepEqual(got, ['1:2:5 PT-DEV-001', '2:1:2 TOOL-001', '2:2:6 ENV-001', '2:4:1 PT-CUDA-003'].sort());
    const dev = result.findings.find((f) => f.rule === 'PT-DEV-001')!;
    const rawLine = text.split('\n')[dev.related![0].range.start.line - 1];
    assert.match(rawLine, /torch\.zeros\(3\)\.cuda\(\)/);
  });

  it('a block that holds only magics, and a `!` command continued with `\\`, parse as IPython runs them (real notebooks: fairseq MMS)', async () => {
    const text = notebook([
      { type: 'code', source: ['for lang in ["eng", "fra"]:\n', '    !mkdir -p /content/$lang\n', 'import torch\n'] },
      { type: 'code', source: ['!python infer.py --audio a.wav \\\n', '    --extra-args "{cmds}" \\\n', '    --lang eng\n', 'x = torch.zeros(1).cuda()\n'] },
      { type: 'code', source: ['!wget https://example.com/w.bin && \\\n', '    nvidia-smi\n'] },
    ]);
    const result = (await analyzer()).analyze('nb.ipynb', text);
    assert.deepEqual(result.notes, []);
    assert.deepEqual(result.findings.map((f) => `${f.cell}:${f.range.start.line} ${f.rule}`).sort(), ['1:4 PT-DEV-001', '2:2 TOOL-001']);
  });

  it('reports invalid notebook JSON as a note, not a crash', async () => {
    const result = (await analyzer()).analyze('bad.ipynb', '{"cells": [ torch.cuda');
    assert.equal(result.findings.length, 0);
    assert.equal(result.notes[0].kind, 'skipped');
  });
});

describe('suppression comments', () => {
  it('file-level ignore, with and without a rule list', async () => {
    const a = await analyzer();
    const all = a.analyze('a.py', '# porta: ignore-file\nimport torch\nx.cuda()\ntorch.cuda.synchronize()\n');
    assert.equal(all.findings.length, 0);
    const some = a.analyze('a.py', '# porta: ignore-file[PT-DEV]\nimport torch\nx.cuda()\ntorch.cuda.synchronize()\n');
    assert.deepEqual(some.findings.map((f) => f.rule), ['PT-CUDA-002']);
  });
});

describe('configuration', () => {
  it('reads [scan] in porta.toml and [tool.porta] in pyproject.toml', () => {
    const fromPorta = parseConfig('[scan]\ntargets = ["rocm", "mps"]\nignore = ["PT-BACK"]\n[scan.severity]\n"PT-DEV-004" = "warning"\n[targets.gpu1]\nkind = "ssh"\n', 'porta.toml');
    assert.deepEqual(fromPorta.targets, ['rocm', 'mps']);
    assert.deepEqual(fromPorta.severity, { 'PT-DEV-004': 'warning' });
    const fromPyproject = parseConfig('[project]\nname = "x"\n[tool.porta]\nselect = ["PT-"]\nmax-file-size = 1000\n', 'pyproject.toml');
    assert.deepEqual(fromPyproject.select, ['PT-']);
    assert.equal(fromPyproject.maxFileSize, 1000);
  });

  it('names the file and key of invalid settings', () => {
    assert.throws(() => parseConfig('[scan]\ntargets = ["rocm", "tpu"]\n', 'porta.toml'), (e: Error) => e instanceof ConfigError && /porta\.toml: key 'scan\.targets\[1\]': 'tpu' is not a backend/.test(e.message));
    assert.throws(() => parseConfig('[tool.porta]\nseverity = { "PT-DEV-001" = "fatal" }\n', 'pyproject.toml'), /pyproject\.toml: key 'tool\.porta\.severity\.PT-DEV-001'/);
    assert.throws(() => parseConfig('[tool.porta]\ntargest = ["rocm"]\n', 'pyproject.toml'), /key 'tool\.porta\.targest': unknown key/);
    assert.throws(() => parseConfig('[scan\n', 'porta.toml'), /porta\.toml: invalid TOML/);
  });

  it('applies select/ignore and severity overrides', async () => {
    const a = await analyzer();
    const text = 'import torch\nx.cuda()\ntorch.cuda.synchronize()\ntorch.backends.cudnn.benchmark = True\n';
    const selected = a.analyze('a.py', text, resolveConfig({ select: ['PT-CUDA'] }));
    assert.deepEqual(selected.findings.map((f) => f.rule), ['PT-CUDA-002']);
    const ignored = a.analyze('a.py', text, resolveConfig({ ignore: ['PT-DEV-001', 'PT-BACK'] }));
    assert.deepEqual(ignored.findings.map((f) => f.rule), ['PT-CUDA-002']);
    const rocmOnly = a.analyze('a.py', text, resolveConfig({ targets: ['rocm'] }));
    assert.deepEqual(rocmOnly.findings.map((f) => f.rule), [], 'everything here works on ROCm');
    const mpsOnly = a.analyze('a.py', text, resolveConfig({ targets: ['mps'] }));
    assert.equal(mpsOnly.findings.length, 3);
    const severity = a.analyze('a.py', text, resolveConfig({ severity: { 'PT-BACK': 'error' } }));
    assert.equal(severity.findings.find((f) => f.rule === 'PT-BACK-001')?.severity, 'error');
  });
});

describe('verdicts are per target and follow the digest', () => {
  it('ROCm reuses torch.cuda; Ascend is covered by transfer_to_npu; the idiom is a hint', async () => {
    const a = await analyzer();
    const r = a.analyze('a.py', 'import torch\nm = m.cuda()\ndevice = "cuda" if torch.cuda.is_available() else "cpu"\n');
    const dev = r.findings.find((f) => f.rule === 'PT-DEV-001')!;
    assert.deepEqual(dev.targets, { cuda: 'ok', rocm: 'ok', npu: 'shim', xpu: 'breaks', mps: 'breaks', cpu: 'breaks' });
    const idiom = r.findings.find((f) => f.rule === 'PT-DEV-004')!;
    assert.equal(idiom.severity, 'hint');
    assert.equal(idiom.targets.mps, 'degraded');
    assert.equal(r.findings.length, 2, 'the is_available() inside the idiom is not reported twice');
  });
});
