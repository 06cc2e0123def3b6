/**
 * Porta's CUDA → HIP rewrite against hipify-perl on hipify's own FileCheck inputs, in the same run, on the same files
 * (issue 15 wants ≥ 10×). Compared: a whole `porta fix --target hip` process (dist/cli.js, built by `npm run build`;
 * it writes the files) and Porta in process, against one hipify-perl process (../shared/reference/hipify/bin, output
 * to /dev/null); 5 rounds of 3 porta processes and 1 hipify-perl process; each round's ratio compares runs made
 * seconds apart (this machine's speed drifts by tens of percent within minutes), and the median round is reported.
 * hipify-perl runs with -quiet-warnings (its fastest mode: no scan for unsupported names, which Porta does report).
  * Skips say why (no reference copy, no perl, no build).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeSource, hipifyAsync } from '../src/core/cuda';

const REPO = path.resolve(__dirname, '..');
const REFERENCE = path.resolve(REPO, '..', 'shared', 'reference', 'hipify');
const SUITE = path.join(REFERENCE, 'tests', 'unit_tests');
const PERL_HIPIFY = path.join(REFERENCE, 'bin', 'hipify-perl');
const CLI = path.join(REPO, 'dist', 'cli.js');
const SOURCES = /\.(cu|cuh|cpp|h|hpp)$/;
const ROUNDS = 5;
const PORTA_PER_ROUND = 3;

function suiteFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (SOURCES.test(entry.name)) out.push(full);
    }
  };
  walk(SUITE);
  return out.sort();
}

/**
 * Both tools run in the same minimal environment (PATH, HOME, LANG): the machine's own settings must not weigh on
 * one side. This sandbox sets NODE_EXTRA_CA_CERTS, which makes every node process parse the system's CA bundle before
 * its first line of JavaScript (~40 ms here, printed below); NODE_OPTIONS or PERL5LIB could skew either side too.
 */
const MINIMAL_ENV: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: process.env.LANG ?? 'C.UTF-8' };

