import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits, fixText } from '../../../src/core/fix';
import { editsForFile, normalizeLoneCR } from '../../../src/core/lineEndings';
import type { Finding } from '../../../src/core/model';
import { analyzer } from '../analyzer/helpers';
import { folderWith, porta } from './cli';

// The same program three ways: LF, CRLF (what VS Code hands the extension for a CR-only file: it normalises lone CRs),
// and lone CRs (classic Mac OS), which Python runs exactly like the LF one.
const LF = 'import torch\n\nx = torch.ones(2).cuda()\ny = 1\ntorch.cuda.set_device(0)\n';
const CRLF = LF.replace(/\n/g, '\r\n');
const CR = LF.replace(/\n/g, '\r');

const where = (findings: Finding[]) => findings.map((f) => `${f.rule} ${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column}`);

describe('hostile: CR-only line endings (issue 17)', function () {
  this.timeout(60000);

  it('a CR-only file is analysed like its LF twin: no syntax error, findings on their real lines', async () => {
    const a = await analyzer();
    const cr = a.analyze('mac.py', CR);
    const lf = a.analyze('unix.py', LF);
    assert.deepEqual(cr.notes, []);
    assert.deepEqual(where(cr.findings), where(lf.findings));
    assert.deepEqual(where(cr.findings), ['PT-DEV-001 3:5-3:25', 'PT-CUDA-002 5:1-5:25']);
  });

  it('the editor (the CRLF text VS Code shows) agrees with the CLI on lines and columns', async () => {
    const a = await analyzer();
    const doc = a.openDocument('mac.py', CRLF);
    try {
      assert.deepEqual(where(doc.analyze().findings), where(a.analyze('mac.py', CR).findings));
    } finally {
      doc.dispose();
    }
  });

  it('a quick fix on a CR-only file writes CR newlines and gives the fixed LF program with CRs', async () => {
    const a = await analyzer();
    const finding = a.analyze('mac.py', CR).findings.find((f) => f.rule === 'PT-DEV-001')!;
    const twin = a.analyze('unix.py', LF).findings.find((f) => f.rule === 'PT-DEV-001')!;
    const fixed = applyEdits(CR, finding.fix!.edits);
    assert.ok(!fixed.includes('\n'), 'no LF inserted into a CR-only file');
    assert.equal(fixed, applyEdits(LF, twin.fix!.edits).replace(/\n/g, '\r'));
  });

  it('fixText and porta fix keep a CR-only file CR-only, with the same rewrite as its LF twin', async () => {
    const result = await fixText('mac.py', CR, { target: 'auto' });
    const twin = await fixText('unix.py', LF, { target: 'auto' });
    assert.equal(result.error, undefined);
    assert.equal(result.text, twin.text.replace(/\n/g, '\r'));
    assert.equal(applyEdits(CR, result.edits), result.text);

    const root = folderWith({ 'mac.py': CR });
    try {
      const fix = await porta(root, 'fix', '.');
      assert.equal(fix.code, 0, fix.stderr);
      assert.equal(readFileSync(join(root, 'mac.py'), 'utf8'), twin.text.replace(/\n/g, '\r'));
      const scan = await porta(root, 'scan', '.');
      assert.equal(scan.code, 0, scan.stdout);
      assert.match(scan.stdout, /No CUDA lock-in found \(1 files, \d{2,} lines scanned/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('hostile: mixed lone-CR and LF line endings (fuzz seed 17 case 7992)', () => {
  it('an LF inserted right after a lone CR does not join it into one CRLF break: the fix equals its LF twin\'s', () => {
    // An insertion of "\nB\n" at offset 2 (after "a\r"), and a deletion of "X" between a lone CR and an LF.
    const text = 'a\rc\nd\rX\ne\n';
    const edits = [{ start: 2, end: 2, text: '\nB\n' }, { start: 7, end: 8, text: '' }];
    const fixed = applyEdits(text, editsForFile(text, edits));
    assert.equal(fixed.includes('\r\n'), false, JSON.stringify(fixed));
    assert.equal(normalizeLoneCR(fixed), applyEdits(normalizeLoneCR(text), edits));
  });
});
