import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..', '..');

describe('porta CLI: a closed output pipe (porta scan | head)', function () {
  this.timeout(60000);

  it('stops quietly instead of crashing with EPIPE', async () => {
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), 'src/cli.ts', 'scan', '--format', 'json', 'examples'], { cwd: REPO });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Like `| head -0`: the reader is gone before the first line is written.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.doesNotMatch(stderr, /EPIPE|Unhandled 'error' event/);
    assert.ok(code === 0 || code === 1, `exit code ${code}: ${stderr}`);
  });
});
