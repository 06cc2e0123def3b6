import type { AnalysisResult, FileNote, Finding } from '../model';
import type { TreeSitter } from '../parse/loader';
import type { FixOptions } from '../fix/types';
import { findingFromNode, nodeRange, compareFindings } from '../findings';
import { matchPython, TOKEN_SOURCE } from './matchers';
import { LineIndex } from '../text';

const PREFILTER = new RegExp(TOKEN_SOURCE, 'i');

/** Cheap byte-level test: a file without any token cannot produce a Python finding. */
export function mayMentionCuda(text: string): boolean {
  return PREFILTER.test(text);
}

/**
 * The most time one file's matching and fixes may take; past it, the file keeps the findings so far and gets a note.
 * Matching is linear in deep trees now (NodeLocator: a 20,000-deep `.cuda()` chain takes a few seconds, test
 * hostile/analysis-complexity); the budget stays as the bound for whatever input is still slow.
 */
export const ANALYSIS_BUDGET_MS = 20_000;

/** Findings for an already parsed Python tree (the editor passes incrementally re-parsed trees). */
export function analyzePythonTree(path: string, text: string, tree: TreeSitter.Tree, fixOptions?: FixOptions | null, range?: { start: number; end: number }, budgetMs = ANALYSIS_BUDGET_MS): AnalysisResult {
  const findings: Finding[] = [];
  const notes: FileNote[] = [];
  if (mayMentionCuda(text)) {
    const deadline = Date.now() + budgetMs;
    const hits = matchPython(tree.rootNode, text, range, deadline);
    const lines = hits.length > 0 ? new LineIndex(text) : undefined;
    let overBudget = Date.now() >= deadline;
    for (const hit of hits) {
      if (overBudget || ((findings.length & 63) === 63 && Date.now() >= deadline)) {
        overBudget = true;
        break;
      }
      findings.push(findingFromNode(path, text, tree, hit, fixOptions, lines));
    }
    if (overBudget) notes.push({ path, kind: 'skipped', message: `Analysis stopped after ${budgetMs / 1000} s (too complex): findings cover only part of the file` });
  }
  if (!range) notes.push(...syntaxErrorNotes(path, tree.rootNode));
  findings.sort(compareFindings);
  return { findings, notes };
}

/** The note for a file that does not parse fully, if it does not. */
export function syntaxErrorNotes(path: string, root: TreeSitter.Node): FileNote[] {
  if (!root.hasError) return [];
  const error = firstError(root);
  return [{ path, kind: 'syntax-error', message: 'Syntax error: findings cover only the parts that parse', range: error ? nodeRange(error) : undefined }];
}

/** The first node of a tree that did not parse: an ERROR node or one tree-sitter had to make up. */
export function firstError(node: TreeSitter.Node): TreeSitter.Node | undefined {
  if (node.isError || node.isMissing) return node;
  for (const child of node.children) {
    if (child && (child.hasError || child.isError || child.isMissing)) {
      const found = firstError(child);
      if (found) return found;
    }
  }
  return undefined;
}
