import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeSource, hipifyAsync } from '../../../src/core/cuda';
import { SUITE, portaOptions, suiteInputs } from './suite/hipify-suite';

/**
 * Issue 15: hipify's suite inputs, rewritten by Porta, compile with Debian's hipcc (HIP 5.2, HIP_PLATFORM=amd,
 * -fsyntax-only). An input whose rewritten include is not installed is skipped with the header's name; the few that
 * need a newer HIP than Debian's are listed with the reason (the rewrite is right for current ROCm).
 */
const DIRS = /^(samples|kernel_launch|device|pp|namespace|graph|casts|options|libraries\/(cuRAND|cuSPARSE|CUB|cuComplex))\//;
const NEEDS_NEWER_HIP: Record<string, string> = {
  'casts/reinterpret_cast.cu': 'HIP 5.2 hipFuncGetAttributes takes no const void* (hipify adds the cast for newer HIP)',
  'device/math_functions.cu': 'umin/umax are not HIP 5.2 device functions (hipify reports them unsupported too)',
  'kernel_launch/kernel_launch_01.cu': 'HIP 5.2 hipHostGetDevicePointer wants void** where CUDA code passes float**',
  'samples/cudaRegister.cu': 'HIP 5.2 hipHostGetDevicePointer wants void** where CUDA code passes float**',
  'libraries/cuRAND/benchmark_curand_generate.cpp': "hiprandGenerateLongLong is newer than Debian's hipRAND 5.2",
  'libraries/cuRAND/benchmark_curand_kernel.cpp': "Debian's hipRAND 5.2 lacks mtgp32_kernel_params and HIPRAND_DIRECTION_VECTORS_32_JOEKUO6; __shared__ initializers",
  'samples/2_Cookbook/11_texture_driver/texture2dDrv.cpp': 'HIP 5.2 hipTexRefSetAddressMode takes a textureReference*, not hipTexRef',
};

function onPath(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

describe('cuda: rewritten hipify suite inputs compile with hipcc', function () {
  this.timeout(180_000);
  const present = fs.existsSync(SUITE);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-suite-hipcc-'));
  after(() => fs.rmSync(out, { recursive: true, force: true }));
  const inputs = present ? suiteInputs().filter((input) => DIRS.test(input.name)) : [];
  if (!present) it(`skipped: ${SUITE} is absent`, function () { this.skip(); });

  for (const input of inputs) {
    const known = NEEDS_NEWER_HIP[input.name];
    it(`hipcc -fsyntax-only ${input.name}${known ? ` — skipped: ${known}` : ''}`, async function () {
      if (known || !onPath('hipcc')) this.skip();
      const { text } = decodeSource(fs.readFileSync(input.file));
      const file = path.join(out, input.name.replace(/\//g, '__').replace(/\.(cu|cpp)$/, '.hip.cpp'));
      fs.writeFileSync(file, (await hipifyAsync(input.name, text, portaOptions(input.flags))).text);
      const result = spawnSync('hipcc', ['--offload-arch=gfx90a', '-fsyntax-only', '-x', 'hip', '-I', path.dirname(input.file), file], { encoding: 'utf8', env: { ...process.env, HIP_PLATFORM: 'amd' }, timeout: 120_000 });
      const missing = /fatal error: '([^']+)' file not found/.exec(result.stderr);
      if (result.status !== 0 && missing) {
        console.log(`    skipped ${input.name}: ${missing[1]} is not installed`);
        this.skip();
      }
      assert.equal(result.status, 0, result.stderr.split('\n').filter((line) => /error:/.test(line)).slice(0, 5).join('\n'));
    });
  }
});
