/** The CUDA C++ LanguageAnalyzer: mapped references (with their HIP fixes) plus portability checks, as Findings. */
import type { AnalysisResult, FileNote, Finding, Fix, LanguageAnalyzer, Rule } from '../model';
import { createParser, loadLanguage, type TreeSitter } from '../parse/loader';
import { LineIndex } from '../text';
import { runChecks } from './checks';
import { loadHipify, planFile, type ReferencePlan } from './hipify';
import { MASK_FIRST_ARGUMENT, PINNED_MEMORY, SYMBOL_ARGUMENT } from './map';
import { CUDA_RULE_BY_ID } from './rules';
import { CudaDocument } from './document';

const CUDA_EXTENSIONS = /\.(cu|cuh)$/i;
const CPP_EXTENSIONS = /\.(c|cc|cpp|cxx|c\+\+|h|hh|hpp|hxx|inl|ipp|tpp)$/i;
const CUDA_INCLUDE = /#\s*include\s*[<"](cuda|cublas|curand|cufft|cusparse|cusolver|cudnn|nccl|nvToolsExt|cub\/|thrust\/|cooperative_groups|ATen\/cuda\/|c10\/cuda\/|THC\/\w+\.cuh?[>"]|device_launch_parameters)/;
const CUDA_CONSTRUCT = /__global__|__device__|<<<[^;]*>>>/;

/** Whether a file is CUDA C++: .cu/.cuh, or a C/C++ file that includes CUDA headers or uses CUDA constructs. */
export function isCudaSource(path: string, text: string): boolean {
  if (CUDA_EXTENSIONS.test(path)) return true;
  if (!CPP_EXTENSIONS.test(path)) return false;
  return CUDA_INCLUDE.test(text) || CUDA_CONSTRUCT.test(text);
}


function ruleFor(plan: ReferencePlan): string | undefined {
  const { entry, context } = plan.ref;
  if (entry.kind === 'ptx') return undefined; // reported once per asm statement by the checks
  if (entry.cuda === '__CUDA_ARCH__') return 'CU-ARCH-001';
  if (entry.library === 'cuDNN' || (context === 'include' && entry.hip?.startsWith('miopen'))) return 'CU-LIB-002';
  if (!entry.hip) return 'CU-API-004';
  if (entry.hip === entry.cuda) return undefined; // same name on ROCm (NCCL → RCCL): nothing to port
  if (context === 'include') return 'CU-HDR-001';
  if (MASK_FIRST_ARGUMENT.has(entry.cuda)) return 'CU-WARP-003';
  if (PINNED_MEMORY.has(entry.cuda)) return 'CU-API-002';
  if (SYMBOL_ARGUMENT.has(entry.cuda)) return 'CU-API-003';
  return entry.library === 'CUDA Runtime API' || entry.library === 'CUDA Driver API' ? 'CU-API-001' : 'CU-LIB-001';
}

function referenceMessage(plan: ReferencePlan): string {
  const { entry, name } = plan.ref;
  const notes = entry.notes ? ` (${entry.notes})` : '';
  if (plan.reason !== undefined) return `${name}: ${plan.reason}`;
  return `${name} → ${entry.hip} for HIP${notes}`;
}

/** A finding before it has lines and columns: offsets into the text, so that cached hits can move with an edit. */
export interface CudaHit {
  rule: Rule;
  message: string;
  start: number;
  end: number;
  fix?: Fix;
}

