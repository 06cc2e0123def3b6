import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pool, REPO, runPython, type ProcessResult } from './helpers';

/**
 * minGPT's own projects (../shared/corpus/karpathy+minGPT, unmodified, read-only) told to train on "cuda"
 * (`--trainer.device=cuda`) run through the shim on Debian's CPU-only PyTorch, and print what the same project
 * prints when told to train on the CPU without the shim: the same losses, scores and samples.
 */
const MINGPT = path.resolve(REPO, '..', 'shared', 'corpus', 'karpathy+minGPT');
const HARNESS = path.join(REPO, 'src/run/harness');

const PROJECTS: Array<{ name: string; script: string; args: string[] }> = [
  { name: 'adder', script: 'projects/adder/adder.py', args: ['--trainer.max_iters=21', '--data.ndigit=1'] },
  { name: 'chargpt', script: 'projects/chargpt/chargpt.py', args: ['--trainer.max_iters=11', '--model.model_type=gpt-nano', '--data.block_size=16'] },
];

/** The printed result without what differs between any two runs: step timings and the device named in the config. */
function result(stdout: string): string {
  return stdout.split('\n').filter((line) => !line.includes('device')).map((line) => line.replace(/iter_dt [\d.]+ms/, 'iter_dt _ms')).join('\n');
}

describe('minGPT projects from the corpus run on "cuda" through the shim', function () {
  this.timeout(300_000);
  const runs = new Map<string, { shim: ProcessResult; cpu: ProcessResult }>();
  let work: string;

  before(async function () {
    if (!fs.existsSync(MINGPT)) this.skip();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-shim-mingpt-'));
    // chargpt reads input.txt from the working folder and samples from the context "O God, O God!".
    fs.writeFileSync(path.join(work, 'input.txt'), 'O God, O God! the kernel runs on every device again\n'.repeat(40));
    const env = { PYTHONPATH: `${HARNESS}${path.delimiter}${MINGPT}` };
    const common = ['--trainer.num_workers=0', '--system.work_dir=out'];
    await pool(PROJECTS.flatMap((p) => [
      async (): Promise<void> => {
        const shim = await runPython(['-m', 'porta_shim', '--device', 'cpu', path.join(MINGPT, p.script), ...p.args, ...common, '--trainer.device=cuda'], { cwd: work, env });
        runs.set(p.name, { ...runs.get(p.name)!, shim });
      },
      async (): Promise<void> => {
        const cpu = await runPython([path.join(MINGPT, p.script), ...p.args, ...common, '--trainer.device=cpu'], { cwd: work, env: { PYTHONPATH: MINGPT } });
        runs.set(p.name, { ...runs.get(p.name)!, cpu });
      },
    ]), 2);
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  for (const project of PROJECTS) {
    it(`${project.name}: trains and samples through the shim, printing what its CPU run prints`, () => {
      const { shim, cpu } = runs.get(project.name)!;
      assert.equal(cpu.code, 0, cpu.stderr);
      assert.equal(shim.code, 0, shim.stderr);
      assert.match(shim.stdout, /iter 10: train loss \d/);
      assert.equal(result(shim.stdout), result(cpu.stdout));
      assert.match(shim.stderr, /^porta_shim: on cpu, translated 'cuda' device ×\d+/m);
    });
  }
});
