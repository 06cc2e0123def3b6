import type { AnalysisResult } from '../model';
import type { FixOptions } from '../fix/types';
import type { TreeSitter } from '../parse/loader';
import { DEFAULT_CONFIG, type ResolvedConfig } from '../config';
import { analyzePythonTree, mayMentionCuda, syntaxErrorNotes } from './analyzer';
import { matchPythonRange, prepareFile, type FileContext } from './matchers';
import { fixPythonText, type FixAllOptions, type FixAllResult } from '../fix/python/fixAll';
import { findingFromNode, compareFindings } from '../findings';
import { LineIndex } from '../text';
import type { Finding } from '../model';
import { calledHelpersKey, type GuardSite } from './guardContext';
import { moduleGuardKey } from './testSkips';
import { shiftGuard } from '../guarded';
import { applyEdit, bucketByRange, coverEdit, editsOf, parseEdited, type DocumentEdit, type OffsetRange } from '../parse/incremental';

export type { DocumentEdit, OffsetRange } from '../parse/incremental';

/**
 * What the imports bind decides what every statement's names mean (see fileKey). So do module aliases such as
 * `tc = torch.cuda`, but only for the statements that mention the alias: typing
 * `x = torch.cuda.synchronize()` passes through alias-like lines, which must not invalidate the whole file.
 */
// Lenient on purpose (`tc = torch. cuda`, `tc=torch.:cuda` with a typo: the tree still binds the alias): a line taken
// for an alias line by mistake only re-matches the statements that mention its first word.
// `(?!\w)` keeps the name from backtracking (linear on a long line of word characters).
const ALIAS_LINES = /^[ \t]*(\w+)(?!\w)[^=\n]*=(?!=)[^\n]*(?:cuda|cudnn|nccl|amp|backends)[^\n]*$/gim;

interface AliasLine {
  line: string;
  word: RegExp;
}

function aliasLines(text: string): AliasLine[] {
  return [...text.matchAll(ALIAS_LINES)].map((m) => ({ line: m[0], word: new RegExp(`\\b${m[1]}\\b`) }));
}

/** The alias lines whose alias name the statement mentions: part of its cache key. */
function aliasesUsedBy(statement: string, aliases: readonly AliasLine[]): string {
  let used = '';
  for (const alias of aliases) if (alias.word.test(statement)) used += alias.line + '\n';
  return used;
}

/** When the statements to match hold more than this share of the text, match the whole file in one pass. */
const WHOLE_FILE_SHARE = 0.5;

interface CachedHit {
  ruleId: string;
  /** Offsets relative to the statement start. */
  start: number;
  end: number;
  type: string;
  data: Record<string, string>;
  /** The guarding construct, its offsets relative to the statement start like the hit's. */
  guard?: GuardSite;
}

interface CachedStatement {
  entries: CachedHit[];
  /** Diagnostics (no fixes) as built when the statement started on `line` (1-based); reused shifted by lines. */
  diagnostics?: { line: number; column: number; findings: Finding[] };
}

/** A finding moved by `delta` lines (its statement starts at the same column, so columns stay). */
function shiftLines(finding: Finding, delta: number): Finding {
  if (delta === 0) return finding;
  const { start, end } = finding.range;
  return { ...finding, ...(finding.guard ? { guard: shiftGuard(finding.guard, delta) } : {}), range: { start: { line: start.line + delta, column: start.column }, end: { line: end.line + delta, column: end.column } } };
}

function moveGuard(guard: GuardSite | undefined, delta: number): GuardSite | undefined {
  return guard && { ...guard, start: guard.start + delta, end: guard.end + delta };
}

function withoutFix(finding: Finding): Finding {
  if (!finding.fix) return finding;
  const copy = { ...finding };
  delete copy.fix;
  return copy;
}

/** The node of a cached hit: the smallest node spanning the range (searched from its statement), widened to the recorded type. */
function findNode(statement: TreeSitter.Node, start: number, end: number, type: string): TreeSitter.Node | undefined {
  if (statement.type === type && statement.startIndex === start && statement.endIndex === end) return statement;
  let node: TreeSitter.Node | null = statement.descendantForIndex(start, end);
  while (node && node.type !== type && node.startIndex === start && node.endIndex === end) node = node.parent;
  return node && node.type === type ? node : undefined;
}


