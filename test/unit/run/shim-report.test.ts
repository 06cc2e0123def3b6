import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../../src/cli/main';
import { parseProtocolLine, shimReportOf } from '../../../src/run/metrics';
import type { RunRecord } from '../../../src/run/record';
import { runRecordProblem } from '../../../src/run/recordShape';
import { shimSummary } from '../../../webview/model/runs';
import { PYTHON, writeScript } from './helpers';

function capture(): Writable & { text: string } {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      stream.text += chunk.toString();
      callback();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

const AMP_SCRIPT = `import torch
model = torch.nn.Linear(4, 2).cuda()
scaler = torch.cuda.amp.GradScaler()
for _ in range(2):
    with torch.autocast(device_type="cuda", dtype=torch.float16):
        y = model(torch.ones(3, 4, device="cuda"))
print("dtype", y.dtype, torch.cuda.is_bf16_supported(), flush=True)
`;

describe('the shim report: printed once per run and kept in the run record', function () {
  this.timeout(60000);

  it('reads PORTA_SHIM_REPORT lines (kinds with underscores) and keeps only well-formed entries', () => {
    const line = parseProtocolLine('PORTA_SHIM_REPORT {"device": "cpu", "translated": {"tensor.cuda()": 2, "bad": "x"}, "fallbacks": ["autocast float16 → bfloat16 on cpu", 3]}');
    assert.equal(line?.kind, 'SHIM_REPORT');
    assert.deepEqual(shimReportOf(line!.payload), { device: 'cpu', translated: { 'tensor.cuda()': 2 }, fallbacks: ['autocast float16 → bfloat16 on cpu'] });
  });

  it('summarises the report for the run details', () => {
    assert.equal(shimSummary({ device: 'cpu', translated: { 'tensor.cuda()': 2, 'torch.cuda.amp.autocast': 1 }, fallbacks: ['autocast float16 → bfloat16 on cpu'] }),
      '3 CUDA calls (2 kinds) translated to cpu; fell back: autocast float16 → bfloat16 on cpu');
    assert.equal(shimSummary({ device: 'xpu', translated: {}, fallbacks: [] }), 'nothing to translate on xpu');
    assert.equal(shimSummary(undefined), undefined);
  });

  it('`porta run --shim` prints the translations and fallbacks once and records them', async () => {
    const root = mkdtempSync(join(tmpdir(), 'porta-shim-report-'));
    try {
      writeFileSync(join(root, 'porta.toml'), `[targets.local]\nkind = "local"\npython = "${PYTHON}"\n`);
      writeScript(root, 'amp.py', AMP_SCRIPT);
      const stdout = capture();
      const stderr = capture();
      const code = await main(['run', '--json', '--shim', '--backend', 'cpu', '--', 'amp.py'], { stdout, stderr, cwd: root, env: process.env });
      assert.equal(code, 0, stderr.text);
      const record = JSON.parse(stdout.text) as RunRecord;
      assert.equal(runRecordProblem(record, record.id), undefined);
      assert.equal(record.shimReport?.device, 'cpu');
      assert.equal(record.shimReport?.fallbacks.length, 2);
      assert.match(record.shimReport!.fallbacks[0]!, /^GradScaler disabled on cpu \(.*nothing to scale\)$/);
      assert.equal(record.shimReport?.fallbacks[1], 'autocast float16 → bfloat16 on cpu');
      assert.equal(record.shimReport?.translated['module.cuda()'], 1);
      assert.equal(record.shimReport?.translated["autocast('cuda')"], 2);
      assert.equal(record.shimReport?.translated['torch.cuda.is_bf16_supported'], 1);
      const log = readFileSync(record.logFile, 'utf8');
      assert.match(log, /dtype torch\.bfloat16 True/);
      assert.equal(log.match(/^porta_shim: on cpu, translated /gm)?.length, 1, log);
      assert.equal(log.match(/^porta_shim: fell back: .*autocast float16 → bfloat16 on cpu$/gm)?.length, 1, log);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a script that fails still leaves its shim report in the record', async () => {
    const root = mkdtempSync(join(tmpdir(), 'porta-shim-report-'));
    try {
      writeFileSync(join(root, 'porta.toml'), `[targets.local]\nkind = "local"\npython = "${PYTHON}"\n`);
      writeScript(root, 'fails.py', 'import torch\nwith torch.cuda.amp.autocast():\n    pass\nraise RuntimeError("after autocast")\n');
      const stdout = capture();
      const code = await main(['run', '--json', '--shim', '--backend', 'cpu', '--', 'fails.py'], { stdout, stderr: capture(), cwd: root, env: process.env });
      assert.equal(code, 1);
      const record = JSON.parse(stdout.text) as RunRecord;
      assert.equal(record.status, 'failed');
      assert.deepEqual(record.shimReport, { device: 'cpu', translated: { 'torch.cuda.amp.autocast': 1 }, fallbacks: ['autocast float16 → bfloat16 on cpu'] });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
