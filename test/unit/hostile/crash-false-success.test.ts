import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../../src/core/config';
import { addModel } from '../../fixtures/onnx/build';
import { folderWith, porta } from './cli';

const CUDA = 'import torch\nx = torch.ones(2).cuda()\n';

describe('hostile: runs that reported success but should not (issue 17)', function () {
  this.timeout(60000);
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('porta scan rejects `[scan] targets = []` instead of finding nothing', async () => {
    root = folderWith({ 'porta.toml': '[scan]\ntargets = []\n', 'train.py': CUDA });
    const { code, stdout, stderr } = await porta(root, 'scan', '.');
    assert.equal(code, 2, stdout);
    assert.match(stderr, /invalid configuration: porta\.toml: key 'scan\.targets': is empty/);
    assert.doesNotMatch(stdout, /No CUDA lock-in found/);
  });

  it('porta scan rejects a misspelt rule id in porta.toml select, as it does on the command line', async () => {
    root = folderWith({ 'porta.toml': '[scan]\nselect = ["PT-DEVV"]\n', 'train.py': CUDA });
    const fromFile = await porta(root, 'scan', '.');
    assert.equal(fromFile.code, 2, fromFile.stdout);
    assert.match(fromFile.stderr, /key 'scan\.select\[0\]': unknown rule or prefix 'PT-DEVV'/);
    rmSync(join(root, 'porta.toml'));
    const fromFlag = await porta(root, 'scan', '.', '--select', 'PT-DEVV');
    assert.equal(fromFlag.code, 2);
    assert.match(fromFlag.stderr, /unknown rule or prefix 'PT-DEVV'/);
  });

  it('rule ids, prefixes and CUDA C++ rules stay accepted in select, ignore and severity', () => {
    const config = parseConfig('[scan]\nselect = ["PT-DEV", "PT-CUDA-", "CU", "CU-API-001"]\nignore = ["ENV"]\n[scan.severity]\n"PT-DEV" = "error"\n', 'porta.toml');
    assert.deepEqual(config.select, ['PT-DEV', 'PT-CUDA-', 'CU', 'CU-API-001']);
    assert.throws(() => parseConfig('[scan]\nignore = ["PT-NOPE"]\n', 'porta.toml'), /scan\.ignore\[0\]': unknown rule or prefix 'PT-NOPE'/);
    assert.throws(() => parseConfig('[scan.severity]\n"PT-NOPE" = "error"\n', 'porta.toml'), /scan\.severity\.PT-NOPE': unknown rule/);
    assert.throws(() => parseConfig('[tool.porta]\nselect = ["PT-NOPE"]\n', 'pyproject.toml'), /tool\.porta\.select\[0\]/);
  });

  it('porta scan and porta fix refuse an unreadable porta.toml instead of ignoring it', async () => {
    root = folderWith({ 'train.py': CUDA });
    // A folder where the file should be: unreadable even for root (chmod 000 is not).
    mkdirSync(join(root, 'porta.toml'));
    const scan = await porta(root, 'scan', '.');
    assert.equal(scan.code, 2, scan.stdout);
    assert.match(scan.stderr, /invalid configuration: porta\.toml: cannot read \(not a regular file\)/);
    const fix = await porta(root, 'fix', '.');
    assert.equal(fix.code, 2, fix.stderr);
    assert.match(fix.stderr, /porta\.toml: cannot read \(not a regular file\)/);
  });

  it('porta bench --ep nonexistent is a usage error, not a successful benchmark', async () => {
    root = folderWith({});
    writeFileSync(join(root, 'add.onnx'), addModel());
    const { code, stdout, stderr } = await porta(root, 'bench', 'add.onnx', '--ep', 'nonexistent', '--iterations', '5', '--warmup', '0', '--input', 'x=3x4');
    assert.equal(code, 2, stdout);
    assert.match(stderr, /unknown execution provider 'nonexistent'/);
    assert.doesNotMatch(stdout, /succeeded/);
  });
});