/** What every statement's hits depend on: the names the imports bind, as parsed, and whether Porta's helpers are in the file. */
function fileKey(file: FileContext): string {
  const bound = file.bindings.localNames().sort().map((name) => `${name}=${file.bindings.qualify(name)}`).join(',');
  return `${file.hasPortaHelpers ? 'helpers;' : ''}${bound}`;
}

type PostProcess = (result: AnalysisResult, text: string, config: ResolvedConfig) => AnalysisResult;

/** An open Python document: edits go to tree-sitter as tree.edit(), and analyze() re-parses with the old tree. */
export class PythonDocument {
  private tree: TreeSitter.Tree | null = null;
  /** What the edits since the last parse touched: the reused tree is checked there (parseEdited). */
  private touched: OffsetRange | undefined;
  private dirty = true;
  private cache = new Map<string, CachedStatement>();

  constructor(
    readonly path: string,
    public text: string,
    private readonly parser: TreeSitter.Parser,
    private readonly post: PostProcess,
  ) {}

  update(change: DocumentEdit[] | string): void {
    for (const edit of editsOf(this.text, change)) {
      this.text = applyEdit(this.text, edit, this.tree);
      this.touched = coverEdit(this.touched, edit);
      this.dirty = true;
    }
  }

  /**
   * fixOptions: default { target: config.fixTarget }; null: diagnostics only. fixRange: compute fixes only for the
   * top-level statements overlapping [start, end) (a quick fix at the cursor), the rest come without fixes.
   */
  analyze(config: ResolvedConfig = DEFAULT_CONFIG, fixOptions?: FixOptions | null, fixRange?: OffsetRange): AnalysisResult {
    const tree = this.parsed();
    if (!tree) return { findings: [], notes: [] };
    const fix = fixOptions === undefined ? { target: config.fixTarget } : fixOptions;
    return this.post(this.analyzeByStatement(tree, fix, fixRange), this.text, config);
  }

  /**
   * `porta fix` on the current text, starting from this document's tree (the editor's Fix All). A tree with a syntax
   * error is not reused: tree-sitter's error recovery can differ between an incremental and a fresh parse, and the
   * result must be what `porta fix` writes.
   */
  fixAll(options: FixAllOptions): FixAllResult {
    const tree = this.parsed();
    return fixPythonText(this.parser, this.text, options, tree && !tree.rootNode.hasError ? tree : undefined);
  }

  /** The tree of the current text, re-parsed incrementally after edits. */
  private parsed(): TreeSitter.Tree | null {
    if (this.dirty || !this.tree) {
      this.tree = parseEdited(this.parser, this.text, this.tree, this.touched);
      this.touched = undefined;
      this.dirty = false;
    }
    return this.tree;
  }

