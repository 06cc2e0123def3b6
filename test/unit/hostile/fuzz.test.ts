import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KINDS, type Failure, type FuzzCase, type Kind } from './fuzz/cases';
import { loadSeeds, makeCase, REPO } from './fuzz/corpus';
import { caseSeed } from './fuzz/random';
import { CaseRunner } from './fuzz/runner';
import { minimize } from './fuzz/minimize';
import { formatFailure, loadReplay, saveFailure, type SavedFailure } from './fuzz/artifacts';

/**
 * Issue 17: random mutations of the fixtures of every file kind, through the analysis and the fixes `porta scan` and
 * `porta fix` run. Checked: no crash, no hang (a watchdog kills the checker process), idempotent fixes, and a fixed
 * file parses whenever its input did. docs/dev/testing.md says how to run it longer and how to replay a failure.
 *
 *   PORTA_FUZZ_SECONDS=600   run longer (default 25 s across all kinds, and at most the first 4,000 cases of seed 17)
 *   PORTA_FUZZ_CASES=n       at most n cases
 *   PORTA_FUZZ_SEED=n        another run seed (default 17; `random` picks one and prints it)
 *   PORTA_FUZZ_KINDS=a,b     only these kinds (python, notebook, cuda, requirements, pyproject, environment, setup.py, docker, shell)
 *   PORTA_FUZZ_REPLAY=FILE   rerun one saved case (test-results/fuzz/*.json) or any input file
 */
const SECONDS = Number(process.env.PORTA_FUZZ_SECONDS ?? 25);
// The CI default also stops after the cases known to pass, so a faster machine never meets a case a slower one
// did not: the run stays deterministic. PORTA_FUZZ_SECONDS alone (or PORTA_FUZZ_CASES) explores further.
const MAX_CASES = Number(process.env.PORTA_FUZZ_CASES ?? (process.env.PORTA_FUZZ_SECONDS || process.env.PORTA_FUZZ_SEED ? Infinity : 4000));
const RUN_SEED = process.env.PORTA_FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 32) : Number(process.env.PORTA_FUZZ_SEED ?? 17);
const CASE_TIMEOUT_S = Number(process.env.PORTA_FUZZ_CASE_TIMEOUT ?? 30);
const MINIMIZE_S = 15;
/** Distinct failures minimised and saved per run; more of the same kind are only counted. */
const MAX_SAVED = SECONDS > 60 ? 10 : 3;
const REGRESSIONS = path.join(REPO, 'test', 'fixtures', 'fuzz');

function selectedKinds(): Kind[] {
  const wanted = process.env.PORTA_FUZZ_KINDS?.split(',').map((k) => k.trim()).filter(Boolean);
  if (!wanted) return [...KINDS];
  const unknown = wanted.filter((k) => !(KINDS as readonly string[]).includes(k));
  if (unknown.length) throw new Error(`PORTA_FUZZ_KINDS: unknown kind ${unknown.join(', ')} (expected ${KINDS.join(', ')})`);
  return wanted as Kind[];
}

/** What makes two failures the same bug: the kind, the check, and the first line of the message (the error). */
function signature(fuzzCase: FuzzCase, failure: Failure): string {
  return `${fuzzCase.kind}|${failure.check}|${failure.message.split('\n')[0]!.replace(/\d+/g, 'N')}`;
}

/** Shrinks a failing case to a small input that fails the same way (hangs are kept whole: each try could take the full timeout). */
async function minimal(runner: CaseRunner, fuzzCase: FuzzCase, failure: Failure): Promise<FuzzCase> {
  if (failure.check === 'hang') return fuzzCase;
  const wanted = signature(fuzzCase, failure);
  const text = await minimize(
    fuzzCase.text,
    async (candidate) => (await runner.run({ ...fuzzCase, text: candidate })).some((f) => signature(fuzzCase, f) === wanted),
    Date.now() + MINIMIZE_S * 1000,
  );
  return { ...fuzzCase, text };
}