/** The mapped references (with their HIP fixes) and the checks' hits in the file, or under one top-level `scope` node. */
export function cudaHits(tree: TreeSitter.Tree, text: string, ts: typeof TreeSitter, scope?: TreeSitter.Node): CudaHit[] {
  const hits: CudaHit[] = [];
  const range = scope && { start: scope.startIndex, end: scope.endIndex };
  for (const plan of planFile(tree, text, range)) {
    const ruleId = ruleFor(plan);
    const rule = ruleId ? CUDA_RULE_BY_ID.get(ruleId) : undefined;
    if (!rule) continue;
    const { ref } = plan;
    const hit: CudaHit = { rule, message: referenceMessage(plan), start: ref.start, end: ref.end };
    if (plan.reason === undefined && plan.edits.length > 0) {
      const maskArg = ref.args?.[0];
      const fullMask = maskArg !== undefined && /^0x[fF]{8}[uUlL]*$/.test(text.slice(maskArg.start, maskArg.end));
      const safe = rule.id !== 'CU-WARP-003' || fullMask;
      hit.fix = { title: `Replace ${ref.name} with ${ref.entry.hip}`, safe, edits: plan.edits };
    }
    hits.push(hit);
  }
  for (const check of runChecks(scope ?? tree.rootNode, ts)) {
    const rule = CUDA_RULE_BY_ID.get(check.rule);
    if (!rule) continue;
    const { startIndex: start, endIndex: end } = check.node;
    if (range && (start < range.start || start >= range.end)) continue;
    hits.push({ rule, message: check.message, start, end });
  }
  return hits;
}

/** A fix moved by `by` characters with the code it rewrites. */
export function shiftFix(fix: Fix, by: number): Fix {
  return by === 0 ? fix : { ...fix, edits: fix.edits.map((e) => ({ start: e.start + by, end: e.end + by, text: e.text })) };
}

/** A hit and how far it moved since it was found (cached hits are relative to their declaration). */
export type PlacedHit = readonly [hit: CudaHit, offset: number];

/** Turns hits into findings for `path` (1-based lines and columns), in document order; fixes only when asked for. */
export function cudaFindings(path: string, placed: readonly PlacedHit[], lines: LineIndex, withFixes = true): Finding[] {
  const findings = placed.map(([hit, offset]): Finding => {
    const { rule } = hit;
    const finding: Finding = { path, rule: rule.id, severity: rule.severity, message: hit.message, range: lines.range(hit.start + offset, hit.end + offset), targets: rule.targets };
    if (hit.fix && withFixes) {
      finding.fix = shiftFix(hit.fix, offset);
    }
    return finding;
  });
  return findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column);
}

/** The note for a file that does not parse fully, if it does not. */
export function syntaxNotes(path: string, tree: TreeSitter.Tree, lines: LineIndex): FileNote[] {
  if (!tree.rootNode.hasError) return [];
  const error = firstError(tree.rootNode);
  return [{
    path,
    kind: 'syntax-error',
    message: 'the file does not parse fully; findings inside the unparsed part may be incomplete',
    range: error ? lines.range(error.startIndex, error.endIndex) : undefined,
  }];
}

export function analyzeCuda(path: string, text: string, tree: TreeSitter.Tree, ts: typeof TreeSitter): AnalysisResult {
  const lines = new LineIndex(text);
  return { findings: cudaFindings(path, cudaHits(tree, text, ts).map((hit) => [hit, 0] as const), lines), notes: syntaxNotes(path, tree, lines) };
}

function firstError(node: TreeSitter.Node): TreeSitter.Node | undefined {
  if (node.type === 'ERROR' || node.isMissing) return node;
  for (const child of node.children) {
    if (child && child.hasError) return firstError(child) ?? child;
  }
  return undefined;
}

/** Loads the CUDA grammar and returns the analyzer the dispatcher (src/core/analyze.ts) plugs in. */
export async function loadCudaAnalyzer(): Promise<LanguageAnalyzer> {
  const parser = await createParser('cuda');
  await Promise.all([loadLanguage('cuda'), loadHipify()]);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('@vscode/tree-sitter-wasm') as typeof TreeSitter;
  return {
    id: 'cuda',
    handles: isCudaSource,
    openDocument: (path, text) => new CudaDocument(path, text, parser, ts),
    analyze(path, text) {
      const tree = parser.parse(text);
      if (!tree) return { findings: [], notes: [{ path, kind: 'unreadable', message: 'tree-sitter could not parse the file' }] };
      try {
        return analyzeCuda(path, text, tree, ts);
      } finally {
        tree.delete();
      }
    },
  };
}