  /**
   * Top-level statements whose text (and the file's imports and module aliases) did not change reuse their rule hits,
   * shifted to their new place; only edited statements, and statements with syntax errors, are matched again.
   */
  private analyzeByStatement(tree: TreeSitter.Tree, allFixOptions: FixOptions | null, fixRange?: OffsetRange): AnalysisResult {
    const text = this.text;
    const root = tree.rootNode;
    if (!mayMentionCuda(text)) {
      this.cache.clear();
      return analyzePythonTree(this.path, text, tree, allFixOptions);
    }
    // Rule hits do not depend on the fix options: one cache serves diagnostics and quick fixes alike.
    // Statements are keyed on what the imports bind as parsed, not on the import lines' text: with a syntax error,
    // tree-sitter's recovery can change what an unchanged line binds (`from torch` cut off from `import cuda as tc`
    // by a broken statement above). An edited statement needs the file context anyway, so this costs nothing extra.
    const file: FileContext = prepareFile(root, text);
    const imports = fileKey(file) + '\0' + moduleGuardKey(root) + '\0' + calledHelpersKey(root, (dotted) => file.bindings.qualify(dotted));
    const aliases = aliasLines(text);
    const lines = new LineIndex(text);
    const next = new Map<string, CachedStatement>();
    const findings: Finding[] = [];
    // A statement with a syntax error (typing in progress) is matched afresh each time and never cached.
    const rows = root.children.filter((s): s is TreeSitter.Node => s !== null).map((statement) => {
      const start = statement.startIndex;
      const end = statement.endIndex;
      const source = text.slice(start, end);
      const broken = statement.hasError || statement.isMissing;
      // The characters around the statement count too: a word that runs into it (`\uFFFDtorch`) changes its matches.
      const around = text.charAt(start - 1) + text.charAt(end);
      // And so does what the text parsed as: beside a syntax error the same `"nvcc": [...]` is a dict pair on one
      // line and a slice on the next, and a slice must not reuse the pair's hits (its key is no dict key).
      return { statement, start, end, broken, key: imports + '\0' + statement.type + '\0' + aliasesUsedBy(source, aliases) + '\0' + around + source };
    });
    let freshLength = 0;
    for (const row of rows) if (row.broken || !this.cache.has(row.key)) freshLength += row.end - row.start;
    // Most of the file to match (the first analysis, a paste, an import edit): one pass over the file, its hits
    // bucketed by statement, is cheaper than a pass per statement (each has a fixed cost).
    const fileFlows: number[] = [];
    const wholeFile = freshLength > WHOLE_FILE_SHARE * text.length ? bucketByRange(matchPythonRange(root, text, { start: 0, end: text.length }, file, fileFlows), (hit) => hit.start ?? hit.node.startIndex, rows) : undefined;
    const wholeFileFlows = wholeFile ? bucketByRange(fileFlows, (offset) => offset, rows) : undefined;
    rows.forEach(({ statement, start, end, broken, key }, index) => {
      const fixOptions = fixRange && (end < fixRange.start || start > fixRange.end) ? null : allFixOptions;
      const cached = broken ? undefined : this.cache.get(key) ?? next.get(key);
      const line = statement.startPosition.row + 1;
      const column = statement.startPosition.column;
      if (!cached) {
        const entries: CachedHit[] = [];
        const built: Finding[] = [];
        const flows: number[] = [];
        for (const hit of wholeFile?.[index] ?? matchPythonRange(root, text, { start, end }, file, flows)) {
          const hitStart = hit.start ?? hit.node.startIndex;
          const hitEnd = hit.end ?? hit.node.endIndex;
          entries.push({ ruleId: hit.ruleId, start: hitStart - start, end: hitEnd - start, type: hit.node.type, data: hit.data, guard: moveGuard(hit.guard, -start) });
          built.push(findingFromNode(this.path, text, tree, { ...hit, start: hitStart, end: hitEnd }, fixOptions, lines));
        }
        findings.push(...built);
        // A device string whose finding depends on later statements (`devs = ["cuda:0"]` ... `.to(devs[0])`) is matched afresh each time.
        const dependsOnLaterCode = (wholeFileFlows?.[index] ?? flows).length > 0;
        if (!broken && !dependsOnLaterCode) next.set(key, { entries, diagnostics: { line, column, findings: fixOptions === null ? built : built.map(withoutFix) } });
        return;
      }
      next.set(key, cached);
      if (fixOptions === null && cached.diagnostics?.column === column) {
        // Diagnostics only: the statement's findings as built before, moved with the statement.
        const delta = line - cached.diagnostics.line;
        for (const finding of cached.diagnostics.findings) findings.push(shiftLines(finding, delta));
        return;
      }
      // Fixes may depend on the rest of the file (a device variable, a helper already inserted): recomputed each time.
      for (const entry of cached.entries) {
        if (fixOptions === null) {
          findings.push(findingFromNode(this.path, text, tree, { ruleId: entry.ruleId, node: statement, data: entry.data, start: start + entry.start, end: start + entry.end, guard: moveGuard(entry.guard, start) }, null, lines));
          continue;
        }
        const node = findNode(statement, start + entry.start, start + entry.end, entry.type);
        if (!node) continue;
        findings.push(findingFromNode(this.path, text, tree, { ruleId: entry.ruleId, node, data: entry.data, start: start + entry.start, end: start + entry.end, guard: moveGuard(entry.guard, start) }, fixOptions, lines));
      }
    });
    this.cache = next;
    findings.sort(compareFindings);
    return { findings, notes: syntaxErrorNotes(this.path, root) };
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = null;
  }
}
