// Loaded lazily by analyzerHost.ts: importing this module is what pulls tree-sitter into the host.
import * as path from 'node:path';
import { loadAnalyzer } from '../core/analyze';
import { RULES, getRule } from '../core/rules';
import { setWasmDirectory } from '../core/parse/loader';
import type { AnalyzerPort } from './analyzerPort';

export async function createAnalyzerPort(extensionPath: string): Promise<AnalyzerPort> {
  setWasmDirectory(path.join(extensionPath, 'dist', 'wasm'));
  const analyzer = await loadAnalyzer();
  return {
    core: analyzer,
    rule: (id) => getRule(id),
    allRules: () => RULES,
    openDocument: (file, text) => analyzer.openDocument(file, text),
    analyze: (file, text, config, fix) => analyzer.analyze(file, text, config, fix),
  };
}
