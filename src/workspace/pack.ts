import type { AnalysisResult, Finding, TextEdit } from '../core/model';

/**
 * Compact form of analysis results for the trip from a worker: fix edits repeat the same support code (helper
 * functions, device definitions) for every finding of a file, and structured cloning copies each string anew. Edit
 * texts go into a table once per batch; edits become [start, end, textIndex] triples.
 */
export interface PackedResults {
  texts: string[];
  results: AnalysisResult[];
}

type PackedEdit = [number, number, number];

export function packResults(results: AnalysisResult[]): PackedResults {
  const index = new Map<string, number>();
  const texts: string[] = [];
  const intern = (text: string): number => {
    let i = index.get(text);
    if (i === undefined) {
      i = texts.length;
      texts.push(text);
      index.set(text, i);
    }
    return i;
  };
  const packed = results.map((result) => ({
    ...result,
    findings: result.findings.map((finding): Finding => {
      if (!finding.fix) return finding;
      const edits = finding.fix.edits.map((e): PackedEdit => [e.start, e.end, intern(e.text)]);
      return { ...finding, fix: { ...finding.fix, edits: edits as unknown as TextEdit[] } };
    }),
  }));
  return { texts, results: packed };
}

export function unpackResults(packed: PackedResults): AnalysisResult[] {
  const { texts } = packed;
  for (const result of packed.results) {
    for (const finding of result.findings) {
      if (!finding.fix) continue;
      finding.fix.edits = (finding.fix.edits as unknown as PackedEdit[]).map(([start, end, text]) => ({ start, end, text: texts[text] }));
    }
  }
  return packed.results;
}
