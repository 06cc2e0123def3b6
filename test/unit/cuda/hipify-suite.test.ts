import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeSource, hipifyAsync, type HipifyOptions } from '../../../src/core/cuda';
import { scoreFile, type CheckScore } from './suite/filecheck';
import { REPO, SUITE, portaFlags, portaOptions, suiteInputs } from './suite/hipify-suite';

/**
 * Acceptance test of issue 15: Porta's CUDA → HIP rewrite over hipify's own FileCheck suite, scored as FileCheck
 * reads it (CHECK lines in order, whitespace-insensitive). Prints the overall and per-file rates; the overall rate
 * may not drop below the figure in hipify-suite-rate.json (PORTA_HIPIFY_SUITE_WRITE=1 records a new one).
 */
const RATE_FILE = path.join(__dirname, 'suite', 'hipify-suite-rate.json');

interface Scored {
  name: string;
  options: HipifyOptions;
  score: CheckScore;
}

function rate(score: { matched: number; checks: number }): number {
  return score.checks === 0 ? 1 : score.matched / score.checks;
}

describe('cuda: hipify FileCheck suite (issue 15 acceptance)', function () {
  this.timeout(300_000);
  const present = fs.existsSync(SUITE);
  const scored: Scored[] = [];

  before(async function () {
    if (!present) return;
    for (const input of suiteInputs()) {
      const { text } = decodeSource(fs.readFileSync(input.file));
      const options = portaOptions(input.flags);
      const result = await hipifyAsync(input.name, text, options);
      scored.push({ name: input.name, options, score: scoreFile(text, result.text) });
    }
  });

  it(`scores every CHECK line and holds the recorded rate${present ? '' : ` — skipped: ${SUITE} is absent (the hipify reference copy)`}`, function () {
    if (!present) this.skip();
    assert.ok(scored.length > 100, `only ${scored.length} suite inputs found`);
    const total = scored.reduce((sum, s) => ({ matched: sum.matched + s.score.matched, checks: sum.checks + s.score.checks }), { matched: 0, checks: 0 });
    const lines = scored
      .sort((a, b) => rate(a.score) - rate(b.score) || a.name.localeCompare(b.name))
      .map((s) => `  ${(rate(s.score) * 100).toFixed(0).padStart(3)}%  ${String(s.score.matched).padStart(4)}/${String(s.score.checks).padEnd(4)} ${s.name}${s.options.hipLibrary === 'roc' ? ' [roc]' : ''}`);
    const overall = rate(total);
    console.log(`hipify suite: ${total.matched}/${total.checks} CHECK lines = ${(overall * 100).toFixed(1)}% over ${scored.length} inputs\n${lines.join('\n')}`);
    if (process.env.PORTA_HIPIFY_SUITE_WRITE) fs.writeFileSync(RATE_FILE, `${JSON.stringify({ matched: total.matched, checks: total.checks, rate: Math.floor(overall * 1e4) / 1e4 }, null, 2)}\n`);
    const recorded = JSON.parse(fs.readFileSync(RATE_FILE, 'utf8')) as { rate: number };
    assert.ok(overall >= recorded.rate, `conversion rate ${overall.toFixed(4)} fell below the recorded ${recorded.rate}`);
  });

  it(`porta fix --target hip (the CLI) writes what the in-process rewrite gives${present ? '' : ' — skipped: no hipify suite'}`, async function () {
    if (!present) this.skip();
    const picks = suiteInputs().filter((input) => /samples\/square\.cu$|cublas2rocblas\.cu$|kernel_launch_syntax\.cu$/.test(input.name));
    assert.ok(picks.length >= 2);
    for (const input of picks) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-hipsuite-'));
      try {
        const copy = path.join(dir, path.basename(input.file));
        fs.writeFileSync(copy, fs.readFileSync(input.file)); // a writable copy (the reference is read-only)
        const options = portaOptions(input.flags);
        const cli = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(REPO, 'src', 'cli.ts'), 'fix', '--target', 'hip', ...portaFlags(options), copy], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
        assert.equal(cli.status, 0, cli.stderr);
        const original = decodeSource(fs.readFileSync(input.file)).text;
        const expected = await hipifyAsync(input.name, original, options);
        assert.equal(decodeSource(fs.readFileSync(copy)).text, expected.text, input.name);
        assert.ok(scoreFile(original, expected.text).matched > 0, input.name);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