/** Wall and CPU (user + system) seconds of a command, from bash's `time`: CPU time stays fair on a loaded machine. */
function timed(argv: string[], cwd: string, env: NodeJS.ProcessEnv = MINIMAL_ENV): { wall: number; cpu: number; status: number | null } {
  const quoted = argv.map((arg) => `'${arg.replace(/'/g, "'\\''")}'`).join(' ');
  const result = spawnSync('bash', ['-c', `TIMEFORMAT='%R %U %S'; time (${quoted} >/dev/null 2>&1)`], { cwd, encoding: 'utf8', timeout: 1_800_000, env });
  const [wall, user, sys] = (result.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { wall, cpu: user + sys, status: result.status };
}

/** One `porta fix --target hip` process over fresh, writable copies of the inputs (it rewrites them). */
function portaProcess(files: string[]): ReturnType<typeof timed> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-bench-hipify-'));
  try {
    const copies = files.map((file, i) => {
      const copy = path.join(scratch, `${i}_${path.basename(file)}`);
      fs.writeFileSync(copy, fs.readFileSync(file));
      return copy;
    });
    return timed([process.execPath, CLI, 'fix', '--target', 'hip', ...copies], scratch);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The run with the median CPU time (its wall time with it). */
function median(runs: Array<ReturnType<typeof timed>>): ReturnType<typeof timed> {
  return [...runs].sort((a, b) => a.cpu - b.cpu)[Math.floor(runs.length / 2)];
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function run(): Promise<void> {
  if (!fs.existsSync(SUITE)) return void console.log(`skipped: ${SUITE} is absent (the hipify reference copy)`);
  const files = suiteFiles();
  const lines = files.reduce((sum, file) => sum + fs.readFileSync(file, 'latin1').split('\n').length, 0);
  console.log(`hipify suite inputs: ${files.length} files, ${lines.toLocaleString('en-US')} lines`);

  const texts = files.map((file) => decodeSource(fs.readFileSync(file)).text);
  let start = process.hrtime.bigint();
  for (const [i, text] of texts.entries()) await hipifyAsync(files[i], text); // first pass loads the map (the grammar only for a file that needs the tree)
  const coldIn = seconds(start);
  start = process.hrtime.bigint();
  for (const [i, text] of texts.entries()) await hipifyAsync(files[i], text);
  const warmIn = seconds(start);

  // Interleaved repeats, medians compared: this machine's speed drifts by tens of percent within a minute, and a
  // single run of each could land in different phases of it.
  const perl = spawnSync('sh', ['-c', 'command -v perl']).status === 0;
  const perlReady = perl && fs.existsSync(PERL_HIPIFY);
  if (!perl) console.log('hipify-perl: skipped (no perl on this machine)');
  else if (!perlReady) console.log(`hipify-perl: skipped (${PERL_HIPIFY} is absent)`);
  if (!fs.existsSync(CLI)) console.log(`porta fix process: skipped (${path.relative(REPO, CLI)} missing: npm run build)`);
  const cliRuns: Array<ReturnType<typeof timed>> = [];
  const perlRuns: Array<ReturnType<typeof timed>> = [];
  // Each round's ratio compares runs made within seconds of each other; the median round is reported.
  const roundRatios: Array<{ cpu: number; wall: number }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    const portaRound: Array<ReturnType<typeof timed>> = [];
    if (fs.existsSync(CLI)) {
      for (let k = 0; k < PORTA_PER_ROUND; k++) {
        const run = portaProcess(files);
        if (run.status !== 0) console.log(`porta fix exited ${run.status}`);
        portaRound.push(run);
      }
      cliRuns.push(...portaRound);
    }
    if (perlReady) {
      const run = timed(['perl', PERL_HIPIFY, '-quiet-warnings', ...files], REPO);
      if (run.status !== 0) console.log(`hipify-perl exited ${run.status}`);
      perlRuns.push(run);
      if (portaRound.length) roundRatios.push({ cpu: run.cpu / median(portaRound).cpu, wall: run.wall / median(portaRound).wall });
    }
  }
  if (process.env.NODE_EXTRA_CA_CERTS) {
    const bare = median(Array.from({ length: 9 }, () => timed([process.execPath, '-e', '0'], REPO)));
    const withCerts = median(Array.from({ length: 9 }, () => timed([process.execPath, '-e', '0'], REPO, { ...MINIMAL_ENV, NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS })));
    console.log(`note: both tools ran without this shell's NODE_EXTRA_CA_CERTS, which costs every node process ${((withCerts.cpu - bare.cpu) * 1000).toFixed(0)} ms CPU at start (node -e 0: ${bare.cpu.toFixed(2)} s, with it ${withCerts.cpu.toFixed(2)} s)`);
  }
  const cliTime = cliRuns.length ? median(cliRuns) : undefined;
  const perlTime = perlRuns.length ? median(perlRuns) : undefined;

  const fmt = (s: number) => `${s.toFixed(2)} s (${Math.round(lines / s).toLocaleString('en-US')} lines/s)`;
  const both = (t: { wall: number; cpu: number }) => `CPU ${fmt(t.cpu)}, wall ${t.wall.toFixed(2)} s`;
  console.log(`porta in process (wall): first pass ${fmt(coldIn)} (loads the map, and the grammar if a file needs the tree), warm ${fmt(warmIn)}`);
  if (cliTime) console.log(`porta fix --target hip (one process, writes the files; median of ${cliRuns.length}): ${both(cliTime)}`);
  if (perlTime) {
    console.log(`hipify-perl (one process, output discarded; median of ${perlRuns.length}): ${both(perlTime)}`);
    if (roundRatios.length) {
      const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
      const cpu = roundRatios.map((r) => r.cpu);
      const wall = roundRatios.map((r) => r.wall);
      const range = (values: number[]) => `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;
      console.log(`ratio hipify-perl / porta fix process, median of ${roundRatios.length} rounds: CPU ${middle(cpu).toFixed(1)}× (rounds ${range(cpu)}), wall ${middle(wall).toFixed(1)}× (rounds ${range(wall)}) (target ≥ 10×)`);
    }
    console.log(`ratio hipify-perl / porta in process, warm (wall): ${(perlTime.wall / warmIn).toFixed(1)}×`);
  }
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
