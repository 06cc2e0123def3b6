import type { Analyzer } from '../../../../src/core/analyze';
import type { Finding } from '../../../../src/core/model';
import type { FixAllOptions } from '../../../../src/core/fix';
import { normalizeLoneCR } from '../../../../src/core/lineEndings';
import { diffEdit } from '../../../../src/core/parse/incremental';
import type { Failure } from './cases';

/**
 * The editor's path: a document opened on the fixture, edited into the mutated text in two steps (the old part
 * deleted, then the new part typed in), analysed after each step. Its findings must be those of a fresh analysis
 * of the same text, and its Fix All must be `porta fix`'s result.
 */
export function documentFailures(analyzer: Analyzer, path: string, original: string, mutated: string, options: FixAllOptions, fixAllOfMutated?: string): Failure[] {
  const failures: Failure[] = [];
  // VS Code's text model never holds a lone CR (it reads one as a line break and writes the document's EOL), so the
  // editor's documents see lone CRs as LFs: the same length, so the fresh analysis of the real text must agree.
  const before = normalizeLoneCR(original);
  const text = normalizeLoneCR(mutated);
  const fixAll = fixAllOfMutated === undefined ? undefined : normalizeLoneCR(fixAllOfMutated);
  const fixOptions = { target: options.target, torchVersion: options.torchVersion };
  const document = analyzer.openDocument(path, before);
  try {
    document.analyze(undefined, fixOptions);
    const edit = diffEdit(before, text);
    document.update([{ start: edit.start, end: edit.end, text: '' }]);
    document.analyze(undefined, null);
    document.update([{ start: edit.start, end: edit.start, text: edit.text }]);
    const got = document.analyze(undefined, fixOptions).findings.map((f) => comparable(f));
    // The real text's fixes write its own newlines (a lone CR in a CR-only file); the editor's, its document's.
    const want = analyzer.analyze(path, mutated, undefined, fixOptions).findings.map((f) => comparable(f, normalizeLoneCR));
    const missing = want.filter((f) => !got.includes(f));
    const extra = got.filter((f) => !want.includes(f));
    if (missing.length || extra.length) {
      failures.push({ check: 'document', message: `the edited document's findings differ from a fresh analysis:\n${[...missing.map((f) => `only fresh: ${f}`), ...extra.map((f) => `only document: ${f}`)].slice(0, 6).join('\n')}` });
    }
    if (fixAll !== undefined && document.fixAll) {
      const editor = document.fixAll(options).text;
      if (editor !== fixAll) failures.push({ check: 'document', message: 'the edited document\'s Fix All differs from porta fix' });
    }
  } catch (error) {
    failures.push({ check: 'crash', message: `document threw: ${error instanceof Error ? (error.stack ?? error.message).split('\n').slice(0, 6).join('\n') : String(error)}` });
  } finally {
    document.dispose();
  }
  return failures;
}

/** A finding as one comparable line: rule, range, message and its fix's edits. */
function comparable(finding: Finding, newlines: (text: string) => string = (text) => text): string {
  const { start, end } = finding.range;
  const edits = finding.fix?.edits.map((edit) => ({ ...edit, text: newlines(edit.text) }));
  const fix = finding.fix ? ` fix ${finding.fix.safe ? 'safe' : 'unsafe'} ${JSON.stringify(edits)}` : '';
  return `${finding.rule} ${start.line}:${start.column}-${end.line}:${end.column} ${JSON.stringify(finding.message)}${fix}`;
}
