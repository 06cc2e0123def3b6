import type { AnalysisResult, Finding } from '../model';
import { findingFromRange } from '../findings';
import { envRule } from '../rules';
import { LineIndex } from '../text';
import { baseName, scanSpecLine } from './requirements';

export function isDockerfile(path: string): boolean {
  const name = baseName(path);
  return /^(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$/.test(name) || /\.(?:dockerfile|containerfile)$/i.test(name);
}

/** Dockerfiles: CUDA base images, NVIDIA runtime variables, and CUDA-specific commands in RUN lines. */
export function analyzeDockerfile(path: string, text: string): AnalysisResult {
  const findings: Finding[] = [];
  const index = new LineIndex(text);
  const lines = text.split('\n');
  let offset = 0;
  const add = (ruleId: string, start: number, end: number) => findings.push(findingFromRange(path, ruleId, index.range(start, end), text.slice(start, end)));
  for (const line of lines) {
    const instruction = /^\s*(FROM|ENV|ARG|RUN|CMD|ENTRYPOINT)\s+(.*)$/i.exec(line);
    if (instruction) {
      const keyword = instruction[1].toUpperCase();
      const argsStart = offset + line.length - instruction[2].length;
      const args = instruction[2];
      if (keyword === 'FROM') {
        const image = /^(?:--platform=\S+\s+)?(\S+)/.exec(args);
        if (image && /^(?:docker\.io\/)?(?:nvidia\/cuda|nvcr\.io\/nvidia\/)/i.test(image[1])) {
          const start = argsStart + args.indexOf(image[1]);
          add('DOCKER-001', start, start + image[1].length);
        }
      } else if (keyword === 'ENV' || keyword === 'ARG') {
        for (const m of args.matchAll(/(?:^|\s)([A-Z_][A-Z0-9_]*)(?=[=\s]|$)/g)) {
          const rule = envRule(m[1]);
          const start = argsStart + m.index + m[0].indexOf(m[1]);
          if (rule) add(rule, start, start + m[1].length);
        }
      } else {
        for (const hit of shellWordHits(args)) add(hit.ruleId, argsStart + hit.start, argsStart + hit.end);
      }
    }
    offset += line.length + 1;
  }
  return { findings, notes: [] };
}

/** Regex checks for one shell command line (Dockerfile RUN, notebook `!` lines). */
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
  for (const m of command.matchAll(/--gpus(?:[ =]\S+)?|--runtime[ =]nvidia/g)) hits.push({ ruleId: 'SH-001', start: m.index, end: m.index + m[0].length });
  if (/\b(?:pip3?|uv pip|conda|mamba)\s+install\b/.test(command)) hits.push(...scanSpecLine(command));
  return hits;
}
