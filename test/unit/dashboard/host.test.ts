import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { contentSecurityPolicy, createNonce, dashboardHtml } from '../../../src/extension/dashboard/html';
import { LogTail } from '../../../src/extension/dashboard/log-tail';
import { readinessFromFindings } from '../../../src/extension/dashboard/readiness';
import type { Finding } from '../../../src/core/model';

describe('dashboard host: HTML shell', () => {
  const nonce = createNonce((n) => randomBytes(n));
  const html = dashboardHtml({ cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce, scriptUri: 'https://x/dist/webview.js', styleUri: 'https://x/media/dashboard.css' });

  it('uses a fresh 128-bit nonce', () => {
    assert.equal(Buffer.from(nonce, 'base64').length, 16);
    assert.notEqual(createNonce((n) => randomBytes(n)), nonce);
  });

  it('has a strict CSP: nothing by default, scripts only with the nonce, no inline or remote content', () => {
    const csp = contentSecurityPolicy('vscode-src', nonce);
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, new RegExp(`script-src 'nonce-${nonce.replace(/[+/=]/g, '\\$&')}'$`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:|\*/);
    assert.ok(html.includes(`<meta property="csp-nonce" content="${nonce}">`), 'the toolkit reads the nonce for its feature probe');
  });

  it('loads only the bundle and the stylesheet, both with the nonce', () => {
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    assert.deepEqual(scripts, [` nonce="${nonce}" src="https://x/dist/webview.js"`]);
    assert.match(html, /<link rel="stylesheet" href="https:\/\/x\/media\/dashboard.css"/);
  });
});

describe('dashboard host: log tail', () => {
  it('keeps the last lines of chunks that split lines', () => {
    const tail = new LogTail(3);
    tail.push('a\nb');
    assert.deepEqual(tail.snapshot(), ['a', 'b']);
    tail.push('c\r\nd\ne\n');
    assert.deepEqual(tail.snapshot(), ['bc', 'd', 'e']);
    assert.equal(tail.dropped, true);
  });
});

describe('dashboard host: readiness from findings', () => {
  const finding = (rule: string, line: number, targets: Finding['targets'], fixable: boolean): Finding =>
    ({
      path: '/abs/train.py',
      rule,
      severity: 'warning',
      message: `${rule} message`,
      range: { start: { line, column: 1 }, end: { line, column: 5 } },
      targets,
      fix: fixable ? { title: 'fix', safe: true, edits: [] } : undefined,
    }) as unknown as Finding;

  it('lists items per target with workspace-relative paths and the analyzer effort', () => {
    const view = readinessFromFindings(
      [{ path: 'train.py', findings: [
        finding('PT-DEV-001', 3, { cuda: 'ok', rocm: 'ok', npu: 'breaks', xpu: 'breaks', mps: 'breaks', cpu: 'breaks' }, true),
        finding('LIB-006', 1, { cuda: 'ok', rocm: 'degraded', npu: 'breaks', xpu: 'breaks', mps: 'breaks', cpu: 'breaks' }, false),
      ] }],
      ['cuda', 'rocm', 'npu'],
      '2026-11-30T00:00:00Z',
    );
    assert.deepEqual(view.targets.map((t) => t.backend), ['cuda', 'rocm', 'npu']);
    const npu = view.targets[2];
    assert.deepEqual(npu.blockers.map((b) => `${b.path}:${b.line} ${b.rule}`), ['train.py:1 LIB-006', 'train.py:3 PT-DEV-001']);
    assert.equal(npu.fixable, 1);
    assert.equal(typeof npu.effortHours, 'number');
    assert.ok(npu.effortHours! > 0);
    assert.equal(view.targets[0].effort, 'none');
  });

  it('lists guarded findings apart from blockers', () => {
    const view = readinessFromFindings(
      [{ path: 'train.py', findings: [
        finding('PT-CUDA-002', 4, { cuda: 'ok', rocm: 'ok', npu: 'shim', xpu: 'guarded', mps: 'guarded', cpu: 'guarded' }, false),
        finding('PT-DEV-001', 7, { cuda: 'ok', rocm: 'ok', npu: 'shim', xpu: 'breaks', mps: 'breaks', cpu: 'breaks' }, true),
      ] }],
      ['xpu'],
      '2026-11-30T00:00:00Z',
    );
    const xpu = view.targets[0];
    assert.deepEqual(xpu.guarded.map((b) => `${b.line} ${b.rule}`), ['4 PT-CUDA-002']);
    assert.deepEqual(xpu.blockers.map((b) => `${b.line} ${b.rule}`), ['7 PT-DEV-001']);
  });

  it('counts a CUDA C++ → HIP fix as fixable for ROCm only, as porta scan does', () => {
    const view = readinessFromFindings(
      [{ path: 'saxpy.cu', findings: [finding('CU-API-001', 4, { cuda: 'ok', rocm: 'breaks', npu: 'breaks', xpu: 'breaks', mps: 'breaks', cpu: 'breaks' }, true)] }],
      ['rocm', 'cpu'],
      '2026-11-30T00:00:00Z',
    );
    const [rocm, cpu] = view.targets;
    assert.deepEqual([rocm.fixable, rocm.blockers[0].fixable], [1, true]);
    assert.deepEqual([cpu.fixable, cpu.blockers[0].fixable], [0, false]);
  });
});
