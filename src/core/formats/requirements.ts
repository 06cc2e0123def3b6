import type { AnalysisResult, Finding } from '../model';
import { findingFromRange } from '../findings';
import { LineIndex } from '../text';

/** Dependency declarations: requirements*.txt, constraints, pyproject.toml, environment.yml, setup.cfg, Pipfile. */

export function isRequirementsFile(path: string): boolean {
  const name = baseName(path);
  return /^(?:requirements|constraints)[^/]*\.(?:txt|in)$/i.test(name) || inRequirementsFolder(path) ||
    name === 'pyproject.toml' || /^environment[^/]*\.ya?ml$/i.test(name) || name === 'setup.cfg' || name === 'Pipfile' || /^conda[^/]*\.ya?ml$/i.test(name);
}

/** `requirements/runtime.txt`, `proj/requirements/pytorch/base.txt`: any .txt/.in below a folder named requirements. */
function inRequirementsFolder(path: string): boolean {
  return /(?:^|[/\\])requirements[/\\](?:[^/\\]+[/\\])*[^/\\]+\.(?:txt|in)$/i.test(path);
}

export function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i === -1 ? path : path.slice(i + 1);
}

export interface SpecHit {
  ruleId: string;
  /** Offsets into the analysed string. */
  start: number;
  end: number;
}

const CUDA_INDEX = /https?:\/\/[^\s"']*?(?:\/whl\/(?:nightly\/)?cu\d{2,3}\b|pypi\.(?:ngc\.)?nvidia\.com|developer\.download\.nvidia\.com)[^\s"']*/gi;
const LOCAL_CUDA_VERSION = /\+cu\d{2,3}\b/gi;
const NAME = /(?:^|[\s"'[,=(]|-\s)([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?/g;

const VARIANTS = /^(?:cupy-cuda\d+x?|onnxruntime-gpu|onnxruntime-training-gpu|tensorflow-gpu|paddlepaddle-gpu|mxnet-cu\d+|pytorch-cuda|cudatoolkit|cuda-toolkit|cuda-runtime|cuda-nvcc|faiss-gpu|cudf-cu\d+|cuml-cu\d+)$/i;
/** An extra that selects a CUDA build: `jax[cuda12]`, `tensorflow[and-cuda]`, `package[cu12]`, `jax[cuda12_pip]`. */
const CUDA_EXTRA = /[[,]\s*(?:and-)?cu(?:da)?\d*(?:[._-]?(?:pip|local|x))?\s*[\],]/i;
const CUDA_ONLY = /^(?:flash[-_]attn|xformers|apex|pycuda|tensorrt|tensorrt-[a-z0-9-]+|torch[-_]tensorrt|nvidia-dali-cuda\d+|nvidia-dali|transformer[-_]engine|pynvml|nvidia-ml-py3?|gpustat|cuda-python|cuda-bindings|cuda-core|flashinfer(?:-python|-cubin|-jit-cache)?|nvtx|nvidia-cutlass(?:-dsl)?|pynvvideocodec|nvidia-cudnn-frontend|nvidia-modelopt|nvidia-pyindex|nvmath-python|cuquantum(?:-python)?(?:-cu\d+)?)$/i;

/** Finds CUDA-specific things in one line of a dependency file. */
export function scanSpecLine(line: string): SpecHit[] {
  const hits: SpecHit[] = [];
  const trimmed = line.trimStart();
  if (trimmed.startsWith('#')) return hits;
  const code = stripComment(line);
  for (const m of code.matchAll(CUDA_INDEX)) hits.push({ ruleId: 'REQ-002', start: m.index, end: m.index + m[0].length });
  if (hits.length > 0) return hits;
  for (const m of code.matchAll(LOCAL_CUDA_VERSION)) hits.push({ ruleId: 'REQ-001', start: m.index, end: m.index + m[0].length });
  for (const m of code.matchAll(NAME)) {
    const name = m[1];
    const extras = m[2] ?? '';
    const start = m.index + m[0].indexOf(name);
    const end = start + name.length + extras.length;
    if (/^nvidia-[a-z0-9-]+-cu\d+$/i.test(name)) hits.push({ ruleId: 'REQ-003', start, end });
    else if (VARIANTS.test(name)) hits.push({ ruleId: 'REQ-004', start, end });
    else if (CUDA_EXTRA.test(extras)) hits.push({ ruleId: 'REQ-004', start, end });
    else if (CUDA_ONLY.test(name) && !isVersionOrKey(code, start)) hits.push({ ruleId: 'REQ-005', start, end });
  }
  return hits;
}

/** Version numbers after `==` are not package names. */
function isVersionOrKey(code: string, start: number): boolean {
  return /[=<>~!]\s*$/.test(code.slice(0, start));
}

function stripComment(line: string): string {
  const i = line.search(/(^|\s)#/);
  return i === -1 ? line : line.slice(0, i);
}

/** `quotedOnly`: only quoted strings hold requirements (TOML files, setup.py). */
export function analyzeRequirements(path: string, text: string, quotedOnly = false): AnalysisResult {
  const findings: Finding[] = [];
  const index = new LineIndex(text);
  const isToml = quotedOnly || baseName(path) === 'pyproject.toml' || baseName(path) === 'Pipfile';
  let offset = 0;
  for (const line of text.split('\n')) {
    // In TOML only quoted strings hold requirements; keys like `name = "flash-attn"` of the project itself are skipped.
    const hits = isToml ? scanTomlLine(line) : scanSpecLine(line);
    for (const hit of hits) findings.push(findingFromRange(path, hit.ruleId, index.range(offset + hit.start, offset + hit.end), line.slice(hit.start, hit.end)));
    offset += line.length + 1;
  }
  return { findings, notes: [] };
}

function scanTomlLine(line: string): SpecHit[] {
  if (/^\s*(?:name|description|version|requires-python)\s*=/.test(line)) return [];
  const hits: SpecHit[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'/g)) {
    const inner = m[1] ?? m[2] ?? '';
    for (const hit of scanSpecLine(inner)) hits.push({ ruleId: hit.ruleId, start: m.index + 1 + hit.start, end: m.index + 1 + hit.end });
  }
  // index URLs in [[tool.uv.index]] / [[tool.poetry.source]] tables
  if (hits.length === 0 && /url\s*=/.test(line)) for (const m of line.matchAll(CUDA_INDEX)) hits.push({ ruleId: 'REQ-002', start: m.index, end: m.index + m[0].length });
  return hits;
}
