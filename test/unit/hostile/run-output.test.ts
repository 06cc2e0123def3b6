import * as assert from 'node:assert/strict';
import { LineSplitter, MAX_LINE } from '../../../src/run/metrics';
import { runSnippet } from './child';

describe('hostile: run output with huge lines', function () {
  // The child is killed after 120 s; before the fix one 20 MB line took 12 s and 200 MB over 10 minutes.
  this.timeout(180_000);

  it('splits a 200 MB line arriving in 64 KB chunks, cut to MAX_LINE, and the lines after it intact', async () => {
    const code = `
      const { LineSplitter, MAX_LINE } = require('./src/run/metrics');
      const splitter = new LineSplitter();
      const chunk = 'x'.repeat(64 * 1024);
      const lines = [];
      for (let sent = 0; sent < 200 * 1024 * 1024; sent += chunk.length) lines.push(...splitter.push(chunk));
      lines.push(...splitter.push('\\nPORTA_METRIC {"name": "acc", "value": 1}\\ntail'), ...splitter.flush());
      console.log(JSON.stringify([lines.length, lines[0].length === MAX_LINE, lines[1], lines[2]]));`;
    const result = await runSnippet(code, 120_000);
    assert.equal(result.killed, false, 'splitting did not finish');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), [3, true, 'PORTA_METRIC {"name": "acc", "value": 1}', 'tail']);
  });

  it('keeps short lines, empty lines and a line split across chunks exactly', () => {
    const splitter = new LineSplitter();
    assert.deepEqual(splitter.push('a\n\nb'), ['a', '']);
    assert.deepEqual(splitter.push('c'), []);
    assert.deepEqual(splitter.push('d\ne\n'), ['bcd', 'e']);
    assert.deepEqual(splitter.push(`${'y'.repeat(MAX_LINE)}zz\nok`), ['y'.repeat(MAX_LINE)]);
    assert.deepEqual(splitter.flush(), ['ok']);
    assert.deepEqual(splitter.flush(), []);
  });
});
