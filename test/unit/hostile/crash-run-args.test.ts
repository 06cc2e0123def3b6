import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { folderWith, porta } from './cli';

describe('hostile: porta run -- SCRIPT --help (issue 17)', function () {
  this.timeout(60000);
  let root: string;
  before(() => (root = folderWith({
    'porta.toml': '[targets.local]\nkind = "local"\npython = "/usr/bin/python3"\n',
    'show_args.py': 'import sys\nprint("script args:", sys.argv[1:], flush=True)\n',
  })));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('passes --help and -h after -- to the script instead of printing Porta\'s usage', async () => {
    const { code, stdout, stderr } = await porta(root, 'run', '--backend', 'cpu', '--', 'show_args.py', '--help', '-h');
    assert.equal(code, 0, stdout + stderr);
    assert.match(stdout, /script args: \['--help', '-h'\]/);
    assert.doesNotMatch(stdout, /Usage: porta run/);
  });

  it('still prints Porta\'s usage for --help before --', async () => {
    const { code, stdout } = await porta(root, 'run', '--help', '--', 'show_args.py');
    assert.equal(code, 0);
    assert.match(stdout, /Usage: porta run/);
  });
});