async function report(runner: CaseRunner, fuzzCase: FuzzCase, failures: Failure[]): Promise<string> {
  const small = await minimal(runner, fuzzCase, failures[0]!);
  const smallFailures = small === fuzzCase ? failures : await runner.run(small);
  const saved: SavedFailure = { fuzzCase: small, failures: smallFailures, original: small.text === fuzzCase.text ? undefined : fuzzCase.text };
  return formatFailure(saved, saveFailure(saved));
}

describe('fuzz: mutated fixtures of every file kind (issue 17)', function () {
  this.timeout((SECONDS + CASE_TIMEOUT_S + MAX_SAVED * (MINIMIZE_S + CASE_TIMEOUT_S) + 60) * 1000);
  const runner = new CaseRunner(CASE_TIMEOUT_S * 1000);
  after(() => runner.close());

  const replay = process.env.PORTA_FUZZ_REPLAY;
  if (replay) {
    it(`replays ${replay}`, async () => {
      const fuzzCase = loadReplay(path.resolve(replay));
      const failures = await runner.run(fuzzCase);
      assert.deepEqual(failures, [], failures.map((f) => `${f.check}: ${f.message}`).join('\n'));
    });
    return;
  }

  it(`keeps every property for ${SECONDS} s of mutated inputs (run seed ${RUN_SEED})`, async () => {
    const seeds = loadSeeds();
    const kinds = selectedKinds();
    const counts = new Map<Kind, number>(kinds.map((kind) => [kind, 0]));
    const reports: string[] = [];
    const seen = new Map<string, number>();
    let slowest = { ms: 0, label: '' };
    await runner.start();
    const deadline = Date.now() + SECONDS * 1000;
    for (let index = 0; Date.now() < deadline && index < MAX_CASES; index++) {
      const kind = kinds[index % kinds.length]!;
      const fuzzCase: FuzzCase = { ...makeCase(seeds, kind, caseSeed(RUN_SEED, index)), runSeed: RUN_SEED, index };
      const started = Date.now();
      const failures = await runner.run(fuzzCase);
      const ms = Date.now() - started;
      if (ms > slowest.ms) slowest = { ms, label: `${kind} case ${index} (seed ${fuzzCase.seed}, ${fuzzCase.text.length} chars)` };
      counts.set(kind, counts.get(kind)! + 1);
      if (failures.length === 0) continue;
      const key = signature(fuzzCase, failures[0]!);
      seen.set(key, (seen.get(key) ?? 0) + 1);
      if (seen.get(key) === 1 && reports.length < MAX_SAVED) reports.push(await report(runner, fuzzCase, failures));
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(`      ${total} cases (${[...counts].map(([kind, n]) => `${kind} ${n}`).join(', ')}); slowest: ${slowest.label}, ${slowest.ms} ms`);
    const repeats = [...seen].map(([key, n]) => `${n}× ${key}`).join('\n  ');
    assert.equal(reports.length, 0, `${seen.size} distinct failures:\n  ${repeats}\n\n${reports.join('\n\n')}`);
  });
});

describe('fuzz regressions: inputs the fuzz test once failed on (test/fixtures/fuzz)', function () {
  this.timeout((CASE_TIMEOUT_S + 30) * 1000);
  const runner = new CaseRunner(CASE_TIMEOUT_S * 1000);
  after(() => runner.close());
  const files = fs.existsSync(REGRESSIONS) ? fs.readdirSync(REGRESSIONS).filter((name) => name.endsWith('.json')).sort() : [];
  for (const name of files) {
    it(name.replace(/\.json$/, ''), async () => {
      const fuzzCase = loadReplay(path.join(REGRESSIONS, name));
      const failures = await runner.run(fuzzCase);
      assert.deepEqual(failures, [], failures.map((f) => `${f.check}: ${f.message}`).join('\n'));
    });
  }
});
