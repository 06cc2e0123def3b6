import { loadAnalyzer, type Analyzer } from '../../../../src/core/analyze';
import { applyEdits, fixText, isFixable } from '../../../../src/core/fix';
import { hipify, isCudaSource, loadHipify } from '../../../../src/core/cuda';
import { createParser, type TreeSitter } from '../../../../src/core/parse/loader';
import type { FixTarget } from '../../../../src/core/fix/types';
import type { Failure, FuzzCase, Kind } from './cases';
import { notebookProgram } from './notebook';
import { PythonAst } from './pythonAst';
import { documentFailures } from './document';

/** The kinds the editor analyses incrementally (an open document kept in step with its edits). */
const EDITOR_KINDS = new Set<Kind>(['python', 'setup.py', 'cuda']);

/**
 * The properties every input must keep, through the entry points `porta scan` and `porta fix` use:
 * - analysis does not throw (a syntax-error note is fine);
 * - fixing does not throw, and fixing the fixed text changes nothing (idempotent);
 * - the fix's edit list reproduces the fixed text (what the editor applies);
 * - an open document edited from the fixture into the input agrees with a fresh analysis, and its Fix All with porta fix;
 * - when the input parses without errors, so does the fixed output (tree-sitter; CPython's ast for Python).
 */
export interface Checker {
  run(fuzzCase: FuzzCase): Promise<Failure[]>;
  close(): void;
}

type Grammar = 'python' | 'bash' | 'cuda';

export async function createChecker(): Promise<Checker> {
  const [analyzer, python, bash, cuda, pythonAst] = await Promise.all([
    loadAnalyzer(), createParser('python'), createParser('bash'), createParser('cuda'), PythonAst.start(), loadHipify(),
  ]);
  const parsers: Record<Grammar, TreeSitter.Parser> = { python, bash, cuda };
  return {
    run: (fuzzCase) => runChecks(fuzzCase, analyzer, parsers, pythonAst),
    close: () => pythonAst?.stop(),
  };
}

function explain(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // The top frames say where it broke; the rest is the test's own machinery.
  return (error.stack ?? error.message).split('\n').slice(0, 6).join('\n');
}

/** Whether `text` parses without errors in `grammar` (a parser that gives up counts as an error). */
function parsesCleanly(parser: TreeSitter.Parser, text: string): boolean {
  const tree = parser.parse(text);
  if (!tree) return false;
  try {
    return !tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
}

function grammarOf(fuzzCase: FuzzCase): Grammar | undefined {
  if (fuzzCase.kind === 'python' || fuzzCase.kind === 'setup.py') return 'python';
  if (fuzzCase.kind === 'shell') return 'bash';
  if (fuzzCase.kind === 'cuda') return 'cuda';
  return undefined;
}

/** The text the parse checks look at: the file itself, or a notebook's code cells as one program. */
function parsedForm(fuzzCase: FuzzCase, text: string): { grammar: Grammar; text: string } | 'invalid-json' | undefined {
  if (fuzzCase.kind === 'notebook') {
    const program = notebookProgram(text);
    return program === undefined ? 'invalid-json' : { grammar: 'python', text: program };
  }
  const grammar = grammarOf(fuzzCase);
  return grammar && { grammar, text };
}

/** One `porta fix` of the text: fixText for Python, notebooks and environment files, hipify for CUDA C++ under hip/rocm. */
async function fixOnce(fuzzCase: FuzzCase, text: string): Promise<{ text: string; edits: Array<{ start: number; end: number; text: string }> } | undefined> {
  const target: FixTarget = fuzzCase.target === 'hip' ? 'rocm' : fuzzCase.target;
  if (!isFixable(fuzzCase.path)) {
    if (target !== 'rocm' || !isCudaSource(fuzzCase.path, text)) return undefined;
    const result = hipify(fuzzCase.path, text);
    return { text: result.text, edits: result.edits };
  }
  const result = await fixText(fuzzCase.path, text, { target, unsafe: fuzzCase.unsafe, torchVersion: fuzzCase.torchVersion });
  return { text: result.text, edits: result.edits };
}

async function runChecks(fuzzCase: FuzzCase, analyzer: Analyzer, parsers: Record<Grammar, TreeSitter.Parser>, pythonAst: PythonAst | undefined): Promise<Failure[]> {
  const failures: Failure[] = [];
  const fixTarget: FixTarget = fuzzCase.target === 'hip' ? 'rocm' : fuzzCase.target;
  try {
    analyzer.analyze(fuzzCase.path, fuzzCase.text, undefined, { target: fixTarget, torchVersion: fuzzCase.torchVersion });
  } catch (error) {
    failures.push({ check: 'crash', message: `analyze threw: ${explain(error)}` });
  }

  let fixed: Awaited<ReturnType<typeof fixOnce>>;
  try {
    fixed = await fixOnce(fuzzCase, fuzzCase.text);
  } catch (error) {
    failures.push({ check: 'crash', message: `fix threw: ${explain(error)}` });
    return failures;
  }
  if (fuzzCase.before !== undefined && EDITOR_KINDS.has(fuzzCase.kind)) {
    const options = { target: fixTarget, unsafe: fuzzCase.unsafe, torchVersion: fuzzCase.torchVersion };
    failures.push(...documentFailures(analyzer, fuzzCase.path, fuzzCase.before, fuzzCase.text, options, fuzzCase.kind === 'cuda' ? undefined : fixed?.text));
  }
  if (!fixed || fixed.text === fuzzCase.text) return failures;

  if (applyEdits(fuzzCase.text, fixed.edits) !== fixed.text) {
    failures.push({ check: 'edits', message: 'applying the fix\'s edits to the input does not give the fixed text' });
  }
  try {
    const again = await fixOnce(fuzzCase, fixed.text);
    if (again && again.text !== fixed.text) failures.push({ check: 'idempotent', message: `fixing the fixed text changed it again:\n${firstDifference(fixed.text, again.text)}` });
  } catch (error) {
    failures.push({ check: 'crash', message: `fix of the fixed text threw: ${explain(error)}` });
  }

  const before = parsedForm(fuzzCase, fuzzCase.text);
  const after = parsedForm(fuzzCase, fixed.text);
  if (before !== undefined && before !== 'invalid-json') {
    if (after === 'invalid-json') failures.push({ check: 'parse', message: 'the fixed notebook is not valid JSON' });
    else if (after && parsesCleanly(parsers[before.grammar], before.text) && !parsesCleanly(parsers[after.grammar], after.text)) {
      failures.push({ check: 'parse', message: `the input parses cleanly (tree-sitter ${before.grammar}) but the fixed output does not` });
    }
  }
  if (pythonAst && before !== undefined && before !== 'invalid-json' && after !== undefined && after !== 'invalid-json' && before.grammar === 'python') {
    const [input, output] = [await pythonAst.parse(before.text), await pythonAst.parse(after.text)];
    if (input.ok && !output.ok) failures.push({ check: 'python-ast', message: `CPython parses the input but not the fixed output: ${output.error}` });
  }
  return failures;
}

/** A few lines around the first place two texts differ. */
export function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, a.lastIndexOf('\n', i - 80) + 1);
  return `first pass: ${JSON.stringify(a.slice(from, i + 120))}\nsecond pass: ${JSON.stringify(b.slice(from, i + 120))}`;
}
