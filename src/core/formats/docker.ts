import type { AnalysisResult, Finding } from '../model';
import { findingFromRange } from '../findings';
import { envRule } from '../rules';
import { LineIndex } from '../text';
import { baseName, scanSpecLine } from './requirements';
import { cudaSystemPackageHits } from './cudaSystemPackages';

export function isDockerfile(path: string): boolean {
  const name = baseName(path);
  return /^(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$/.test(name) || /\.(?:dockerfile|containerfile)$/i.test(name);
}

/** Images that carry the CUDA runtime: NVIDIA's own, and PyTorch's `-cuda` tags. */
const CUDA_IMAGE = /^(?:docker\.io\/)?(?:nvidia\/cuda|nvcr\.io\/nvidia\/|pytorch\/pytorch:\S*cuda)/i;

/** Dockerfiles: CUDA base images, NVIDIA runtime and CUDA build variables, and CUDA-specific commands in RUN lines. */
export function analyzeDockerfile(path: string, text: string): AnalysisResult {
  const findings: Finding[] = [];
  const index = new LineIndex(text);
  for (const { keyword, args, at } of instructions(text)) {
    const add = (ruleId: string, start: number, end: number) => {
      const from = at(start);
      const to = at(end - 1) + 1;
      findings.push(findingFromRange(path, ruleId, index.range(from, to), text.slice(from, to)));
    };
    if (keyword === 'FROM') {
      const image = /^(?:--platform=\S+\s+)?(\S+)/.exec(args);
      if (image && CUDA_IMAGE.test(image[1])) add('DOCKER-001', image.index + image[0].length - image[1].length, image.index + image[0].length);
    } else if (keyword === 'ENV' || keyword === 'ARG') {
      for (const m of args.matchAll(/(?:^|\s)([A-Z_][A-Z0-9_]*)(?=[=\s]|$)(?:=("?)(\S*?)\2(?=\s|$))?/g)) {
        const rule = envRule(m[1]);
        const start = m.index + m[0].indexOf(m[1]);
        if (rule) add(rule, start, start + m[1].length);
        // `ARG BASE_IMAGE=nvcr.io/nvidia/pytorch:23.03-py3` feeds a later `FROM $BASE_IMAGE`.
        const value = m[3];
        if (value && CUDA_IMAGE.test(value)) {
          const valueStart = m.index + m[0].length - value.length - m[2].length;
          add('DOCKER-001', valueStart, valueStart + value.length);
        }
      }
    } else if (keyword === 'RUN' || keyword === 'CMD' || keyword === 'ENTRYPOINT') {
      for (const hit of shellWordHits(args)) add(hit.ruleId, hit.start, hit.end);
    }
  }
  return { findings, notes: [] };
}

interface Instruction {
  keyword: string;
  /** The arguments with `\` continuations joined (comment lines inside dropped, as Docker does). */
  args: string;
  /** Maps an offset into args to the offset in the file. */
  at(offset: number): number;
}

/** The file's instructions, each one logical line however many `\`-continued lines it spans. */
function instructions(text: string): Instruction[] {
  const result: Instruction[] = [];
  const lines = text.split('\n');
  let offset = 0;
  let i = 0;
  const next = () => {
    const line = lines[i++];
    const start = offset;
    offset += line.length + 1;
    return { line: line.endsWith('\r') ? line.slice(0, -1) : line, start };
  };
  while (i < lines.length) {
    const first = next();
    const head = /^\s*([A-Za-z]+)(\s+|$)/.exec(first.line);
    if (!head || first.line.trimStart().startsWith('#')) continue;
    // Pieces of args: [start in args, start in file]; joined with one space where a continuation was.
    const pieces: [number, number][] = [];
    let args = '';
    let piece = { line: first.line.slice(head[0].length), start: first.start + head[0].length };
    for (;;) {
      const continued = /\\\s*$/.exec(piece.line);
      pieces.push([args.length, piece.start]);
      args += continued ? piece.line.slice(0, continued.index) + ' ' : piece.line;
      if (!continued || i >= lines.length) break;
      let following = next();
      while (/^\s*#/.test(following.line) && i < lines.length) following = next();
      piece = following;
    }
    const at = (o: number) => {
      let k = pieces.length - 1;
      while (k > 0 && pieces[k][0] > o) k--;
      return pieces[k][1] + (o - pieces[k][0]);
    };
    result.push({ keyword: head[1].toUpperCase(), args, at });
  }
  return result;
}

/** Regex checks for one shell command line (Dockerfile RUN, notebook `!` lines). */
/** Apex's build option for its CUDA extensions (`pip install --global-option="--cuda_ext" .`, or `--build-option=--cuda_ext`). */
const APEX_CUDA_BUILD = /--cuda_ext\b/g;

export function shellWordHits(command: string): { ruleId: string; start: number; end: number }[] {
  const hits: { ruleId: string; start: number; end: number }[] = [];
  for (const m of command.matchAll(/(?:^|[\s;&|("'])(nvidia-smi|nvcc)(?=$|[\s;&|)"'])/g)) {
    const start = m.index + m[0].indexOf(m[1]);
    hits.push({ ruleId: m[1] === 'nvcc' ? 'SH-002' : 'TOOL-001', start, end: start + m[1].length });
  }
  for (const m of command.matchAll(/(?:^|\s)([A-Z_][A-Z0-9_]*)=/g)) {
    const rule = envRule(m[1]);
    const start = m.index + m[0].indexOf(m[1]);
    if (rule) hits.push({ ruleId: rule, start, end: start + m[1].length });
  }
  for (const hit of cudaSystemPackageHits(command)) hits.push({ ruleId: 'SH-003', ...hit });
  for (const m of command.matchAll(/--gpus(?:[ =]\S+)?|--runtime[ =]nvidia/g)) hits.push({ ruleId: 'SH-001', start: m.index, end: m.index + m[0].length });
  if (/\b(?:pip3?|uv pip|conda|mamba)\s+install\b/.test(command)) {
    hits.push(...scanSpecLine(command));
    for (const m of command.matchAll(APEX_CUDA_BUILD)) hits.push({ ruleId: 'LIB-005', start: m.index, end: m.index + m[0].length });
  }
  return hits;
}
