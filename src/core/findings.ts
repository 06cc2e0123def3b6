import type { Finding, Range } from './model';
import type { TreeSitter } from './parse/loader';
import type { FixOptions } from './fix/types';
import { getFixProvider } from './fix/registry';
import { getRule } from './rules';
import { packageAlternativesFor, requirementNameInMessage } from './rules/packageAlternatives';
import type { LineIndex } from './text';
import type { GuardSite } from './python/guardContext';
import { withGuard } from './guarded';

/** Builds findings from rule hits; the one place that consults the fix registry. */

export const DEFAULT_FIX_OPTIONS: FixOptions = { target: 'auto' };

export function nodeRange(node: TreeSitter.Node): Range {
  return {
    start: { line: node.startPosition.row + 1, column: node.startPosition.column + 1 },
    end: { line: node.endPosition.row + 1, column: node.endPosition.column + 1 },
  };
}

/** The text on one line (whitespace runs as one space), cut at 60 characters. Reads only the head it shows. */
function snippet(text: string): string {
  let oneLine = '';
  let space = false;
  for (let i = 0; i < text.length && oneLine.length <= 60; i++) {
    const c = text[i];
    if (/\s/.test(c)) {
      space = oneLine.length > 0;
      continue;
    }
    if (space) oneLine += ' ';
    space = false;
    oneLine += c;
  }
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

export function message(ruleId: string, shown: string): string {
  const rule = getRule(ruleId);
  if (!rule) throw new Error(`unknown rule ${ruleId}`);
  const title = rule.title.replace(/`/g, '');
  return shown ? `${title}: \`${snippet(shown)}\`` : title;
}

export interface NodeHit {
  ruleId: string;
  node: TreeSitter.Node;
  data: Record<string, string>;
  /** Offsets of the node when known; with `lines` they spare the WASM calls for positions. */
  start?: number;
  end?: number;
  /** The construct that keeps the code from running without CUDA (the finding is then guarded, without a fix). */
  guard?: GuardSite;
}

export function findingFromNode(path: string, text: string, tree: TreeSitter.Tree, hit: NodeHit, fixOptions: FixOptions | null = DEFAULT_FIX_OPTIONS, lines?: LineIndex): Finding {
  const rule = getRule(hit.ruleId);
  if (!rule) throw new Error(`unknown rule ${hit.ruleId}`);
  const known = lines && hit.start !== undefined && hit.end !== undefined;
  const finding: Finding = {
    path,
    rule: rule.id,
    severity: rule.severity,
    message: message(rule.id, known ? text.slice(hit.start, hit.end) : hit.node.text),
    range: known ? lines.range(hit.start!, hit.end!) : nodeRange(hit.node),
    targets: { ...rule.targets },
  };
  // null = diagnostics only: the caller computes fixes later (e.g. when a quick fix is requested).
  const provider = fixOptions ? getFixProvider(rule.id) : undefined;
  if (provider && fixOptions) {
    try {
      const fix = provider({ ruleId: rule.id, path, text, tree, node: hit.node, data: hit.data }, hit.guard ? { ...fixOptions, guarded: true } : fixOptions);
      if (fix) finding.fix = fix;
    } catch {
      // A failing rewrite must never lose the finding itself.
    }
  }
  if (hit.guard) return withGuard(finding, hit.guard, lines ? lines.range(hit.guard.start, hit.guard.end) : offsetRange(text, hit.guard.start, hit.guard.end));
  return finding;
}

function offsetRange(text: string, start: number, end: number): Range {
  const position = (offset: number) => {
    const before = text.slice(0, offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    return { line: before.split('\n').length, column: offset - lineStart + 1 };
  };
  return { start: position(start), end: position(end) };
}

export function findingFromRange(path: string, ruleId: string, range: Range, shown: string): Finding {
  const rule = getRule(ruleId);
  if (!rule) throw new Error(`unknown rule ${ruleId}`);
  // A CUDA-only dependency fares on each target as its import does (tensorrt and pynvml have no ROCm build, flash-attn has).
  const own = ruleId === 'REQ-005' ? packageAlternativesFor(ruleId, requirementNameInMessage(`\`${shown}\``)) : undefined;
  const targets = own ? (getRule(own.rule)?.targets ?? rule.targets) : rule.targets;
  return { path, rule: rule.id, severity: rule.severity, message: message(rule.id, shown), range, targets: { ...targets } };
}

export function compareFindings(a: Finding, b: Finding): number {
  return (a.cell ?? -1) - (b.cell ?? -1) || a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column || a.rule.localeCompare(b.rule);
}
