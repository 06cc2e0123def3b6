import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printable } from '../../../src/core/printable';
import { folderWith, porta } from './cli';

const EVIL_NAME = 'ev\x1b]0;pwned\x07il.py';
const EVIL_CODE = 'import torch\ntorch.cuda.set_device("\x1b[2J\u202e")\n';
// Any C0/C1 control character but tab and the newlines between report lines, or a bidi override.
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('hostile: terminal escape sequences in names and code (issue 17)', function () {
  this.timeout(60000);
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('porta scan prints file names and code excerpts escaped in text and markdown, exact in JSON', async () => {
    root = folderWith({ [EVIL_NAME]: 'import torch\nx = torch.ones(2).cuda()\n', 'b.py': EVIL_CODE });
    const text = await porta(root, 'scan', '.');
    assert.equal(text.code, 1, text.stderr);
    assert.doesNotMatch(text.stdout, RAW_CONTROL);
    assert.ok(text.stdout.includes('ev\\x1b]0;pwned\\x07il.py'), text.stdout);
    assert.ok(text.stdout.includes('set_device("\\x1b[2J\\u202e")'), text.stdout);
    const markdown = await porta(root, 'scan', '.', '--format', 'markdown');
    assert.doesNotMatch(markdown.stdout, RAW_CONTROL);
    const json = JSON.parse((await porta(root, 'scan', '.', '--format', 'json')).stdout) as { findings: Array<{ path: string; message: string }> };
    assert.ok(json.findings.some((f) => f.path === EVIL_NAME));
    assert.ok(json.findings.some((f) => f.message.includes('\x1b[2J\u202e')));
  });

  it('porta runs prints a record\'s entry and error escaped, and --json exact', async () => {
    root = folderWith({});
    const id = '20260101-120000-abcdef';
    const dir = join(root, '.porta', 'runs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${id}.json`), JSON.stringify({
      version: 1, id, kind: 'script', target: 'local', targetKind: 'local', backend: 'cpu', command: ['python3'], entry: 'x\x1b[2J.py',
      startedAt: '2026-01-01T12:00:00.000Z', status: 'failed', exitCode: 1, logFile: '/tmp/x.log', metrics: {}, error: 'boom\x1b]0;t\x07',
    }));
    const text = await porta(root, 'runs');
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, RAW_CONTROL);
    assert.match(text.stdout, /x\\x1b\[2J\.py exit 1 {2}no price {2}— boom\\x1b\]0;t\\x07/);
    const json = JSON.parse((await porta(root, 'runs', '--json')).stdout) as { runs: Array<{ entry: string }> };
    assert.equal(json.runs[0]?.entry, 'x\x1b[2J.py');
  });

  it('printable keeps ordinary text, tabs and non-Latin letters as they are', () => {
    assert.equal(printable('données/модель\tx.py'), 'données/модель\tx.py');
    assert.equal(printable('a\nb\rc\x00\x9b'), 'a\\nb\\rc\\x00\\x9b');
  });
});
