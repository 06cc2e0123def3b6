import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURE_DIR, HIPCC_SKIP, NVCC_FLAGS, NVCC_SKIP, expectedName, fixtureNames } from './fixtures';

function onPath(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

function compile(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', env, timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`.replace(/^.*warning: (-l\w+: 'linker' input unused|argument unused during compilation).*\n/gm, '') };
}

describe('cuda: fixtures compile (nvcc for the originals, hipcc for AMD for the rewrites)', function () {
  this.timeout(180_000);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-cuda-'));
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  for (const name of fixtureNames()) {
    const nvccSkip = NVCC_SKIP[name];
    it(`nvcc -c ${name}${nvccSkip ? ` — skipped: ${nvccSkip}` : ''}`, function () {
      if (nvccSkip) this.skip();
      if (!onPath('nvcc')) this.skip(); // CI provisioning installs nvcc; a bare machine reports the skip
      const result = compile('nvcc', ['-c', ...(NVCC_FLAGS[name] ?? []), path.join(FIXTURE_DIR, name), '-o', path.join(out, `${name}.o`)]);
      assert.equal(result.status, 0, result.output);
    });

    const hipName = expectedName(name);
    const hipSkip = HIPCC_SKIP[name];
    it(`hipcc --offload-arch=gfx90a -fsyntax-only ${hipName}${hipSkip ? ` — skipped: ${hipSkip}` : ''}`, function () {
      if (hipSkip) this.skip();
      if (!onPath('hipcc')) this.skip();
      const result = compile('hipcc', ['--offload-arch=gfx90a', '-fsyntax-only', path.join(FIXTURE_DIR, hipName)], { ...process.env, HIP_PLATFORM: 'amd' });
      assert.equal(result.status, 0, result.output);
      assert.doesNotMatch(result.output, /error:/);
    });
  }
});
