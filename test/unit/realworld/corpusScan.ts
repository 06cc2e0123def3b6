import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadAnalyzer } from '../../../src/core/analyze';
import type { ScanResult } from '../../../src/core/report/types';
import { scanWorkspace } from '../../../src/workspace/scan';

/** ../shared/corpus: public ML repositories nobody here wrote (read-only; see its README and MANIFEST.tsv). */
export const CORPUS = resolve(__dirname, '../../..', '..', 'shared', 'corpus');

export const corpusPresent = (): boolean => existsSync(CORPUS);

let shared: Promise<ScanResult> | undefined;
/** One `porta scan` of the whole corpus (as the CLI runs it, paths relative to the corpus) for every test in this tier. */
export function scanCorpus(): Promise<ScanResult> {
  shared ??= loadAnalyzer().then((analyzer) => scanWorkspace(['.'], { cwd: CORPUS, analyzer, workers: 0 }));
  return shared;
}
