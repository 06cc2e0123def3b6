// npm test: provisioning, build, then the three tiers (unit, integration in a real VS Code extension
// host, e2e against the packaged VSIX). Prints per-tier counts and timings and, last, one line
// `N passed, N failed[, N skipped]`. Exits non-zero if any step or test fails.
//
//   node scripts/test-all.mjs [--only unit,integration,e2e] [--skip-provision]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = (name) => path.join(root, 'node_modules/.bin', name);
const resultsDir = path.join(root, 'test-results');
const statsReporter = path.join(root, 'scripts/mocha-stats-reporter.cjs');
const TIERS = ['unit', 'integration', 'e2e'];

const { values } = parseArgs({ options: { only: { type: 'string' }, 'skip-provision': { type: 'boolean', default: false } } });
const selected = values.only ? values.only.split(',').map((t) => t.trim()) : TIERS;
for (const tier of selected) if (!TIERS.includes(tier)) throw new Error(`unknown tier '${tier}' (choose from ${TIERS.join(', ')})`);

/** One row per step: counts are tests for tiers, and a step that breaks counts as one failure. */
const rows = [];
const ci = process.env.CI === 'true' || process.env.CI === '1';

function banner(text) {
  console.log(`\n=== ${text} ${'='.repeat(Math.max(0, 70 - text.length))}`);
}

function run(cmd, args, env = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.error) console.error(`${cmd}: ${result.error.message}`);
  return result.status ?? 1;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A setup step (provision, build, package): ok or one failure. */
function step(name, fn) {
  banner(name);
  const started = Date.now();
  const ok = fn() === 0;
  rows.push({ name, kind: 'step', passed: 0, failed: ok ? 0 : 1, skipped: 0, ms: Date.now() - started });
  if (!ok) console.error(`\n${name} FAILED`);
  return ok;
}

/** A test tier: counts come from a JSON stats file; a crash without stats counts as one failure. */
function tier(name, statsFile, fn) {
  banner(`${name} tests`);
  rmSync(statsFile, { force: true });
  const started = Date.now();
  const code = fn();
  const stats = readJson(statsFile);
  const passed = stats?.passes ?? 0;
  let failed = stats?.failures ?? 0;
  if (code !== 0 && failed === 0) failed = 1; // crashed, timed out, or ran nothing
  rows.push({ name, kind: 'tier', passed, failed, skipped: stats?.pending ?? 0, ms: Date.now() - started });
  if (failed > 0) console.error(`\n${name} tests FAILED (exit code ${code})`);
  return failed === 0;
}

function skipTier(name, why) {
  console.log(`\n--- ${name} tests skipped: ${why}`);
  rows.push({ name, kind: 'tier', passed: 0, failed: 1, skipped: 0, ms: 0, note: why });
}

function mocha(args, statsFile) {
  const extra = ci ? ['--forbid-only'] : [];
  return run(bin('mocha'), [...args, ...extra, '--reporter', statsReporter], { PORTA_MOCHA_STATS: statsFile });
}

const startedAll = Date.now();
mkdirSync(resultsDir, { recursive: true });

let ready = true;
if (!values['skip-provision']) ready = step('provision', () => run('bash', [path.join(root, 'scripts/provision.sh')]));
const built = ready && step('build', () => run(process.execPath, ['esbuild.mjs']));

if (selected.includes('unit')) {
  const statsFile = path.join(resultsDir, 'unit.json');
  tier('unit', statsFile, () => mocha(['test/unit/**/*.test.ts'], statsFile));
}

if (selected.includes('integration')) {
  if (!built) skipTier('integration', 'provisioning or build failed');
  else if (step('build integration tests', () => run(process.execPath, ['scripts/build-tests.mjs']))) {
    const statsFile = path.join(resultsDir, 'integration.json');
    tier('integration', statsFile, () => run(bin('tsx'), ['test/integration/runner/code-server.ts']));
    // The runner writes the extension host's results; normalise to the mocha stats shape.
    const last = rows[rows.length - 1];
    const stats = readJson(statsFile)?.stats;
    if (stats) Object.assign(last, { passed: stats.passes, failed: Math.max(last.failed, stats.failures), skipped: stats.pending });
  }
}

if (selected.includes('e2e')) {
  if (!built) skipTier('e2e', 'provisioning or build failed');
  else if (step('package VSIX', () => run(process.execPath, ['scripts/package.mjs']))) {
    const statsFile = path.join(resultsDir, 'e2e.json');
    tier('e2e', statsFile, () => mocha(['--config', 'test/e2e/.mocharc.json'], statsFile));
    const shots = path.join(resultsDir, 'screenshots');
    if (existsSync(shots)) console.log(`screenshots: ${shots}`);
  }
}

banner('summary');
const pad = (s, n) => String(s).padEnd(n);
console.log(`${pad('step', 26)}${pad('passed', 8)}${pad('failed', 8)}${pad('skipped', 9)}time`);
for (const r of rows) {
  console.log(`${pad(r.kind === 'tier' ? `${r.name} tests` : r.name, 26)}${pad(r.kind === 'tier' ? r.passed : '-', 8)}${pad(r.failed, 8)}${pad(r.kind === 'tier' ? r.skipped : '-', 9)}${(r.ms / 1000).toFixed(1)} s${r.note ? `  (${r.note})` : ''}`);
}
console.log(`total time ${((Date.now() - startedAll) / 1000).toFixed(1)} s`);
const total = rows.reduce((acc, r) => ({ passed: acc.passed + r.passed, failed: acc.failed + r.failed, skipped: acc.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped > 0 ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed > 0 ? 1 : 0);
