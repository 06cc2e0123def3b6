import { strict as assert } from 'node:assert';
import { MAX_EXPORT_CHARS, parseWebviewMessage } from '../../../src/protocol';

describe('dashboard protocol: messages from the webview', () => {
  it('accepts every well-formed message', () => {
    const good: unknown[] = [
      { type: 'ready' },
      { type: 'refresh' },
      { type: 'refreshReadiness' },
      { type: 'cancelRun', runId: '20261130-015000-d0f9ba' },
      { type: 'rerun', runId: 'abc.1_2-3' },
      { type: 'watchLog', runId: null },
      { type: 'watchLog', runId: 'r1' },
      { type: 'openLocation', path: 'src/train.py', line: 12, column: 5 },
      { type: 'export', format: 'csv', action: 'save', content: 'a,b\r\n', fileName: 'porta-comparison.csv' },
    ];
    for (const message of good) {
      const result = parseWebviewMessage(message);
      assert.ok(result.ok, `${JSON.stringify(message)}: ${result.ok ? '' : result.error}`);
      assert.deepEqual(result.message, message);
    }
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['not an object', 'ready', /must be an object/],
    ['null', null, /must be an object/],
    ['an array', [{ type: 'ready' }], /must be an object/],
    ['unknown type', { type: 'deleteEverything' }, /unknown message type/],
    ['prototype key as type', { type: 'toString' }, /unknown message type/],
    ['missing type', { runId: 'x' }, /unknown message type/],
    ['extra field', { type: 'refresh', command: 'rm -rf /' }, /unexpected field "command"/],
    ['missing run id', { type: 'cancelRun' }, /missing field "runId"/],
    ['run id with a path', { type: 'rerun', runId: '../../etc/passwd' }, /cancelRun|rerun\.runId/],
    ['run id with shell characters', { type: 'cancelRun', runId: 'a;rm -rf ~' }, /runId must be a run id/],
    ['numeric run id', { type: 'cancelRun', runId: 7 }, /runId must be a run id/],
    ['absolute path', { type: 'openLocation', path: '/etc/passwd', line: 1, column: 1 }, /workspace-relative/],
    ['windows path', { type: 'openLocation', path: 'C:\\x.py', line: 1, column: 1 }, /workspace-relative/],
    ['escaping path', { type: 'openLocation', path: 'src/../../secret', line: 1, column: 1 }, /inside the workspace/],
    ['zero line', { type: 'openLocation', path: 'a.py', line: 0, column: 1 }, /line must be a positive integer/],
    ['fractional column', { type: 'openLocation', path: 'a.py', line: 1, column: 1.5 }, /column must be a positive integer/],
    ['line as string', { type: 'openLocation', path: 'a.py', line: '3', column: 1 }, /line must be a positive integer/],
    ['unknown export format', { type: 'export', format: 'xlsx', action: 'save', content: '', fileName: 'a.xlsx' }, /format must be one of/],
    ['unknown export action', { type: 'export', format: 'csv', action: 'email', content: '', fileName: 'a.csv' }, /action must be one of/],
    ['file name with a directory', { type: 'export', format: 'csv', action: 'save', content: '', fileName: '../a.csv' }, /plain file name/],
    ['oversized export', { type: 'export', format: 'json', action: 'copy', content: 'x'.repeat(MAX_EXPORT_CHARS + 1), fileName: 'a.json' }, /at most/],
  ];
  for (const [what, message, error] of bad) {
    it(`rejects ${what}`, () => {
      const result = parseWebviewMessage(message);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.error, error);
    });
  }
});
