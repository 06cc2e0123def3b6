import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../../..');

/**
 * The README's first command on a machine without PyTorch: every step that does not need it still runs, the
 * skipped ones are named with the package to install, and the demo exits 0. PORTA_PYTHON names an interpreter
 * without torch; PORTA_DEMO_INSTALL=0 stops it from installing Debian's PyTorch (which it does as root).
 */
describe('npm run demo without PyTorch', function () {
  this.timeout(300000);

  it('scans, fixes and benchmarks the shipped ONNX model, names the skipped steps, and exits 0', function () {
    if (!existsSync(join(REPO, 'dist', 'cli.js'))) this.skip(); // the unit tier runs after the build; a bare checkout has no bundle
    const result = spawnSync(process.execPath, [join(REPO, 'scripts', 'demo.mjs')], {
      cwd: REPO, encoding: 'utf8', timeout: 240000, env: { ...process.env, PORTA_PYTHON: '/bin/false', PORTA_DEMO_INSTALL: '0' },
    });
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /1\. Scan the examples/);
    assert.match(result.stdout, /\$ porta fix --diff/);
    assert.match(result.stdout, /porta bench tinyconv\.onnx[\s\S]*cpu .*reference/);
    assert.match(result.stdout, /Skipped, because no Python with PyTorch was found \(tried \/bin\/false\):\n {2}- 3\. run the port[\s\S]*- 4\. compare the runs[\s\S]*- 5\. export the model/);
    assert.match(result.stdout, /apt-get install python3-torch/);
    assert.doesNotMatch(result.stdout, /\$ porta run /);
    // It ends with the comparison, priced by examples/porta.toml: the benchmark's cost and the best target.
    assert.match(result.stdout, /6\. What it costs[\s\S]*\$ porta compare \S+ --objective balanced\n[^\n]*run cost\s+cost\/1k inf/);
    assert.match(result.stdout, /local\/cpu .*\d USD\s+[\d.e-]+ USD/);
    assert.match(result.stdout, /best target \(objective balanced\): local\/cpu\. local\/cpu wins on balance: p50 [\d.]+ ms at [\d.e-]+ USD per 1,000 inferences/);
  });
});
