// Mocha entry run() inside the VS Code extension host. Both runners (code-server and
// @vscode/test-electron) point extensionTestsPath at the bundle of this file.
// Results go to TEST_RESULTS_FILE as JSON because the host's stdout is not the runner's; lines the
// tests print reach the code-server runner through the workbench console (VS Code forwards them).
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface IntegrationResults {
  stats: { passes: number; failures: number; pending: number; tests: number; durationMs: number };
  tests: TestRecord[];
}

function findTestFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...findTestFiles(full));
    else if (entry.name.endsWith('.test.js')) files.push(full);
  }
  return files.sort();
}

/** Lines between these markers are the tier's console output; the code-server runner relays them. */
export const OUTPUT_BEGIN = '--- porta integration output begin ---';
export const OUTPUT_END = '--- porta integration output end ---';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: Mocha.reporters.Base });
  const grep = process.env.PORTA_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of findTestFiles(__dirname)) mocha.addFile(file);

  const results: IntegrationResults = { stats: { passes: 0, failures: 0, pending: 0, tests: 0, durationMs: 0 }, tests: [] };
  console.log(OUTPUT_BEGIN);
  const started = Date.now();
  const record = (t: TestRecord): void => {
    results.tests.push(t);
    const mark = t.state === 'passed' ? '✓' : t.state === 'failed' ? '✗' : '-';
    console.log(`  ${mark} ${t.title}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
    if (t.error) console.log(t.error.replace(/^/gm, '      '));
  };
  try {
    await mocha.loadFilesAsync();
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (t) => record({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
      runner.on('fail', (t, err: Error) => record({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: err?.stack ?? String(err) }));
      runner.on('pending', (t) => record({ title: t.fullTitle(), state: 'pending' }));
    });
  } catch (err) {
    record({ title: 'loading the integration tests', state: 'failed', error: (err as Error).stack ?? String(err) });
  }

  const s = results.stats;
  s.passes = results.tests.filter((t) => t.state === 'passed').length;
  s.failures = results.tests.filter((t) => t.state === 'failed').length;
  s.pending = results.tests.filter((t) => t.state === 'pending').length;
  s.tests = results.tests.length;
  s.durationMs = Date.now() - started;
  console.log(`  ${s.passes} passing, ${s.failures} failing${s.pending ? `, ${s.pending} pending` : ''} (${s.durationMs} ms)`);
  console.log(OUTPUT_END);
  if (process.env.TEST_RESULTS_FILE) writeFileSync(process.env.TEST_RESULTS_FILE, JSON.stringify(results, null, 2));
  if (s.failures > 0) throw new Error(`${s.failures} integration test(s) failed`);
  if (s.tests === 0) throw new Error('no integration tests ran');
}
